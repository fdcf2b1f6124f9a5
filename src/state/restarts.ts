// Restart attempts per unit (ARG-006 backoff): restarts.json, atomic, survives restarts of Argus.
import { z } from 'zod';
import { shiftNullable } from '../model/clock-step.js';
import { readJsonState, writeJsonAtomic } from './atomic.js';

/**
 * The schedule: attempt N+1 waits `delaysMs[N]` after attempt N; after `delaysMs.length` attempts in one streak,
 * no attempt for `holdMs` after the last one. A streak ends (counter back to zero) when the hold is over, or when
 * the unit has been healthy for `healthyResetMs` (so a service is never locked out for good).
 */
export interface BackoffSchedule {
  delaysMs: readonly number[];
  holdMs: number;
  healthyResetMs: number;
}

export const DEFAULT_SCHEDULE: BackoffSchedule = {
  delaysMs: [0, 60_000, 300_000],
  holdMs: 3_600_000,
  healthyResetMs: 3_600_000,
};

export const RestartEntrySchema = z.object({
  /** Attempts in the current streak. */
  attempts: z.number().int().min(0),
  lastAttemptAt: z.string().nullable(),
  lastResult: z.enum(['success', 'failure']).nullable(),
  /** Start of the current healthy run (a verified restart, or markHealthy); null while down. */
  healthySince: z.string().nullable(),
});
export type RestartEntry = z.infer<typeof RestartEntrySchema>;

export const RestartStateSchema = z.object({
  version: z.literal(1),
  units: z.record(z.string(), RestartEntrySchema),
});
export type RestartState = z.infer<typeof RestartStateSchema>;

export interface RestartVerdict {
  allowed: boolean;
  /** The attempt number this one would be in its streak (1-based). */
  attempt: number;
  reason: string;
  /** When the next attempt is allowed (null: now). */
  nextAllowedAt: Date | null;
}

const FRESH: RestartEntry = { attempts: 0, lastAttemptAt: null, lastResult: null, healthySince: null };

/** The entry as it stands at `now`: a streak that ended (hold over, or healthy long enough) counts from zero. */
export function effectiveEntry(entry: RestartEntry | undefined, now: Date, schedule = DEFAULT_SCHEDULE): RestartEntry {
  if (!entry || entry.attempts === 0) return entry ?? FRESH;
  const t = now.getTime();
  if (entry.healthySince && t - Date.parse(entry.healthySince) >= schedule.healthyResetMs) {
    return { ...FRESH, healthySince: entry.healthySince };
  }
  if (entry.attempts >= schedule.delaysMs.length && entry.lastAttemptAt) {
    if (t >= Date.parse(entry.lastAttemptAt) + schedule.holdMs) return FRESH;
  }
  return entry;
}

/** May the unit be restarted now? Pure: reads nothing, writes nothing. */
export function restartVerdict(entry: RestartEntry | undefined, now: Date, schedule = DEFAULT_SCHEDULE): RestartVerdict {
  const e = effectiveEntry(entry, now, schedule);
  const attempt = e.attempts + 1;
  if (e.attempts === 0 || !e.lastAttemptAt) return { allowed: true, attempt, reason: `attempt ${attempt}`, nextAllowedAt: null };
  const last = Date.parse(e.lastAttemptAt);
  if (e.attempts >= schedule.delaysMs.length) {
    const next = new Date(last + schedule.holdMs);
    return {
      allowed: false,
      attempt,
      reason: `backoff: ${e.attempts} restart attempts without staying up; next attempt allowed at ${next.toISOString()}`,
      nextAllowedAt: next,
    };
  }
  const next = new Date(last + (schedule.delaysMs[e.attempts] ?? 0));
  if (now.getTime() < next.getTime()) {
    return {
      allowed: false,
      attempt,
      reason: `backoff: attempt ${attempt} waits until ${next.toISOString()} (attempt ${e.attempts} was at ${e.lastAttemptAt})`,
      nextAllowedAt: next,
    };
  }
  return { allowed: true, attempt, reason: `attempt ${attempt}`, nextAllowedAt: null };
}

export interface RecordedAttempt {
  attempt: number;
  /** True when this failure ends the streak's allowance: the caller files a bead. */
  escalate: boolean;
  /** When the next attempt is allowed. */
  nextAllowedAt: Date;
}

/** The restarts.json file. Each call reads and writes the file: no state is held in memory. */
export class RestartStore {
  constructor(
    readonly path: string,
    readonly schedule: BackoffSchedule = DEFAULT_SCHEDULE,
    private readonly onInvalid?: (reason: string) => void,
  ) {}

  read(): RestartState {
    return readJsonState(this.path, RestartStateSchema, () => ({ version: 1 as const, units: {} }), this.onInvalid);
  }

  entry(unit: string): RestartEntry | undefined {
    return this.read().units[unit];
  }

  verdict(unit: string, now: Date): RestartVerdict {
    return restartVerdict(this.entry(unit), now, this.schedule);
  }

  /** Count an executed attempt; a verified success starts a healthy run. */
  record(unit: string, ok: boolean, now: Date): RecordedAttempt {
    const state = this.read();
    const e = effectiveEntry(state.units[unit], now, this.schedule);
    const attempt = e.attempts + 1;
    state.units[unit] = {
      attempts: attempt,
      lastAttemptAt: now.toISOString(),
      lastResult: ok ? 'success' : 'failure',
      healthySince: ok ? now.toISOString() : null,
    };
    writeJsonAtomic(this.path, state);
    const exhausted = attempt >= this.schedule.delaysMs.length;
    const wait = exhausted ? this.schedule.holdMs : (this.schedule.delaysMs[attempt] ?? 0);
    return { attempt, escalate: !ok && exhausted, nextAllowedAt: new Date(now.getTime() + wait) };
  }

  /** Move every stored time back by `ms` (the wall clock was set back; see model/clock-step.ts). */
  shift(ms: number): void {
    const state = this.read();
    if (Object.keys(state.units).length === 0) return;
    for (const [unit, e] of Object.entries(state.units)) {
      state.units[unit] = { ...e, lastAttemptAt: shiftNullable(e.lastAttemptAt, ms), healthySince: shiftNullable(e.healthySince, ms) };
    }
    writeJsonAtomic(this.path, state);
  }

  /**
   * The orchestrator saw the unit active. Starts a healthy run if none is open; once it has lasted
   * `healthyResetMs` the unit's streak is forgotten. Writes only when something changes.
   */
  markHealthy(unit: string, now: Date): void {
    const state = this.read();
    const entry = state.units[unit];
    if (!entry) return;
    const since = entry.healthySince ?? now.toISOString();
    if (now.getTime() - Date.parse(since) >= this.schedule.healthyResetMs) delete state.units[unit];
    else if (entry.healthySince === since) return;
    else state.units[unit] = { ...entry, healthySince: since };
    writeJsonAtomic(this.path, state);
  }

  /** The orchestrator saw the unit down: the healthy run (if any) is over. */
  markDown(unit: string): void {
    const state = this.read();
    const entry = state.units[unit];
    if (!entry || entry.healthySince === null) return;
    state.units[unit] = { ...entry, healthySince: null };
    writeJsonAtomic(this.path, state);
  }
}
