// What a person reads on a phone: the request (what, why, evidence, what happens if nobody answers) with its three
// buttons, and the same message once decided (who, when, the verified outcome). Host text is escaped here, once.
import { telegramHtml } from '../model/escape.js';
import type { Approval } from '../state/approvals.js';
import type { InlineButton } from '../notify/telegram-api.js';
import { targetOf } from './ask.js';

export type Choice = 'approve' | 'reject' | 'silence';

const CODE: Record<Choice, string> = { approve: 'a', reject: 'r', silence: 's' };
const CHOICE: Record<string, Choice> = { a: 'approve', r: 'reject', s: 'silence' };

/** Silence 4 h: the button's window. */
export const SILENCE_BUTTON_MS = 4 * 3_600_000;

/**
 * callback_data: `a:<id>:<first 12 hex of the action hash>` — 31 bytes of Telegram's 64; only an opaque id and a
 * check that the press is about this very action. The state lives in the state dir.
 */
export function callbackData(choice: Choice, approval: Pick<Approval, 'id' | 'hash'>): string {
  return `${CODE[choice]}:${approval.id}:${approval.hash.slice(0, 12)}`;
}

export function parseCallbackData(data: string): { choice: Choice; id: string; hashPrefix: string } | null {
  const m = /^([ars]):([A-Za-z0-9_-]{16}):([0-9a-f]{12})$/.exec(data);
  if (!m) return null;
  return { choice: CHOICE[m[1]!]!, id: m[2]!, hashPrefix: m[3]! };
}

export function buttons(approval: Pick<Approval, 'id' | 'hash'>): InlineButton[] {
  return [
    { text: '✅ Approve', callback_data: callbackData('approve', approval) },
    { text: '✖️ Reject', callback_data: callbackData('reject', approval) },
    { text: '🔕 Silence 4 h', callback_data: callbackData('silence', approval) },
  ];
}

const hhmm = (iso: string): string => `${iso.slice(11, 16)} UTC`;

const WHAT: Record<Approval['kind'], string> = {
  restart_unlisted: 'Restart a watched unit that is not on the restart allowlist',
  retry_restart: 'Retry a restart: the automatic attempts are used up',
  kill_process: 'Kill a process (automatic kills of memory hogs are off)',
  kill_tmux: 'Kill a tmux session',
  clean_disk: 'Clean the safelist now (old temp files, caches, rotated logs)',
};

/** The request as sent: HTML. */
export function requestText(approval: Approval, hostname: string): string {
  const lines = [
    `🙋 <b>Approval needed</b> on ${telegramHtml(hostname)}`,
    `${WHAT[approval.kind]}: <code>${telegramHtml(`${approval.action} ${targetOf(approval.action, approval.input)}`)}</code>`,
    telegramHtml(approval.summary),
    ...(approval.identity ? [`Incident: <code>${telegramHtml(approval.incidentId ?? approval.identity)}</code>`] : []),
    `If nobody answers by ${hhmm(approval.expiresAt)}, nothing is done. The action is checked again against the machine when approved.`,
  ];
  return lines.join('\n');
}

const personName = (approval: Approval): string => {
  const by = approval.decision?.by;
  return by ? `${telegramHtml(by.name)} (${telegramHtml(by.id)})` : 'nobody';
};

/** The message once decided: the request, then who decided, when, and what happened. */
export function decidedText(approval: Approval, hostname: string): string {
  const d = approval.decision;
  const head = requestText(approval, hostname).split('\n').slice(0, 4).join('\n');
  if (!d) return head;
  const at = hhmm(d.at);
  switch (d.choice) {
    case 'approve': {
      const o = approval.outcome;
      const result = o
        ? `${o.result === 'success' ? '✅' : '⚠️'} ${telegramHtml(o.result)}: ${telegramHtml(o.reason.slice(0, 600))}`
        : '⏳ acting… (or Argus stopped while acting: see argus problems)';
      return `${head}\n\n<b>Approved</b> by ${personName(approval)} at ${at}.\n${result}`;
    }
    case 'reject':
      return `${head}\n\n<b>Rejected</b> by ${personName(approval)} at ${at}. Nothing was done.`;
    case 'silence':
      return `${head}\n\n<b>Rejected and silenced for 4 h</b> by ${personName(approval)} at ${at}. Nothing was done.`;
    case 'expire':
      return `${head}\n\n⌛ <b>Expired</b> at ${at}: nobody answered. Nothing was done.`;
  }
}
