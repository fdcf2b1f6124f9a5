// Cycle health (cycle_state.json): a small atomic state file of the orchestrator (recurrence.json lives with the incident phase).
import { z } from 'zod';
import { readJsonState, writeJsonAtomic } from '../state/atomic.js';

export const CycleStateSchema = z.object({
  cyclesTotal: z.number().default(0),
  consecutiveFailures: z.number().default(0),
  lastCycleId: z.string().nullable().default(null),
  lastStartedAt: z.string().nullable().default(null),
  lastFinishedAt: z.string().nullable().default(null),
  lastOk: z.boolean().nullable().default(null),
  lastError: z.string().nullable().default(null),
  lastDurationMs: z.number().nullable().default(null),
  lastFindings: z.number().nullable().default(null),
  lastSelfAlertAt: z.string().nullable().default(null),
});
export type CycleState = z.infer<typeof CycleStateSchema>;

export function readCycleState(path: string, onInvalid?: (reason: string) => void): CycleState {
  return readJsonState(path, CycleStateSchema, () => CycleStateSchema.parse({}), onInvalid);
}

export function writeCycleState(path: string, state: CycleState): void {
  writeJsonAtomic(path, state);
}
