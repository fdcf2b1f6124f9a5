// A button press, decided: only the configured chat and an approver count; the id must be known, the hash must match,
// the request pending and unexpired, and its one answer claimed (O_EXCL). Approve runs the action through the gate
// (source `human`) under the single-instance lock, against the machine as it is now. Every press leaves exactly one
// registry record: the gate's record when the action ran, else one `decision` record saying what was refused and why.
import type { ActionContext, Gate } from '../agents/executor/action.js';
import { safeText } from '../agents/executor/sanitise.js';
import type { Config } from '../config/schema.js';
import type { ProblemRecord } from '../model/record.js';
import { addSilence } from '../orchestrator/silences.js';
import type { Approval, ApprovalStore, Person } from '../state/approvals.js';
import type { Lock } from '../state/lock.js';
import type { Registry } from '../state/registry.js';
import { targetOf, typeOfIdentity } from './ask.js';
import { parseCallbackData, SILENCE_BUTTON_MS, type Choice } from './messages.js';
import { approvedContext } from './preflight.js';

export interface Press {
  chatId: string;
  user: Person;
  /** callback_data as Telegram delivered it (untrusted). */
  data: string;
}

export interface PressOutcome {
  /** The short notice shown to the person who pressed (answerCallbackQuery). */
  answer: string;
  /** The approval whose message must now be edited, if any. */
  edited: Approval | null;
}

export interface DecideDeps {
  config: Config;
  store: ApprovalStore;
  gate: Gate;
  registry: Registry;
  /** A fresh context on the machine (host, paths, config); the approval's facts are laid over it. */
  baseCtx(): Promise<ActionContext>;
  /** Take the single-instance lock, waiting for a running cycle; null when it could not be had in time. */
  acquireLock(): Promise<Lock | null>;
  silencesPath: string;
  now(): Date;
  /** Hostname for records. */
  host: string;
}

/** Whether a chat and a person count at all: the configured chat AND an allowlisted user id. */
export function authorised(config: Config, chatId: string, userId: string): { ok: true } | { ok: false; why: string } {
  if (chatId !== String(config.telegram.chatId ?? '')) return { ok: false, why: 'not the configured chat' };
  if (!config.telegram.approvers.includes(userId)) return { ok: false, why: 'not an approver (telegram.approvers)' };
  return { ok: true };
}

const NOT_ALLOWED = 'Not allowed.';

export async function decidePress(deps: DecideDeps, press: Press): Promise<PressOutcome> {
  const now = deps.now();
  const auth = authorised(deps.config, press.chatId, press.user.id);
  if (!auth.ok) {
    record(deps, now, null, press, 'refused', `button press refused: ${auth.why}`, {
      chat: safeText(press.chatId, 40),
    });
    return { answer: NOT_ALLOWED, edited: null };
  }
  const parsed = parseCallbackData(press.data);
  if (!parsed) {
    record(deps, now, null, press, 'refused', 'button press refused: callback data is not one Argus made', {
      data: safeText(press.data, 80),
    });
    return { answer: NOT_ALLOWED, edited: null };
  }
  const { choice, id, hashPrefix } = parsed;
  // Replays and double presses are answered without waiting for the lock.
  const early = refusal(deps, now, press, id, hashPrefix);
  if (early) return early;
  if (choice !== 'approve') return decline(deps, now, press, id, hashPrefix, choice);

  const lock = await deps.acquireLock();
  if (!lock) {
    const approval = deps.store.get(id);
    record(deps, now, approval, press, 'refused', 'approval not taken: a cycle held the lock too long; press again', {
      approval: id,
    });
    return { answer: 'Argus is busy with a cycle: press Approve again in a minute.', edited: null };
  }
  try {
    const claimed = deps.store.claim(id, hashPrefix, deps.now(), press.user.id);
    if (!claimed.ok) return refusedClaim(deps, now, press, claimed.why, claimed.approval);
    const at = deps.now();
    // Written before acting: a crash while acting never runs it a second time (the message then says so).
    const approved: Approval = {
      ...claimed.approval,
      status: 'approved',
      decision: { by: press.user, at: at.toISOString(), choice: 'approve' },
      outcome: null,
      editPending: true,
    };
    deps.store.write(approved);
    const ctx = approvedContext(await deps.baseCtx(), approved, at);
    const result = await deps.gate.run(
      {
        action: approved.action,
        input: approved.input,
        source: 'human',
        identity: approved.identity,
        incidentId: approved.incidentId,
        audit: {
          approval: approved.id,
          approvalKind: approved.kind,
          decidedBy: press.user,
          requestedBy: approved.requestedBy,
        },
      },
      ctx,
    );
    const done: Approval = { ...approved, outcome: { result: result.result, reason: result.reason } };
    deps.store.write(done);
    return { answer: `Approved: ${result.result}`.slice(0, 190), edited: done };
  } finally {
    lock.release();
  }
}

/** A press that cannot count, decided before the lock: unknown or tampered id, already answered, expired. */
function refusal(deps: DecideDeps, now: Date, press: Press, id: string, hashPrefix: string): PressOutcome | null {
  const approval = deps.store.get(id);
  if (!approval) return refusedClaim(deps, now, press, 'unknown', null);
  if (!approval.hash.startsWith(hashPrefix)) return refusedClaim(deps, now, press, 'tampered', approval);
  if (approval.status !== 'pending' || deps.store.claimed(id))
    return refusedClaim(deps, now, press, 'decided', approval);
  if (Date.parse(approval.expiresAt) <= now.getTime()) return refusedClaim(deps, now, press, 'expired', approval);
  return null;
}

function refusedClaim(
  deps: DecideDeps,
  now: Date,
  press: Press,
  why: 'unknown' | 'tampered' | 'decided' | 'expired',
  approval: Approval | null,
): PressOutcome {
  switch (why) {
    case 'unknown':
      record(deps, now, null, press, 'refused', 'button press refused: no such approval request (forged or removed)', {
        data: safeText(press.data, 80),
      });
      return { answer: 'Unknown request.', edited: null };
    case 'tampered':
      record(
        deps,
        now,
        approval,
        press,
        'refused',
        'button press refused: it does not match the stored action (tampered)',
        { approval: approval?.id ?? null },
      );
      return { answer: 'This request does not match: refused.', edited: null };
    case 'decided': {
      const d = approval?.decision;
      const by = d?.by
        ? `${d.by.name} at ${d.at.slice(11, 16)} UTC`
        : d
          ? `expiry at ${d.at.slice(11, 16)} UTC`
          : 'another press';
      record(
        deps,
        now,
        approval,
        press,
        'refused',
        `button press refused: already decided (${d?.choice ?? 'in progress'} by ${by})`,
        { approval: approval?.id ?? null, replay: true },
      );
      return { answer: `Already decided (${d?.choice ?? 'in progress'}).`, edited: null };
    }
    case 'expired': {
      // The press finds it expired: it is marked expired here (and the message says so), with this one record.
      const expired = approval ? expire(deps, approval, now) : null;
      record(
        deps,
        now,
        approval,
        press,
        'refused',
        `button press refused: the request expired at ${approval?.expiresAt ?? '?'}; nothing was done`,
        { approval: approval?.id ?? null, expired: true },
      );
      return { answer: 'Expired: nothing was done.', edited: expired };
    }
  }
}

/** Reject, or reject and silence the incident's identity for 4 h: one record each. */
function decline(
  deps: DecideDeps,
  now: Date,
  press: Press,
  id: string,
  hashPrefix: string,
  choice: Exclude<Choice, 'approve'>,
): PressOutcome {
  const claimed = deps.store.claim(id, hashPrefix, now, press.user.id);
  if (!claimed.ok) return refusedClaim(deps, now, press, claimed.why, claimed.approval);
  const a = claimed.approval;
  let silence: string | null = null;
  if (choice === 'silence' && a.identity) {
    silence = addSilence(
      deps.silencesPath,
      a.identity,
      new Date(now.getTime() + SILENCE_BUTTON_MS),
      now,
      `from Telegram by ${press.user.name} (${press.user.id}), approval ${a.id}`,
    ).id;
  }
  const decided: Approval = {
    ...a,
    status: choice === 'silence' ? 'silenced' : 'rejected',
    decision: { by: press.user, at: now.toISOString(), choice },
    editPending: true,
  };
  deps.store.write(decided);
  const what =
    choice === 'silence'
      ? `rejected and silenced ${a.identity ?? '(no identity)'} for 4 h${silence ? ` (${silence})` : ''}`
      : 'rejected';
  record(deps, now, decided, press, 'skipped', `${what} by ${press.user.name} (${press.user.id}); nothing was done`, {
    approval: a.id,
    decision: choice,
    silence,
  });
  return {
    answer:
      choice === 'silence' ? (silence ? 'Rejected; silenced for 4 h.' : 'Rejected (nothing to silence).') : 'Rejected.',
    edited: decided,
  };
}

/** Mark a pending approval expired if nobody has claimed it (the listener's sweep, or a late press). */
export function expire(deps: Pick<DecideDeps, 'store'>, approval: Approval, now: Date): Approval | null {
  const claimed = deps.store.claim(approval.id, null, now, 'expiry', 'expire');
  if (!claimed.ok) return null;
  const expired: Approval = {
    ...claimed.approval,
    status: 'expired',
    decision: { by: null, at: claimed.approval.expiresAt, choice: 'expire' },
    editPending: claimed.approval.message !== null,
  };
  deps.store.write(expired);
  return expired;
}

/** One registry record for a press that did not run the action (or an expiry nobody pressed). */
export function record(
  deps: Pick<DecideDeps, 'registry' | 'host'>,
  now: Date,
  approval: Approval | null,
  press: Press | null,
  result: 'refused' | 'skipped',
  reason: string,
  details: Record<string, unknown>,
): void {
  const target = approval ? `${approval.action}:${targetOf(approval.action, approval.input)}` : 'approval:?';
  const r: ProblemRecord = {
    ts: now.toISOString(),
    severity: result === 'refused' ? 'warning' : 'info',
    type: typeOfIdentity(approval?.identity ?? null),
    description: `${target}: ${result} — ${safeText(reason, 500)}`,
    action_taken: target,
    action_result: result,
    bead_id: null,
    host: deps.host,
    kind: 'decision',
    identity: approval?.identity ?? null,
    incident_id: approval?.incidentId ?? null,
    source: press ? 'human' : 'rule',
    cycle_id: null,
    details: {
      ...details,
      reason: safeText(reason, 500),
      ...(press ? { by: { id: safeText(press.user.id, 40), name: safeText(press.user.name, 80) } } : {}),
    },
  };
  try {
    deps.registry.append([r]);
  } catch {
    // The registry may be what is broken (a full disk): the decision itself is in the approval file.
  }
}
