// A fake Telegram Bot API on loopback, for the built CLI and for processes in a container (msw reaches neither).
// Records every sendMessage (with when it arrived); `down` makes it answer 502 until it is set back (every method);
// `script` answers the next sendMessage requests (a 429 with retry_after, a 5xx…) before falling back to accepting.
// For the Solicitor it also serves getUpdates (a real long poll: it waits up to `timeout` seconds for an update, and
// an offset confirms — drops — the updates before it), keeps every message with its reply_markup and edits
// (editMessageText), records answerCallbackQuery, and lets a test press a button or type a command as Telegram would
// deliver them (`press`, `command`).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer for the next sendMessage: accept it, or refuse with the Bot API's JSON error body. */
export type LoopbackReply = 'ok' | { status: number; description: string; retryAfter?: number };

export interface LoopbackRequest {
  /** performance.now() when the request reached the server (before its body was read). */
  at: number;
  chatId: string;
  text: string;
  parseMode: string | undefined;
  /** The HTTP status the fake answered. */
  status: number;
}

/** A message the bot sent, as the chat shows it now. */
export interface ChatMessage {
  messageId: number;
  chatId: string;
  text: string;
  /** inline_keyboard rows of the last send or edit (an edit without reply_markup removes them, as Telegram does). */
  buttons: Array<{ text: string; callback_data: string }>;
  /** Texts of every edit, in order. */
  edits: string[];
  replyTo: number | null;
}

export interface TelegramUser {
  id: number;
  first_name: string;
  username?: string;
}

export interface LoopbackTelegram {
  /** e.g. http://127.0.0.1:40123 — use as TELEGRAM_API_BASE. */
  apiBase: string;
  /** Texts accepted, in order. */
  accepted: string[];
  /** Requests refused while down. */
  refused: number;
  down: boolean;
  /** Every sendMessage request, accepted or not, in arrival order. */
  requests: LoopbackRequest[];
  /** Answers for the next requests, in order; when empty, every request is accepted (unless down). */
  script: LoopbackReply[];
  close(): Promise<void>;
  /** Messages the bot sent, by message_id (sendMessage with or without buttons). */
  messages: Map<number, ChatMessage>;
  /** answerCallbackQuery calls: which press, what the presser was told. */
  answers: Array<{ callbackQueryId: string; text: string }>;
  /** Every Bot API call: method and JSON body (getUpdates included), in arrival order. */
  calls: Array<{ method: string; body: Record<string, unknown>; status: number }>;
  /** Updates not yet confirmed by a getUpdates offset. */
  pendingUpdates: Array<Record<string, unknown>>;
  /** Deliver an update (as Telegram would) to the next or waiting getUpdates; returns its update_id. */
  push(update: Record<string, unknown>): number;
  /** A person presses button `index` (or sends `data`) under a bot message. */
  press(messageId: number, from: TelegramUser, options?: { index?: number; data?: string; chatId?: string }): number;
  /** A person types `text` in a chat. */
  command(text: string, from: TelegramUser, chatId: string): number;
}

export async function startLoopbackTelegram(host = '127.0.0.1'): Promise<LoopbackTelegram> {
  let nextUpdateId = 1000;
  let nextMessageId = 0;
  const waiters = new Set<() => void>();
  const fake: LoopbackTelegram = {
    apiBase: '',
    accepted: [],
    refused: 0,
    down: false,
    requests: [],
    script: [],
    close: async () => undefined,
    messages: new Map(),
    answers: [],
    calls: [],
    pendingUpdates: [],
    push(update) {
      const update_id = nextUpdateId++;
      fake.pendingUpdates.push({ update_id, ...update });
      for (const wake of [...waiters]) wake();
      return update_id;
    },
    press(messageId, from, options = {}) {
      const m = fake.messages.get(messageId);
      const data = options.data ?? m?.buttons[options.index ?? 0]?.callback_data ?? '';
      const chatId = options.chatId ?? m?.chatId ?? '0';
      return fake.push({
        callback_query: {
          id: `cq-${nextUpdateId}`,
          from: { is_bot: false, ...from },
          message: {
            message_id: messageId,
            date: 0,
            chat: { id: Number(chatId), type: Number(chatId) < 0 ? 'supergroup' : 'private' },
            text: m?.text ?? '',
          },
          chat_instance: 'ci-1',
          data,
        },
      });
    },
    command(text, from, chatId) {
      const entities = text.startsWith('/')
        ? [{ type: 'bot_command', offset: 0, length: text.split(/\s/, 1)[0]!.length }]
        : [];
      return fake.push({
        message: {
          message_id: 10_000 + nextUpdateId,
          from: { is_bot: false, ...from },
          chat: { id: Number(chatId), type: 'private' },
          date: 0,
          text,
          entities,
        },
      });
    },
  };
  const solicitorMethod = (
    method: string,
    body: Record<string, unknown>,
    send: (status: number, value: unknown) => void,
    res: import('node:http').ServerResponse,
  ): boolean => {
    switch (method) {
      case 'getUpdates': {
        const offset = Number(body.offset ?? 0);
        if (offset > 0) fake.pendingUpdates = fake.pendingUpdates.filter((u) => Number(u.update_id) >= offset);
        const ready = () => fake.pendingUpdates.filter((u) => Number(u.update_id) >= offset);
        if (ready().length || !Number(body.timeout)) {
          send(200, { ok: true, result: ready() });
          return true;
        }
        const finish = (): void => {
          waiters.delete(finish);
          clearTimeout(timer);
          if (res.writableEnded || res.destroyed) return;
          if (fake.down) return send(502, { ok: false, error_code: 502, description: 'Bad Gateway' });
          send(200, { ok: true, result: ready() });
        };
        waiters.add(finish);
        const timer = setTimeout(finish, Number(body.timeout) * 1000);
        // The client cut its long poll (its own timeout, or it was woken): forget this waiter.
        res.once('close', () => {
          waiters.delete(finish);
          clearTimeout(timer);
        });
        return true;
      }
      case 'editMessageText': {
        const m = fake.messages.get(Number(body.message_id));
        if (!m || m.chatId !== String(body.chat_id)) {
          send(400, { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' });
          return true;
        }
        const text = String(body.text ?? '');
        const markup = body.reply_markup as
          { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> } | undefined;
        if (text === m.text && !markup) {
          send(400, { ok: false, error_code: 400, description: 'Bad Request: message is not modified' });
          return true;
        }
        m.text = text;
        m.edits.push(text);
        m.buttons = markup?.inline_keyboard?.flat() ?? [];
        send(200, { ok: true, result: { message_id: m.messageId, text } });
        return true;
      }
      case 'answerCallbackQuery':
        fake.answers.push({ callbackQueryId: String(body.callback_query_id), text: String(body.text ?? '') });
        send(200, { ok: true, result: true });
        return true;
      default:
        return false;
    }
  };
  const server: Server = createServer((req, res) => {
    const at = performance.now();
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const method = /\/bot[^/]+\/(\w+)$/.exec(req.url ?? '')?.[1] ?? '';
      let parsed: {
        text?: unknown;
        chat_id?: unknown;
        parse_mode?: unknown;
        reply_markup?: unknown;
        reply_parameters?: { message_id?: unknown };
      };
      try {
        parsed = JSON.parse(body || '{}') as typeof parsed;
      } catch {
        return send(400, { ok: false, error_code: 400, description: 'Bad Request: body is not JSON' });
      }
      if (method !== 'sendMessage') {
        const call = { method, body: parsed as Record<string, unknown>, status: 200 };
        fake.calls.push(call);
        const answer = (status: number, value: unknown): void => {
          call.status = status;
          send(status, value);
        };
        if (fake.down && ['getUpdates', 'editMessageText', 'answerCallbackQuery'].includes(method))
          return answer(502, { ok: false, error_code: 502, description: 'Bad Gateway' });
        if (solicitorMethod(method, parsed as Record<string, unknown>, answer, res)) return;
        return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
      }
      fake.calls.push({ method, body: parsed as Record<string, unknown>, status: fake.down ? 502 : 200 });
      const text = String(parsed.text ?? '');
      const record = (status: number) =>
        fake.requests.push({
          at,
          chatId: String(parsed.chat_id),
          text,
          parseMode: typeof parsed.parse_mode === 'string' ? parsed.parse_mode : undefined,
          status,
        });
      if (fake.down) {
        fake.refused++;
        record(502);
        return send(502, { ok: false, error_code: 502, description: 'Bad Gateway' });
      }
      const reply = fake.script.shift() ?? 'ok';
      if (reply !== 'ok') {
        record(reply.status);
        const parameters = reply.retryAfter !== undefined ? { parameters: { retry_after: reply.retryAfter } } : {};
        return send(reply.status, {
          ok: false,
          error_code: reply.status,
          description: reply.description,
          ...parameters,
        });
      }
      fake.accepted.push(text);
      record(200);
      const messageId = ++nextMessageId;
      const markup = parsed.reply_markup as
        { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> } | undefined;
      const replyTo = Number(parsed.reply_parameters?.message_id);
      fake.messages.set(messageId, {
        messageId,
        chatId: String(parsed.chat_id),
        text,
        buttons: markup?.inline_keyboard?.flat() ?? [],
        edits: [],
        replyTo: Number.isFinite(replyTo) ? replyTo : null,
      });
      send(200, { ok: true, result: { message_id: messageId } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  fake.apiBase = `http://${host}:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const wake of [...waiters]) wake();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return fake;
}
