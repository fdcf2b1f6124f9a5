// silence: a maintenance window from Athena — the one agent tool that writes (silences.json), recorded like an action.
import { z } from 'zod';
import { parseDuration } from '../../model/duration.js';
import { defineTool } from '../../tools/define.js';
import { ToolError, type ToolDef } from '../../tools/tool.js';
import { readJsonState } from '../../state/atomic.js';
import { addSilence, covered, normalizeMatcher } from '../silences.js';
import type { AgentToolDeps } from './deps.js';

const MAX_MS = 7 * 86_400_000;

export function silenceTool(deps: AgentToolDeps): ToolDef {
  return defineTool({
    name: 'silence',
    title: 'Silence notifications',
    description:
      'Mute notifications for findings matching `matcher` (an identity like "service:nginx" or "disk:/", a glob like ' +
      '"probe:*", or a type like "memory") for `duration` ("30m", "2h", at most "7d"), with a reason a person will read. ' +
      'Findings are still recorded and fixes still run: only the messages stop. Writes state; recorded with its source.',
    input: z.strictObject({
      matcher: z.string().min(1).max(200),
      duration: z.string().min(2).max(10),
      reason: z.string().min(3).max(300),
    }),
    annotations: {
      title: 'Silence notifications',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: false,
    },
    async run(input, ctx) {
      const normal = normalizeMatcher(input.matcher);
      if ('error' in normal) throw new ToolError(normal.error);
      const ms = parseDuration(input.duration);
      if (ms === null || ms > MAX_MS)
        throw new ToolError(`duration: expected "30m", "2h" … up to "7d", got ${JSON.stringify(input.duration)}`);
      const now = deps.host.now();
      const s = addSilence(
        deps.paths.silences,
        normal.matcher,
        new Date(now.getTime() + ms),
        now,
        `${input.reason} (via ${ctx.source})`,
      );
      const open = readJsonState(
        deps.paths.incidents,
        z.looseObject({ incidents: z.record(z.string(), z.unknown()) }),
        () => ({ incidents: {} }),
      );
      const mutes = covered(s.matcher, Object.keys(open.incidents));
      deps.registry.append([
        {
          ts: now.toISOString(),
          severity: 'info',
          type: 'self',
          description: `silenced ${s.matcher} until ${s.until}: ${input.reason}`.slice(0, 500),
          action_taken: `silence:${s.matcher}`,
          action_result: 'success',
          bead_id: null,
          host: deps.config.hostname ?? deps.host.hostname(),
          kind: 'decision',
          identity: null,
          incident_id: null,
          source: ctx.source,
          cycle_id: null,
          details: { silence: s, mutes },
        },
      ]);
      return { id: s.id, matcher: s.matcher, until: s.until, mutesOpenIncidents: mutes };
    },
  });
}
