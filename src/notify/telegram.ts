// Telegram Bot API notifier: a delivery is at most two messages per chat (plan.ts), the outbox first, paced per chat
// (pace.ts), retries within the delivery's time budget.
import type { Log } from '../log.js';
import type { AlertMessage, DeliveryReport, Notifier } from './notifier.js';
import { createOutbox, toAlert } from './outbox.js';
import { createTelegramPacer, type TelegramPacer } from './pace.js';
import { planMessages } from './plan.js';
import { sendChunk, startBudget, type SendContext } from './send.js';

export interface TelegramOptions {
  fetch: typeof fetch;
  botToken: string;
  chatId: string;
  apiBase: string;
  hostname: string;
  outboxPath: string;
  now: () => Date;
  log: Log;
  /** Time this deliver() may spend, ms (waiting for the chat's turn and 429 waits included). */
  budgetMs?: number;
  /** Per-request timeout, ms (capped by what is left of the budget). */
  requestTimeoutMs?: number;
  /** The process's pacer, shared with direct sends (default: this notifier's own, at Telegram's documented rates). */
  pacer?: TelegramPacer;
}

export function createTelegramNotifier(options: TelegramOptions): Notifier {
  const { log, now } = options;
  const budgetMs = options.budgetMs ?? 20_000;
  const outbox = createOutbox(options.outboxPath);
  const ctx: SendContext = {
    fetch: options.fetch,
    pacer: options.pacer ?? createTelegramPacer(),
    target: { botToken: options.botToken, chatId: options.chatId, apiBase: options.apiBase },
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    note: (event, detail) =>
      event === 'rate_limited'
        ? log.info({ detail }, 'telegram rate limit: waiting')
        : log.warn('telegram could not parse the HTML message: resending as plain text'),
  };

  return {
    channel: 'telegram',
    /**
     * One delivery = everything waiting in the outbox (oldest first, from earlier cycles) plus these alerts, in at
     * most two messages: what does not fit in full is summarized in the last message (plan.ts) and counts as
     * delivered with it — a backlog after an outage becomes two messages, not a burst; the registry has the rest.
     * Exactly once: an alert leaves the outbox only with the accepted message that shows or summarizes it.
     */
    async deliver(alerts: readonly AlertMessage[]): Promise<DeliveryReport> {
      const budget = startBudget(budgetMs);
      // Persist first: an alert leaves the outbox only once Telegram has accepted it (exactly once, crash-safe).
      let pending = outbox.add(alerts, now().toISOString());
      if (pending.length === 0) return { status: 'delivered', delivered: 0, queued: 0, detail: 'nothing to send' };
      const chunks = planMessages(options.hostname, pending.map(toAlert), now());
      let delivered = 0;
      for (const chunk of chunks) {
        const result = await sendChunk(ctx, chunk, budget);
        if (result.kind === 'ok' || result.kind === 'rejected') {
          if (result.kind === 'rejected')
            log.error({ detail: result.detail }, 'telegram rejected a message: dropping it');
          else delivered += chunk.completes.length;
          pending = outbox.remove(chunk.completes);
          continue;
        }
        if (result.kind === 'config') {
          log.error({ detail: result.detail }, 'telegram configuration error: alerts kept in the outbox');
          return { status: 'failed', delivered, queued: pending.length, detail: result.detail };
        }
        log.warn({ detail: result.detail, queued: pending.length }, 'telegram unavailable: alerts kept in the outbox');
        return {
          status: 'queued',
          delivered,
          queued: pending.length,
          detail: `${result.detail}; kept in the outbox for the next cycle`,
        };
      }
      return { status: 'delivered', delivered, queued: pending.length, detail: `sent ${chunks.length} message(s)` };
    },
  };
}
