// diagnose_incident: the RCA agent on an open incident — its deterministic diagnosis (culprit, cause, evidence) over
// the latest snapshot, and what past incidents of it say. Read-only. (The model-backed RCA runs inside cycles; this answers from the rules alone.)
import { z } from 'zod';
import { diagnose } from '../../agents/rca/diagnose.js';
import { pastForDiagnosis } from '../../agents/rca/past.js';
import { requireSnapshot } from '../../agents/rca/read-tools/deps.js';
import { emptyRouterState, RouterStateSchema } from '../../agents/router/route.js';
import { readJsonState } from '../../state/atomic.js';
import { defineTool, READ_ONLY } from '../../tools/define.js';
import { ToolError, type ToolDef } from '../../tools/tool.js';
import type { AgentToolDeps } from './deps.js';

export function diagnoseIncidentTool(deps: AgentToolDeps): ToolDef {
  return defineTool({
    name: 'diagnose_incident',
    title: 'Diagnose an incident',
    description:
      'For an open incident (its identity, e.g. "memory:host" or "service:nginx.service"; see list_incidents): the likely ' +
      'cause, the culprit process or what fills the disk, and the evidence it rests on, from the latest snapshot. ' +
      'Read-only: it suggests, the gate decides.',
    input: z.strictObject({ identity: z.string().min(3).max(300) }),
    annotations: { title: 'Diagnose an incident', ...READ_ONLY },
    async run(input) {
      const state = readJsonState(deps.paths.incidents, RouterStateSchema, emptyRouterState);
      const incident = state.incidents[input.identity];
      if (!incident) {
        const open = Object.keys(state.incidents);
        throw new ToolError(
          `no open incident ${JSON.stringify(input.identity)}; open: ${open.length ? open.join(', ') : 'none'}`,
        );
      }
      const snapshot = await requireSnapshot(deps);
      // The same diagnosis a cycle makes: with what the past says (this incident left out) and the runbook.
      const past = await pastForDiagnosis(
        { registry: deps.registry, paths: deps.paths, now: deps.host.now() },
        input.identity,
        incident.incidentId,
      );
      const diagnosis = await diagnose(incident.lastFinding, snapshot, { past });
      return {
        identity: input.identity,
        incidentId: incident.incidentId,
        openedAt: incident.openedAt,
        snapshotAt: snapshot.ts,
        finding: incident.lastFinding.description,
        diagnosis,
      };
    },
  });
}
