// One Telegram message to one chat, in the chat's turn (pace.ts): a 429 holds the chat for its retry_after and is
// retried within the time budget; HTML Telegram cannot parse is resent as plain text; every other answer classified.
// The one sendMessage client: the cycle's delivery (telegram.ts) and direct self-alerts (direct.ts) both use it.
import type { Chunk } from './format.js';
import { postBot, redactToken, type TelegramTarget } from './bot-http.js';
import { NoTurnError, type TelegramPacer } from './pace.js';

export type { TelegramTarget } from './bot-http.js';

export interface SendContext {
  fetch: typeof fetch;
  pacer: TelegramPacer;
  target: TelegramTarget;
  /** Per request, ms (capped by what is left of the budget). */
  requestTimeoutMs: number;
  /** Told before a 429 wait and an HTML fallback (for the log). */
  note?: (event: 'rate_limited' | 'plain_fallback', detail: string) => void;
}

/** How sending one message ended. */
export type SendResult =
  | { kind: 'ok' }
  /** Worth trying again later (network, 5xx, timeout, a 429 longer than the budget). */
  | { kind: 'transient'; detail: string; status: number }
  /** The bot or chat is misconfigured: no later try will work until someone fixes it. */
  | { kind: 'config'; detail: string; status: number }
  /** This message will never be accepted. */
  | { kind: 'rejected'; detail: string; status: number };

type Attempt = SendResult | { kind: 'retry_after'; seconds: number } | { kind: 'unparsable' };

/**
 * A time budget on the monotonic clock: it bounds real waiting (pacing, 429s, timeouts), which the injected
 * `now()` of records and tests does not measure.
 */
export interface Budget {
  left(): number;
}

export function startBudget(ms: number): Budget {
  const deadline = performance.now() + ms;
  return { left: () => deadline - performance.now() };
}

/** retry_after in seconds as Telegram sends it; anything odd counts as 1 s. */
const retrySeconds = (value: unknown): number => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : 1;
};

async function post(ctx: SendContext, text: string, html: boolean, timeoutMs: number): Promise<Attempt> {
  const body: Record<string, unknown> = { chat_id: ctx.target.chatId, text, disable_web_page_preview: true };
  if (html) body.parse_mode = 'HTML';
  const r = await postBot(ctx.fetch, ctx.target, 'sendMessage', body, timeoutMs);
  if (r.kind === 'network') return { kind: 'transient', detail: r.detail, status: 0 };
  const { payload } = r;
  const description = redactToken(ctx.target, String(payload.description ?? ''));
  if (r.httpOk && payload.ok !== false) return { kind: 'ok' };
  const status = r.status;
  if (status === 429) return { kind: 'retry_after', seconds: retrySeconds(payload.parameters?.retry_after) };
  if (status >= 500) return { kind: 'transient', detail: `Telegram answered ${status}`, status };
  if (status === 401)
    return { kind: 'config', detail: 'Telegram rejected the bot token (401): check TELEGRAM_BOT_TOKEN', status };
  if (status === 403)
    return {
      kind: 'config',
      detail: `Telegram refused to post to the chat (403: ${description}): check TELEGRAM_CHAT_ID and that the bot is in the chat`,
      status,
    };
  if (/chat not found/i.test(description))
    return {
      kind: 'config',
      detail: 'Telegram does not know the chat (400 chat not found): check TELEGRAM_CHAT_ID',
      status,
    };
  if (status === 400 && /can't parse entities/i.test(description)) return { kind: 'unparsable' };
  return { kind: 'rejected', detail: `Telegram rejected the message (${status}: ${description})`, status };
}

/**
 * Send one chunk to the target chat within `budget`. Each request waits for the chat's turn; a 429 holds the chat's
 * queue for retry_after (so no other sender in this process hits Telegram meanwhile) and the same chunk is retried
 * when that fits the budget — else it is `transient` and stays in the caller's outbox. Never throws.
 */
export async function sendChunk(
  ctx: SendContext,
  chunk: Pick<Chunk, 'html' | 'plain'>,
  budget: Budget,
): Promise<SendResult> {
  let html = true;
  for (;;) {
    const left = budget.left();
    if (left <= 0) return { kind: 'transient', detail: 'time budget spent', status: 0 };
    let attempt: Attempt;
    try {
      attempt = await ctx.pacer.run(
        ctx.target.chatId,
        () => post(ctx, html ? chunk.html : chunk.plain, html, Math.min(ctx.requestTimeoutMs, budget.left())),
        left,
      );
    } catch (error) {
      if (error instanceof NoTurnError)
        return { kind: 'transient', detail: `no turn to send within the time budget (${error.message})`, status: 0 };
      return { kind: 'transient', detail: `could not send: ${(error as Error).message}`, status: 0 };
    }
    if (attempt.kind === 'retry_after') {
      const waitMs = attempt.seconds * 1000;
      ctx.pacer.hold(ctx.target.chatId, waitMs);
      if (waitMs >= budget.left())
        return { kind: 'transient', detail: `rate limited by Telegram (retry after ${attempt.seconds}s)`, status: 429 };
      ctx.note?.('rate_limited', `retry after ${attempt.seconds}s`);
      continue;
    }
    if (attempt.kind === 'unparsable') {
      if (!html) return { kind: 'rejected', detail: 'Telegram could not parse the plain-text message', status: 400 };
      ctx.note?.('plain_fallback', "can't parse entities");
      html = false;
      continue;
    }
    return attempt;
  }
}
