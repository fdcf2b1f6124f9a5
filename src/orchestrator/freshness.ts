// The inside half of the dead-man's switch: is the last cycle recent, and did it work? (`status`, `status --check`, `doctor`)
import { formatAge } from '../agents/executor/playbooks.js';
import type { CycleState } from './cycle-state.js';
import type { SelfHealth } from './self-health.js';

/** Older than this many intervals, the last cycle is STALE: the timer or the service has stopped. */
export const STALE_AFTER_INTERVALS = 2;

export interface Freshness {
  verdict: 'never' | 'ok' | 'failing' | 'stale';
  /** Seconds since the last cycle attempt (finished, ok or not); null when none ran. */
  ageSec: number | null;
  lastAttemptAt: string | null;
  consecutiveFailures: number;
  /** One line for a person. */
  line: string;
}

/**
 * Judge from cycle_state.json and self_health.json, newest wins (on a full disk only the second is written).
 * STALE beats failing: a watchdog that stopped running says nothing new about why.
 */
export function freshness(cycle: CycleState, self: SelfHealth | null, intervalSec: number, now: Date): Freshness {
  const times = [cycle.lastFinishedAt, self?.lastAttemptAt ?? null].filter(
    (t): t is string => t !== null && Number.isFinite(Date.parse(t)),
  );
  const lastAttemptAt = times.sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null;
  const fromSelf = self !== null && lastAttemptAt === self.lastAttemptAt;
  const failures = fromSelf ? self.failures : cycle.consecutiveFailures;
  if (lastAttemptAt === null)
    return { verdict: 'never', ageSec: null, lastAttemptAt, consecutiveFailures: 0, line: 'NO CYCLE has run yet' };
  const ageSec = Math.max(0, (now.getTime() - Date.parse(lastAttemptAt)) / 1000);
  const every = `expected every ${formatAge(intervalSec)}`;
  if (ageSec > STALE_AFTER_INTERVALS * intervalSec)
    return {
      verdict: 'stale',
      ageSec,
      lastAttemptAt,
      consecutiveFailures: failures,
      line: `STALE: the last cycle was ${formatAge(ageSec)} ago (${every}): is the timer running?`,
    };
  if (failures > 0) {
    const error = (fromSelf ? self.lastError : cycle.lastError) ?? 'unknown error';
    return {
      verdict: 'failing',
      ageSec,
      lastAttemptAt,
      consecutiveFailures: failures,
      line: `FAILING: ${failures} cycle(s) in a row failed, the last ${formatAge(ageSec)} ago: ${error}`,
    };
  }
  return {
    verdict: 'ok',
    ageSec,
    lastAttemptAt,
    consecutiveFailures: 0,
    line: `ok: the last cycle was ${formatAge(ageSec)} ago (${every})`,
  };
}
