// list_incidents: the router's open incidents and the recently resolved ones, with what was done and the beads filed.
import { z } from 'zod';
import { readJsonState } from '../../state/atomic.js';
import { defineTool, READ_ONLY } from '../../tools/define.js';
import type { ToolDef } from '../../tools/tool.js';
import type { AgentToolDeps } from './deps.js';

const IncidentOut = z.object({
  identity: z.string(),
  incidentId: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
  severity: z.string().nullable(),
  openedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  actions: z.array(z.object({ ts: z.string(), action: z.string(), result: z.string().nullable(), source: z.string() })),
  beads: z.array(z.string()),
});
export const ListIncidentsOutput = z.object({ open: z.array(IncidentOut), resolved: z.array(IncidentOut) });
type Incident = z.infer<typeof IncidentOut>;

const Loose = z.looseObject({
  incidents: z.record(
    z.string(),
    z.looseObject({
      incidentId: z.string().optional(),
      severity: z.string().optional(),
      openedAt: z.string().optional(),
    }),
  ),
});
const MAX_ACTIONS = 20;

export function listIncidentsTool(deps: AgentToolDeps): ToolDef {
  return defineTool({
    name: 'list_incidents',
    title: 'List incidents',
    description:
      'The open incidents and those resolved in the last `hours` (default 24): identity, severity, when they opened and ' +
      'resolved, each action tried with its outcome and source (rule, llm, mcp), and the beads filed. Read-only.',
    input: z.strictObject({
      hours: z
        .number()
        .int()
        .min(1)
        .max(24 * 30)
        .default(24),
    }),
    output: ListIncidentsOutput,
    annotations: { title: 'List incidents', ...READ_ONLY },
    async run(input) {
      const since = deps.host.now().getTime() - input.hours * 3_600_000;
      const file: z.infer<typeof Loose> = readJsonState<z.infer<typeof Loose>>(deps.paths.incidents, Loose, () => ({
        incidents: {},
      }));
      const byIdentity = new Map<string, Incident>();
      const get = (identity: string): Incident => {
        let i = byIdentity.get(identity);
        if (!i)
          byIdentity.set(
            identity,
            (i = {
              identity,
              incidentId: null,
              status: 'resolved',
              severity: null,
              openedAt: null,
              resolvedAt: null,
              actions: [],
              beads: [],
            }),
          );
        return i;
      };
      for (const [identity, inc] of Object.entries(file.incidents))
        Object.assign(get(identity), {
          status: 'open',
          incidentId: inc.incidentId ?? null,
          severity: inc.severity ?? null,
          openedAt: inc.openedAt ?? null,
        });
      for await (const r of deps.registry.query({ sinceMs: since })) {
        if (!r.identity) continue;
        const transition = (r.details as { transition?: unknown }).transition;
        if (r.kind === 'transition' && transition === 'opened') {
          const i = get(r.identity);
          // A reopening starts a new story: the older resolution no longer describes it.
          Object.assign(i, {
            openedAt: r.ts,
            incidentId: r.incident_id ?? i.incidentId,
            severity: i.severity ?? r.severity,
            resolvedAt: null,
          });
        }
        if (r.kind === 'transition' && transition === 'resolved' && get(r.identity).status !== 'open')
          get(r.identity).resolvedAt = r.ts;
        if (r.kind === 'action' && r.action_taken && !r.action_taken.startsWith('log:')) {
          const actions = get(r.identity).actions;
          actions.push({ ts: r.ts, action: r.action_taken, result: r.action_result, source: r.source });
          if (actions.length > MAX_ACTIONS) actions.shift();
        }
        if (r.bead_id && !get(r.identity).beads.includes(r.bead_id)) get(r.identity).beads.push(r.bead_id);
      }
      const all = [...byIdentity.values()];
      return {
        open: all.filter((i) => i.status === 'open'),
        resolved: all.filter((i) => i.status === 'resolved' && i.resolvedAt !== null),
      };
    },
  });
}
