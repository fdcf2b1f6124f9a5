// Argus's own health: failed cycles and an unwritable or nearly full state filesystem. One episode, one alert.
//
// The cycle cannot report its own failure through itself (a failed cycle never flushes its alerts), so this path
// is separate: the guarded cycle observes the outcome, `nextSelfHealth` (pure) updates the counters and decides
// what to say, and the caller sends it straight to the channel. See docs/architecture.md "Never silent".
import { z } from 'zod';
import { formatAge } from '../agents/executor/playbooks.js';

/** Consecutive failed cycles that make an episode on their own. */
export const SELF_ALERT_AFTER_FAILURES = 3;
/** Reminders while an episode lasts: 1 h after the alert, then 4 h, then every 12 h. */
export const SELF_REMINDER_MS = [3_600_000, 4 * 3_600_000, 12 * 3_600_000] as const;

export const SelfHealthSchema = z.object({
  failures: z.number().int().nonnegative().default(0),
  lastAttemptAt: z.string().nullable().default(null),
  lastOkAt: z.string().nullable().default(null),
  lastError: z.string().nullable().default(null),
  /** When the current episode began (null: healthy). */
  episodeSince: z.string().nullable().default(null),
  /** When the last alert or reminder of this episode was handed to the channel (null: not yet). */
  alertedAt: z.string().nullable().default(null),
  reminders: z.number().int().nonnegative().default(0),
});
export type SelfHealth = z.infer<typeof SelfHealthSchema>;

export const emptySelfHealth = (): SelfHealth => SelfHealthSchema.parse({});

export type Trouble = 'state-unwritable' | 'state-low' | 'cycles-failing';

export interface SelfObservation {
  ok: boolean;
  /** One line: why the cycle failed. */
  error: string | null;
  /** The cycle failed because its state could not be written (ENOSPC, EROFS, EACCES, EDQUOT, a short write). */
  stateUnwritable: boolean;
  stateDir: string;
  stateFreeBytes: number | null;
  minFreeBytes: number;
}

export interface SelfMessage {
  kind: 'alert' | 'reminder' | 'recovery';
  severity: 'critical' | 'info';
  text: string;
  /** Stable per episode and kind: an outbox keeps one copy. */
  id: string;
}

export function troublesOf(failures: number, obs: SelfObservation): Trouble[] {
  const out: Trouble[] = [];
  if (!obs.ok && obs.stateUnwritable) out.push('state-unwritable');
  if (obs.stateFreeBytes !== null && obs.stateFreeBytes < obs.minFreeBytes) out.push('state-low');
  if (failures >= SELF_ALERT_AFTER_FAILURES) out.push('cycles-failing');
  return out;
}

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 2 : 0)} MiB`;

function describe(troubles: readonly Trouble[], h: SelfHealth, obs: SelfObservation): string[] {
  const lines: string[] = [];
  if (troubles.includes('state-unwritable'))
    lines.push(`• It cannot write its state under ${obs.stateDir}: ${obs.error ?? 'write failed'}`);
  if (troubles.includes('state-low') && obs.stateFreeBytes !== null)
    lines.push(
      `• Its state filesystem has ${mib(obs.stateFreeBytes)} free (needs ${mib(obs.minFreeBytes)}): cycles are minimal — no remediation, no tickets, no history.`,
    );
  if (troubles.includes('cycles-failing'))
    lines.push(`• ${h.failures} cycles in a row failed. Last error: ${h.lastError ?? 'unknown'}`);
  return lines;
}

function todo(troubles: readonly Trouble[], obs: SelfObservation): string {
  const steps = troubles.some((t) => t !== 'cycles-failing') ? [`free space: \`df -h ${obs.stateDir}\``] : [];
  steps.push('`journalctl -u argus.service -n 50`', '`argus doctor`');
  return `What to do: ${steps.join(', ')}.`;
}

/**
 * The next self-health after one guarded cycle, and what (if anything) to tell a person. The message is "sent" only
 * when the caller calls `markSent` after the channel took it: a failed delivery is tried again next cycle.
 */
export function nextSelfHealth(
  prev: SelfHealth,
  obs: SelfObservation,
  now: Date,
): { next: SelfHealth; message: SelfMessage | null } {
  const ts = now.toISOString();
  const failures = obs.ok ? 0 : prev.failures + 1;
  const next: SelfHealth = {
    ...prev,
    failures,
    lastAttemptAt: ts,
    lastOkAt: obs.ok ? ts : prev.lastOkAt,
    lastError: obs.ok ? prev.lastError : (obs.error ?? 'unknown error').slice(0, 200),
  };
  const troubles = troublesOf(failures, obs);
  if (troubles.length === 0) {
    if (prev.episodeSince === null) return { next, message: null };
    if (prev.alertedAt === null) return { next: { ...next, episodeSince: null, reminders: 0 }, message: null };
    const took = formatAge(Math.max(0, (now.getTime() - Date.parse(prev.episodeSince)) / 1000));
    return {
      next,
      message: {
        kind: 'recovery',
        severity: 'info',
        id: `self:recovered:${prev.episodeSince}`,
        text: `✅ Argus itself recovered: cycles work again (the trouble lasted ${took}).`,
      },
    };
  }
  const since = prev.episodeSince ?? ts;
  next.episodeSince = since;
  const body = [...describe(troubles, next, obs), todo(troubles, obs)];
  if (prev.alertedAt === null)
    return {
      next,
      message: {
        kind: 'alert',
        severity: 'critical',
        id: `self:alert:${since}`,
        text: ['Argus itself cannot watch this host properly:', ...body].join('\n'),
      },
    };
  const wait = SELF_REMINDER_MS[Math.min(prev.reminders, SELF_REMINDER_MS.length - 1)]!;
  if (now.getTime() - Date.parse(prev.alertedAt) < wait) return { next, message: null };
  const age = formatAge((now.getTime() - Date.parse(since)) / 1000);
  return {
    next,
    message: {
      kind: 'reminder',
      severity: 'critical',
      id: `self:reminder:${since}:${prev.reminders + 1}`,
      text: [`Argus itself still cannot watch this host properly (for ${age}):`, ...body].join('\n'),
    },
  };
}

/** The state after `message` was handed to the channel. */
export function markSent(h: SelfHealth, message: SelfMessage, now: Date): SelfHealth {
  if (message.kind === 'recovery') return { ...h, episodeSince: null, alertedAt: null, reminders: 0 };
  return { ...h, alertedAt: now.toISOString(), reminders: message.kind === 'reminder' ? h.reminders + 1 : 0 };
}

const UNWRITABLE = new Set(['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'EDQUOT', 'short_write']);

/** Whether an error (or its cause chain) says the state could not be written. */
export function isUnwritable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNWRITABLE.has(code)) return true;
  }
  return false;
}
