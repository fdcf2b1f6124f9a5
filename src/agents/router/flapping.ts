// Flap detection, Nagios style: weighted percent state change over the last 21 observed states of an identity.
import { z } from 'zod';
import { FindingSchema } from '../../model/finding.js';

export const FLAP_HISTORY = 21;
/** Start flapping at or above this percent state change. */
export const FLAP_START_PCT = 20;
/** Stop flapping below this percent state change. */
export const FLAP_STOP_PCT = 5;

/** Append one observation (true = problem), keeping the last FLAP_HISTORY. */
export function pushState(states: readonly boolean[], problem: boolean): boolean[] {
  const next = [...states, problem];
  return next.length > FLAP_HISTORY ? next.slice(next.length - FLAP_HISTORY) : next;
}

/**
 * Percent state change over the 20 transitions between 21 states, each change weighted linearly from 0.8 (oldest)
 * to 1.2 (newest), divided by 20 as Nagios does. A shorter history sits at the newest end of the window.
 */
export function percentStateChange(states: readonly boolean[]): number {
  const slots = FLAP_HISTORY - 1;
  const n = Math.min(states.length, FLAP_HISTORY);
  const offset = states.length - n;
  let weighted = 0;
  for (let i = 1; i < n; i++) {
    if (states[offset + i] === states[offset + i - 1]) continue;
    const position = slots - (n - 1) + i; // 1 … 20, 20 = newest transition
    weighted += 0.8 + ((position - 1) * 0.4) / (slots - 1);
  }
  return (weighted * 100) / slots;
}

/** Hysteresis between the start and stop thresholds. */
export function nextFlapping(wasFlapping: boolean, pct: number): boolean {
  return wasFlapping ? pct >= FLAP_STOP_PCT : pct >= FLAP_START_PCT;
}

export const FlapEntrySchema = z.object({
  states: z.array(z.boolean()).max(FLAP_HISTORY),
  flapping: z.boolean(),
  pct: z.number(),
  lastSeen: z.string(),
  lastProblemAt: z.string(),
  /** The last problem finding, for a flapping notice raised on a healthy observation. */
  lastFinding: FindingSchema,
  /** The identity's latest incident id (kept after resolution so a reopened id stays unique). */
  lastIncidentId: z.string().nullable(),
});
export type FlapEntry = z.infer<typeof FlapEntrySchema>;
