// Telegram Bot API notifier: one aggregated message per cycle, the outbox first, retries within the cycle's budget.
import type { Log } from '../log.js';
import { renderAlerts, splitLines, type Chunk } from './format.js';
import type { AlertMessage, DeliveryReport, Notifier } from './notifier.js';
import { createOutbox, toAlert } from './outbox.js';

export interface TelegramOptions {
  fetch: typeof fetch;
  botToken: string;
  chatId: string;
  apiBase: string;
  hostname: string;
  outboxPath: string;
  now: () => Date;
  log: Log;
  /** Time this deliver() may spend, ms (429 waits included). */
  budgetMs?: number;
  /** Per-request timeout, ms (capped by what is left of the budget). */
  requestTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** How one sendMessage attempt ended. */
type Attempt =
  | { kind: 'ok' }
  | { kind: 'retry_after'; seconds: number }
  | { kind: 'transient'; detail: string }
  | { kind: 'unparsable' }
  | { kind: 'config'; detail: string }
  | { kind: 'rejected'; detail: string };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createTelegramNotifier(options: TelegramOptions): Notifier {
  const { botToken, chatId, log, now } = options;
  const budgetMs = options.budgetMs ?? 20_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const sleep = options.sleep ?? defaultSleep;
  const outbox = createOutbox(options.outboxPath);
  const url = `${options.apiBase.replace(/\/+$/, '')}/bot${botToken}/sendMessage`;
  /** The token is in the URL: no text that leaves this module may contain it. */
  const redact = (text: string): string => (botToken ? text.split(botToken).join('[redacted]') : text);

  async function send(text: string, html: boolean, remainingMs: number): Promise<Attempt> {
    const body: Record<string, unknown> = { chat_id: chatId, text, disable_web_page_preview: true };
    if (html) body.parse_mode = 'HTML';
    let response: Response;
    let payload: { ok?: boolean; description?: string; parameters?: { retry_after?: number } } = {};
    try {
      response = await options.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(Math.max(1, Math.min(requestTimeoutMs, remainingMs))),
      });
      const raw = await response.text();
      try {
        payload = JSON.parse(raw) as typeof payload;
      } catch {
        payload = { description: raw.slice(0, 200) };
      }
    } catch (error) {
      const name = (error as Error).name;
      const detail = name === 'TimeoutError' || name === 'AbortError' ? 'request timed out' : `network error: ${(error as Error).message}`;
      return { kind: 'transient', detail: redact(detail) };
    }
    const description = redact(String(payload.description ?? ''));
    if (response.ok && payload.ok !== false) return { kind: 'ok' };
    const status = response.status;
    if (status === 429) return { kind: 'retry_after', seconds: Number(payload.parameters?.retry_after ?? 1) };
    if (status >= 500) return { kind: 'transient', detail: `Telegram answered ${status}` };
    if (status === 401) return { kind: 'config', detail: 'Telegram rejected the bot token (401): check TELEGRAM_BOT_TOKEN' };
    if (status === 403)
      return { kind: 'config', detail: `Telegram refused to post to the chat (403: ${description}): check TELEGRAM_CHAT_ID and that the bot is in the chat` };
    if (/chat not found/i.test(description))
      return { kind: 'config', detail: 'Telegram does not know the chat (400 chat not found): check TELEGRAM_CHAT_ID' };
    if (status === 400 && /can't parse entities/i.test(description)) return { kind: 'unparsable' };
    return { kind: 'rejected', detail: `Telegram rejected the message (${status}: ${description})` };
  }

  /** Send one chunk: honour 429 within the budget, fall back to plain text when the HTML does not parse. */
  async function sendChunk(chunk: Chunk, started: number): Promise<Attempt> {
    let html = true;
    for (;;) {
      const remaining = budgetMs - (now().getTime() - started);
      if (remaining <= 0) return { kind: 'transient', detail: 'time budget spent' };
      const attempt = await send(html ? chunk.html : chunk.plain, html, remaining);
      if (attempt.kind === 'retry_after') {
        const waitMs = attempt.seconds * 1000;
        const left = budgetMs - (now().getTime() - started);
        if (waitMs >= left) return { kind: 'transient', detail: `rate limited by Telegram (retry after ${attempt.seconds}s)` };
        log.info({ retryAfterSec: attempt.seconds }, 'telegram rate limit: waiting');
        await sleep(waitMs);
        continue;
      }
      if (attempt.kind === 'unparsable') {
        if (!html) return { kind: 'rejected', detail: "Telegram could not parse the plain-text message" };
        log.warn('telegram could not parse the HTML message: resending as plain text');
        html = false;
        continue;
      }
      return attempt;
    }
  }

  return {
    channel: 'telegram',
    async deliver(alerts: readonly AlertMessage[]): Promise<DeliveryReport> {
      const started = now().getTime();
      // Persist first: an alert leaves the outbox only once Telegram has accepted it (exactly once, crash-safe).
      let pending = outbox.add(alerts, now().toISOString());
      if (pending.length === 0) return { status: 'delivered', delivered: 0, queued: 0, detail: 'nothing to send' };
      const chunks = splitLines(renderAlerts(options.hostname, pending.map(toAlert), now()));
      let delivered = 0;
      for (const chunk of chunks) {
        const result = await sendChunk(chunk, started);
        if (result.kind === 'ok' || result.kind === 'rejected') {
          if (result.kind === 'rejected') log.error({ detail: result.detail }, 'telegram rejected a message: dropping it');
          else delivered += chunk.completes.length;
          pending = outbox.remove(chunk.completes);
          continue;
        }
        if (result.kind === 'config') {
          log.error({ detail: result.detail }, 'telegram configuration error: alerts kept in the outbox');
          return { status: 'failed', delivered, queued: pending.length, detail: result.detail };
        }
        const detail = result.kind === 'transient' ? result.detail : 'unexpected answer';
        log.warn({ detail, queued: pending.length }, 'telegram unavailable: alerts kept in the outbox');
        return { status: 'queued', delivered, queued: pending.length, detail: `${detail}; kept in the outbox for the next cycle` };
      }
      return { status: 'delivered', delivered, queued: pending.length, detail: `sent ${chunks.length} message(s)` };
    },
  };
}
