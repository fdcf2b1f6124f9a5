// get_status: the latest snapshot in brief, the open incidents and the last cycle's health.
import { z } from 'zod';
import { summarizeSnapshot } from '../../../model/snapshot-summary.js';
import { defineTool, READ_ONLY } from '../../../tools/define.js';
import type { ToolDef } from '../../../tools/tool.js';
import { currentSnapshot, primitives, readJsonLoose, type ReadToolDeps } from './deps.js';
import { cleanHostLine } from './redact.js';

const MAX_INCIDENTS = 50;
const CLOSED = new Set(['resolved', 'closed']);

export function getStatusTool(deps: ReadToolDeps): ToolDef {
  return defineTool({
    name: 'get_status',
    title: 'Argus status',
    description:
      'Current state of this server as Argus last saw it: a summary of the latest snapshot (memory, swap, disks, CPU, ' +
      'services that are not active, top memory users, failing probes, collector gaps), the open incidents, and the health ' +
      'of the last monitoring cycle. Start here. Reads saved state only; changes nothing. `snapshot.ageSec` says how old the data is.',
    input: z.strictObject({}),
    annotations: { title: 'Argus status', ...READ_ONLY },
    async run() {
      const now = deps.host.now();
      const { snapshot, error } = await currentSnapshot(deps);
      const incidents = await readJsonLoose(deps.paths.incidents);
      const cycle = await readJsonLoose(deps.paths.cycleState);
      return {
        host: deps.config.hostname ?? deps.host.hostname(),
        now: now.toISOString(),
        snapshot: snapshot ? summarizeSnapshot(snapshot, { top: 3, now, text: (t) => cleanHostLine(t, 200) }) : null,
        snapshotError: error,
        openIncidents: openIncidents(incidents.value),
        incidentsError: incidents.error,
        lastCycle: cycle.value === null ? null : primitives(cycle.value),
        lastCycleError: cycle.error,
      };
    },
  });
}

/** The router's state, read loosely: `.incidents` as an array or an identity-keyed object; closed ones dropped. */
function openIncidents(state: unknown): Record<string, unknown>[] {
  const raw = typeof state === 'object' && state !== null ? (state as { incidents?: unknown }).incidents : undefined;
  const entries: [string | null, unknown][] = Array.isArray(raw)
    ? raw.map((v) => [null, v])
    : typeof raw === 'object' && raw !== null
      ? Object.entries(raw)
      : [];
  const out: Record<string, unknown>[] = [];
  for (const [key, value] of entries) {
    const item = primitives(value);
    const status = item.status ?? item.state;
    if (typeof status === 'string' && CLOSED.has(status)) continue;
    if (key !== null && item.identity === undefined) item.identity = key;
    const finding =
      (value as { lastFinding?: unknown; finding?: unknown } | null)?.lastFinding ??
      (value as { finding?: unknown } | null)?.finding;
    const f = primitives(finding);
    if (typeof f.description === 'string') item.description = f.description;
    if (typeof f.severity === 'string' && item.severity === undefined) item.severity = f.severity;
    out.push(item);
    if (out.length >= MAX_INCIDENTS) break;
  }
  return out;
}
