// The Bot API calls the Solicitor needs beside sendMessage (send.ts): getUpdates (long polling), a message with inline
// buttons, editMessageText, answerCallbackQuery. Requests to a chat wait their turn in the chat's queue (pace.ts), a
// 429 holds that chat; the token travels in the URL and never in a returned text. Never throws.
import { z } from 'zod';
import type { TelegramPacer } from './pace.js';
import { postBot, redactToken } from './bot-http.js';
import type { TelegramTarget } from './bot-http.js';

export type BotResult<T> =
  | { ok: true; result: T }
  /** transient: try again later (network, 5xx, 429, timeout); config: token or chat wrong; rejected: never accepted. */
  | { ok: false; kind: 'transient' | 'config' | 'rejected'; status: number; detail: string; retryAfterSec?: number };

export interface BotApiOptions {
  fetch: typeof fetch;
  target: TelegramTarget;
  pacer: TelegramPacer;
}

const UserSchema = z.looseObject({
  id: z.number(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});
const ChatSchema = z.looseObject({ id: z.number(), type: z.string().optional() });
const MessageSchema = z.looseObject({
  message_id: z.number(),
  chat: ChatSchema,
  from: UserSchema.optional(),
  text: z.string().optional(),
  date: z.number().optional(),
});
export const UpdateSchema = z.looseObject({
  update_id: z.number().int(),
  message: MessageSchema.optional(),
  callback_query: z
    .looseObject({ id: z.string(), from: UserSchema, message: MessageSchema.optional(), data: z.string().optional() })
    .optional(),
});
export type TgUser = z.infer<typeof UserSchema>;
export type TgUpdate = z.infer<typeof UpdateSchema>;

export interface InlineButton {
  text: string;
  callback_data: string;
}

/** One Bot API method call, classified like send.ts classifies sendMessage. */
export async function callBotApi<T>(
  options: Pick<BotApiOptions, 'fetch' | 'target'>,
  method: string,
  body: Record<string, unknown>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<BotResult<T>> {
  const r = await postBot(options.fetch, options.target, method, body, timeoutMs, signal);
  if (r.kind === 'network') return { ok: false, kind: 'transient', status: 0, detail: r.detail };
  const { payload } = r;
  if (r.httpOk && payload.ok !== false) return { ok: true, result: payload.result as T };
  const status = r.status;
  const description = redactToken(options.target, String(payload.description ?? '')).slice(0, 300);
  if (status === 429) {
    const n = Number(payload.parameters?.retry_after);
    return {
      ok: false,
      kind: 'transient',
      status,
      detail: `rate limited (${description})`,
      retryAfterSec: Number.isFinite(n) && n > 0 ? n : 1,
    };
  }
  if (status >= 500 || status === 409)
    return { ok: false, kind: 'transient', status, detail: `Telegram answered ${status}: ${description}` };
  if (status === 401 || status === 403 || /chat not found/i.test(description))
    return { ok: false, kind: 'config', status, detail: `Telegram refused (${status}: ${description})` };
  return { ok: false, kind: 'rejected', status, detail: `Telegram rejected ${method} (${status}: ${description})` };
}

/** A request to the target chat, in the chat's turn; a 429 holds the chat for its retry_after. */
async function inTurn<T>(
  options: BotApiOptions,
  method: string,
  body: Record<string, unknown>,
  timeoutMs: number,
): Promise<BotResult<T>> {
  const chatId = options.target.chatId;
  let result: BotResult<T>;
  try {
    result = await options.pacer.run(chatId, () => callBotApi<T>(options, method, body, timeoutMs), timeoutMs);
  } catch (error) {
    return { ok: false, kind: 'transient', status: 0, detail: `no turn to send: ${(error as Error).message}` };
  }
  if (!result.ok && result.retryAfterSec !== undefined) options.pacer.hold(chatId, result.retryAfterSec * 1000);
  return result;
}

/** Send an HTML message with one row of inline buttons; the message id is what later edits name. */
export async function sendWithButtons(
  options: BotApiOptions,
  html: string,
  buttons: InlineButton[],
  timeoutMs = 10_000,
): Promise<BotResult<{ message_id: number }>> {
  return inTurn(
    options,
    'sendMessage',
    {
      chat_id: options.target.chatId,
      text: html,
      parse_mode: 'HTML',
      disable_web_page_preview: true,
      reply_markup: { inline_keyboard: [buttons] },
    },
    timeoutMs,
  );
}

/** A plain reply in the chat (command answers), optionally as a reply to the command's message. */
export async function sendReply(
  options: BotApiOptions,
  html: string,
  replyTo: number | null,
  timeoutMs = 10_000,
): Promise<BotResult<{ message_id: number }>> {
  const reply =
    replyTo === null ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
  return inTurn(
    options,
    'sendMessage',
    { chat_id: options.target.chatId, text: html, parse_mode: 'HTML', disable_web_page_preview: true, ...reply },
    timeoutMs,
  );
}

/** Replace a message's text; without buttons its inline keyboard goes. "message is not modified" counts as done. */
export async function editMessageText(
  options: BotApiOptions,
  messageId: number,
  html: string,
  timeoutMs = 10_000,
): Promise<BotResult<unknown>> {
  const r = await inTurn<unknown>(
    options,
    'editMessageText',
    {
      chat_id: options.target.chatId,
      message_id: messageId,
      text: html,
      parse_mode: 'HTML',
      disable_web_page_preview: true,
    },
    timeoutMs,
  );
  if (!r.ok && r.status === 400 && /message is not modified/i.test(r.detail)) return { ok: true, result: true };
  return r;
}

/** Stop the button's spinner, with a short notice to the person who pressed it. Not paced (no message is sent). */
export async function answerCallbackQuery(
  options: Pick<BotApiOptions, 'fetch' | 'target'>,
  callbackQueryId: string,
  text: string,
  timeoutMs = 5000,
): Promise<BotResult<unknown>> {
  return callBotApi(
    options,
    'answerCallbackQuery',
    { callback_query_id: callbackQueryId, text: text.slice(0, 190) },
    timeoutMs,
  );
}

/**
 * Long polling: updates after `offset` (messages and callback queries only), waiting up to `timeoutSec` for one.
 * Malformed updates are returned as their ids alone, so the offset still moves past them.
 */
export async function getUpdates(
  options: Pick<BotApiOptions, 'fetch' | 'target'>,
  offset: number,
  timeoutSec: number,
  signal?: AbortSignal,
): Promise<BotResult<Array<TgUpdate | { update_id: number; malformed: true }>>> {
  const r = await callBotApi<unknown>(
    options,
    'getUpdates',
    { offset, timeout: timeoutSec, allowed_updates: ['message', 'callback_query'] },
    (timeoutSec + 10) * 1000,
    signal,
  );
  if (!r.ok) return r;
  if (!Array.isArray(r.result))
    return { ok: false, kind: 'transient', status: 200, detail: 'getUpdates answered something that is not a list' };
  const updates = r.result.flatMap((raw: unknown) => {
    const parsed = UpdateSchema.safeParse(raw);
    if (parsed.success) return [parsed.data];
    const id = (raw as { update_id?: unknown } | null)?.update_id;
    return typeof id === 'number' && Number.isInteger(id) ? [{ update_id: id, malformed: true as const }] : [];
  });
  return { ok: true, result: updates };
}
