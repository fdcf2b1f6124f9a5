// One message straight to Telegram, outside any cycle: Argus's own failures and systemd's OnFailure= notice.
// It needs no state: when the send fails, the message is kept in the outbox only if one is given and writable;
// the caller tries again next cycle with the same id, and a later success takes that copy out of the outbox.
import type { AlertMessage } from './notifier.js';
import { createOutbox } from './outbox.js';
import { createTelegramPacer, type TelegramPacer } from './pace.js';
import { planMessages } from './plan.js';
import { sendChunk, startBudget, type TelegramTarget } from './send.js';

export type { TelegramTarget } from './send.js';

export interface DirectOptions {
  fetch: typeof fetch;
  /** null: no Telegram configured; the message is only logged. */
  telegram: TelegramTarget | null;
  hostname: string;
  now: () => Date;
  /** Keep an undelivered message here for the next cycle's delivery (best effort). */
  outboxPath?: string;
  /** Per request, ms. */
  timeoutMs?: number;
  /** All this send may take, ms: waiting for the chat's turn and a 429's retry_after included. */
  budgetMs?: number;
  /** The process's pacer, shared with the cycle's delivery (default: a fresh one, for a one-shot process). */
  pacer?: TelegramPacer;
  logWarn?: (text: string) => void;
}

export type DirectStatus = 'sent' | 'queued' | 'logged' | 'failed';

export interface DirectResult {
  status: DirectStatus;
  detail: string;
}

/** Send one alert now (one message: its text capped like every alert's). Never throws. */
export async function sendDirect(options: DirectOptions, alert: AlertMessage): Promise<DirectResult> {
  const { telegram } = options;
  if (!telegram) {
    options.logWarn?.(`alert: ${alert.text}`);
    return { status: 'logged', detail: 'no Telegram configured: logged only' };
  }
  const chunk = planMessages(options.hostname, [alert], options.now(), { maxMessages: 1 })[0];
  if (!chunk) return { status: 'failed', detail: 'nothing to send' };
  const result = await sendChunk(
    {
      fetch: options.fetch,
      pacer: options.pacer ?? createTelegramPacer(),
      target: telegram,
      requestTimeoutMs: options.timeoutMs ?? 5000,
    },
    chunk,
    startBudget(options.budgetMs ?? 10_000),
  );
  if (result.kind === 'ok') {
    // An earlier failed try of the same message may wait in the outbox: it must not arrive twice.
    if (options.outboxPath) {
      try {
        const outbox = createOutbox(options.outboxPath);
        if (outbox.read().some((e) => e.id === alert.id)) outbox.remove([alert.id]);
      } catch {
        // A full disk: a duplicate later is better than a lost message now.
      }
    }
    return { status: 'sent', detail: 'sent' };
  }
  const why = result.detail;
  if (options.outboxPath) {
    try {
      createOutbox(options.outboxPath).add([alert], options.now().toISOString());
      return { status: 'queued', detail: `${why}; kept in the outbox` };
    } catch (error) {
      return { status: 'failed', detail: `${why}; the outbox is not writable either (${(error as Error).message})` };
    }
  }
  return { status: 'failed', detail: why };
}
