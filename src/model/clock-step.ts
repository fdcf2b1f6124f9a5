// A wall clock set back between two cycles (NTP step, a VM restored from a snapshot): stored times would lie in the
// future, so reminders and restart backoff would stall for as long as the clock went back. Argus moves its stored
// times back by the step instead, keeping the elapsed time it measured. A clock set forward needs nothing: that is
// time passing, as after a suspend.

/**
 * How far to move stored times back, ms: the previous cycle started after `now`, so the clock went back; one interval
 * is taken to have passed since. 0 when the clock did not go back.
 */
export function backwardStepMs(previousStart: string | null, now: Date, intervalSec: number): number {
  const prev = previousStart ? Date.parse(previousStart) : NaN;
  if (Number.isNaN(prev) || prev <= now.getTime()) return 0;
  return prev + intervalSec * 1000 - now.getTime();
}

/** An ISO time moved back by `ms` (an unparsable one is left as it is). */
export function shiftIso(iso: string, ms: number): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t - ms).toISOString();
}

export function shiftNullable(iso: string | null, ms: number): string | null {
  return iso === null ? null : shiftIso(iso, ms);
}
