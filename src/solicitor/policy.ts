// What a person may approve, and what an approval lifts. Pure: a table test reads like the policy. Hard limits (PID 1,
// Argus itself, kernel threads, commands off the kill list, units not watched, paths outside the safelist) are never
// lifted: an approved action still passes every guard of the gate (see preflight.ts), only the one rule named here is
// lifted, and only for that one request.
import type { Config } from '../config/schema.js';
import { normalizeUnit } from '../agents/executor/actions/restart-service.js';
import type { ApprovalKind } from '../state/approvals.js';

export type PolicyVerdict =
  { approvable: true; kind: ApprovalKind; lifts: Lifts } | { approvable: false; reason: string };

/** The one rule an approval lifts for its request. */
export interface Lifts {
  /** A watched unit not on the restart allowlist may be restarted (this unit only). */
  allowUnit: string | null;
  /** The restart backoff is not applied (the per-window budget still is). */
  liftBackoff: boolean;
}

const NONE: Lifts = { allowUnit: null, liftBackoff: false };

export interface Situation {
  /** restart_service: the unit's restart attempts are used up (backoff exhausted or given up). */
  backoffExhausted?: boolean;
}

/** Whether Telegram can carry approvals at all: a chat and at least one approver. */
export function solicitorConfigured(config: Config): boolean {
  return Boolean(config.telegram.botToken && config.telegram.chatId && config.telegram.approvers.length > 0);
}

/**
 * May this request be put to a person, and as which kind? `restart_service` of a watched unit off the allowlist is
 * `restart_unlisted`; of an allowlisted unit whose backoff is exhausted, `retry_restart`; an allowlisted unit with
 * attempts left needs nobody. A unit that is not watched (`services`) is never approvable.
 */
export function approvalPolicy(
  action: string,
  input: Record<string, unknown>,
  config: Config,
  situation: Situation = {},
): PolicyVerdict {
  if (!solicitorConfigured(config))
    return {
      approvable: false,
      reason: 'no approvers configured (telegram.botToken, telegram.chatId and telegram.approvers)',
    };
  const verdict = kindFor(action, input, config, situation);
  if (!verdict.approvable) return verdict;
  if (!config.approval.actions.includes(verdict.kind))
    return { approvable: false, reason: `${verdict.kind} is not approvable by configuration (approval.actions)` };
  return verdict;
}

function kindFor(action: string, input: Record<string, unknown>, config: Config, situation: Situation): PolicyVerdict {
  switch (action) {
    case 'restart_service': {
      const unit = typeof input.service === 'string' ? normalizeUnit(input.service) : null;
      if (unit === null) return { approvable: false, reason: 'not a valid service unit name' };
      if (!config.services.map(normalizeUnit).includes(unit))
        return { approvable: false, reason: `${unit} is not a watched unit (services): never approvable` };
      if (input.failing_probe !== undefined)
        return {
          approvable: false,
          reason: 'a restart for a failing probe is not approvable (the probe result would be stale)',
        };
      const listed = config.restartAllowlist.map(normalizeUnit).includes(unit);
      if (!listed)
        return { approvable: true, kind: 'restart_unlisted', lifts: { allowUnit: unit, liftBackoff: false } };
      if (situation.backoffExhausted)
        return { approvable: true, kind: 'retry_restart', lifts: { allowUnit: null, liftBackoff: true } };
      return { approvable: false, reason: `${unit} is on the restart allowlist: Argus restarts it without asking` };
    }
    case 'kill_pid':
      return { approvable: true, kind: 'kill_process', lifts: NONE };
    case 'kill_tmux':
      return { approvable: true, kind: 'kill_tmux', lifts: NONE };
    case 'clean_disk':
      return { approvable: true, kind: 'clean_disk', lifts: NONE };
    default:
      return { approvable: false, reason: `${action} is never put to a person` };
  }
}

/** The configuration an approved request runs under: the allowlist plus the one unit the approval names. */
export function liftedConfig(config: Config, lifts: Lifts): Config {
  if (lifts.allowUnit === null) return config;
  return { ...config, restartAllowlist: [...config.restartAllowlist, lifts.allowUnit] };
}

/** The lifts of an approval kind (the stored approval names its kind; the unit comes from its input). */
export function liftsOf(kind: ApprovalKind, input: Record<string, unknown>): Lifts {
  if (kind === 'restart_unlisted')
    return { allowUnit: typeof input.service === 'string' ? normalizeUnit(input.service) : null, liftBackoff: false };
  if (kind === 'retry_restart') return { allowUnit: null, liftBackoff: true };
  return NONE;
}
