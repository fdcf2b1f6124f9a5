// Cycle health (cycle_state.json) and recurrence memory (recurrence.json): small atomic state files of the orchestrator.
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

/** identity → ISO times its incident opened within the last day (ARG-002: "3+ times in 24 h"). */
export const RecurrenceSchema = z.record(z.string(), z.array(z.string()));
export type Recurrence = z.infer<typeof RecurrenceSchema>;

const DAY_MS = 86_400_000;

/** Add an opening and forget openings older than a day; returns how many in the last 24 h (including this one). */
export function noteOpening(rec: Recurrence, identity: string, now: Date): number {
  const cutoff = now.getTime() - DAY_MS;
  const kept = (rec[identity] ?? []).filter((t) => Date.parse(t) >= cutoff);
  kept.push(now.toISOString());
  rec[identity] = kept.slice(-50);
  return kept.length;
}

export function pruneRecurrence(rec: Recurrence, now: Date): Recurrence {
  const cutoff = now.getTime() - DAY_MS;
  const out: Recurrence = {};
  for (const [identity, times] of Object.entries(rec)) {
    const kept = times.filter((t) => Date.parse(t) >= cutoff);
    if (kept.length) out[identity] = kept;
  }
  return out;
}
