// query_problems: records from the problem registry (problems.jsonl), newest first, filtered.
import { z } from 'zod';
import { RecordKindSchema, type ProblemRecord } from '../../../model/record.js';
import { defineTool, READ_ONLY } from '../../../tools/define.js';
import { ToolError, type ToolDef } from '../../../tools/tool.js';
import type { ReadToolDeps } from './deps.js';
import { SinceSchema, sinceMs } from './since.js';

const MAX_DETAILS_CHARS = 2000;

const InputSchema = z.strictObject({
  since: SinceSchema.optional(),
  type: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe('Problem type: disk, memory, swap, cpu, service, process, probe, tmux, athena, self, action.'),
  identity: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe('Exact problem identity, e.g. "service:nginx.service" or "disk:/".'),
  kind: RecordKindSchema.optional().describe('Record kind: detection, decision, transition, action or self.'),
  limit: z.number().int().min(1).max(500).default(50).describe('At most this many records (newest first), 1–500.'),
});

export function queryProblemsTool(deps: ReadToolDeps): ToolDef {
  return defineTool({
    name: 'query_problems',
    title: 'Query the problem registry',
    description:
      'Search the problem registry (every detection, decision, incident transition and action attempt Argus recorded), ' +
      'newest first. Filter by time ("24h", "7d" or an ISO timestamp), problem type, exact identity, or record kind. ' +
      'Use it to see whether a problem recurs, what was already tried and what the outcome was. Read-only.',
    input: InputSchema,
    annotations: { title: 'Query the problem registry', ...READ_ONLY },
    async run(input) {
      let since: number | undefined;
      if (input.since !== undefined) {
        const t = sinceMs(input.since, deps.host.now());
        if (t === null)
          throw new ToolError(`since: expected "24h", "7d" or an ISO timestamp, got ${JSON.stringify(input.since)}`);
        since = t;
      }
      const ring: ProblemRecord[] = [];
      let matched = 0;
      for await (const r of deps.registry.query({
        sinceMs: since,
        type: input.type,
        identity: input.identity,
        kind: input.kind,
      })) {
        matched++;
        ring.push(r);
        if (ring.length > input.limit) ring.shift();
      }
      return { matched, returned: ring.length, records: ring.reverse().map(compact) };
    },
  });
}

function compact(r: ProblemRecord): Record<string, unknown> {
  const details = JSON.stringify(r.details);
  return {
    ...r,
    description: r.description.length > 1000 ? `${r.description.slice(0, 1000)}…` : r.description,
    details:
      details.length > MAX_DETAILS_CHARS
        ? { truncated: true, preview: details.slice(0, MAX_DETAILS_CHARS) }
        : r.details,
  };
}
