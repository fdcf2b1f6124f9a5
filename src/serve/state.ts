// What `argus serve` shows, read from the state files a cycle writes — never a collection, never a write.
import { z } from 'zod';
import type { LastCycle, MetricsInput } from '../agents/chronicler/prometheus.js';
import { countRegistry, type RegistryCounters } from '../agents/chronicler/counters.js';
import { renderMetrics } from '../agents/chronicler/prometheus.js';
import type { StatePaths } from '../config/load.js';
import { LlmStateSchema } from '../llm/budget.js';
import { SnapshotSchema, type Snapshot } from '../model/snapshot.js';
import { readCycleState, type CycleState } from '../orchestrator/cycle-state.js';
import { freshness, type Freshness } from '../orchestrator/freshness.js';
import { SelfHealthSchema } from '../orchestrator/self-health.js';
import { readJsonState } from '../state/atomic.js';
import { readFixedRecord } from '../state/fixed-record.js';

const OpenIncidentSchema = z.looseObject({
  identity: z.string().optional(),
  severity: z.string().optional(),
  openedAt: z.string().optional(),
  status: z.string().optional(),
});
const IncidentsFileSchema = z.looseObject({ incidents: z.record(z.string(), OpenIncidentSchema) });
export type OpenIncident = z.infer<typeof OpenIncidentSchema> & { identity: string };
type IncidentsFile = { incidents: Record<string, z.infer<typeof OpenIncidentSchema>> };

export interface ServeState {
  now: Date;
  snapshot: Snapshot | null;
  cycle: CycleState;
  freshness: Freshness;
  openIncidents: OpenIncident[];
  llm: { total_calls: number; total_cost_usd: number } | null;
}

/** Read the small state files (each a few KB; a missing or corrupt one reads as empty). */
export function readServeState(paths: StatePaths, intervalSec: number, now: Date): ServeState {
  const snapshot = readJsonState(paths.snapshot, SnapshotSchema.nullable(), () => null);
  const cycle = readCycleState(paths.cycleState);
  const self = readFixedRecord(paths.selfHealth, SelfHealthSchema);
  const file = readJsonState<IncidentsFile>(paths.incidents, IncidentsFileSchema, () => ({ incidents: {} }));
  const openIncidents = Object.entries(file.incidents).map(([identity, i]) => ({
    ...i,
    identity: i.identity ?? identity,
  }));
  const llm = readJsonState(paths.llm, LlmStateSchema.nullable(), () => null);
  return { now, snapshot, cycle, freshness: freshness(cycle, self, intervalSec, now), openIncidents, llm };
}

export function lastCycle(state: ServeState): LastCycle {
  return {
    at: state.freshness.lastAttemptAt,
    ok: state.cycle.lastOk,
    durationMs: state.cycle.lastDurationMs,
    consecutiveFailures: state.freshness.consecutiveFailures,
    fresh: state.freshness.verdict === 'ok',
    total: state.cycle.cyclesTotal,
  };
}

export function metricsInput(state: ServeState, counters: RegistryCounters): MetricsInput {
  return {
    snapshot: state.snapshot,
    lastCycle: lastCycle(state),
    counters,
    openIncidents: state.openIncidents,
    llm: state.llm,
  };
}

/** The metrics once, from a full pass over the registry (`argus stats --prometheus`, the textfile). */
export async function metricsOnce(paths: StatePaths, intervalSec: number, now: Date): Promise<string> {
  return renderMetrics(metricsInput(readServeState(paths, intervalSec, now), await countRegistry(paths.registry)));
}
