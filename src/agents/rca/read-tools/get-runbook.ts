// get_runbook: what the runbook of a problem says (written by the chronicle from closed incidents) — so a diagnosis
// starts from what was learned: what worked before, the known causes, the manual steps, and a person's notes.
import { z } from 'zod';
import { humanNotes, readIndex, runbookIndexPath } from '../../chronicler/knowledge.js';
import { defineTool, READ_ONLY } from '../../../tools/define.js';
import type { ToolDef } from '../../../tools/tool.js';
import type { ReadToolDeps } from './deps.js';

const KNOWN_MAX = 50;

const InputSchema = z.strictObject({
  identity: z
    .string()
    .min(1)
    .max(300)
    .describe('Exact problem identity, e.g. "service:nginx.service", "disk:/" or "memory:host".'),
});

export function getRunbookTool(deps: ReadToolDeps): ToolDef {
  return defineTool({
    name: 'get_runbook',
    title: 'Runbook of a problem',
    description:
      'The runbook Argus wrote for a problem identity from its closed incidents: when it applies, what Argus does by ' +
      'itself, what worked before (e.g. "a restart by Argus fixed 4 of 5"), the causes past diagnoses named, the manual ' +
      'steps with their commands, and the notes a person added. Use it first: past incidents of the same problem are ' +
      'the best evidence. found=false lists the identities that have one. Read-only.',
    input: InputSchema,
    annotations: { title: 'Runbook of a problem', ...READ_ONLY },
    async run(input) {
      const index = readIndex(runbookIndexPath(deps.paths.stateDir));
      const entry = index?.runbooks[input.identity];
      if (!index || !entry) {
        const known = Object.keys(index?.runbooks ?? {});
        return {
          found: false,
          identity: input.identity,
          reason: index
            ? 'no runbook for this identity yet (no incident of it in the chronicled window)'
            : 'no runbook index yet: `argus chronicle` has not run',
          known: known.slice(0, KNOWN_MAX),
          knownCount: known.length,
        };
      }
      return { found: true, ...entry, notes: humanNotes(entry.file) };
    },
  });
}
