// A scripted fake Telegram Bot API for msw: records every sendMessage and answers from a script (default: ok).
import { http, HttpResponse } from 'msw';

export const API_BASE = 'https://telegram.test';

export interface SentMessage {
  token: string;
  chat_id: unknown;
  text: string;
  parse_mode?: string;
  disable_web_page_preview?: boolean;
  /** Whether Telegram (this fake) accepted it. */
  accepted: boolean;
}

/** One scripted answer: ok, an HTTP error with the Bot API's JSON body, or a network failure. */
export type Reply = 'ok' | 'network' | { status: number; description: string; retryAfter?: number };

export interface FakeTelegram {
  sent: SentMessage[];
  /** Answers for the next requests, in order; when empty, every request is accepted. */
  script: Reply[];
  /** Texts Telegram accepted, in order. */
  accepted(): string[];
  handlers: ReturnType<typeof http.post>[];
}

export function fakeTelegram(apiBase = API_BASE): FakeTelegram {
  const fake: FakeTelegram = {
    sent: [],
    script: [],
    accepted: () => fake.sent.filter((m) => m.accepted).map((m) => m.text),
    handlers: [],
  };
  fake.handlers.push(
    http.post(`${apiBase}/*`, async ({ request }) => {
      const match = /\/bot([^/]+)\/sendMessage$/.exec(new URL(request.url).pathname);
      if (!match) return HttpResponse.json({ ok: false, error_code: 404, description: 'Not Found' }, { status: 404 });
      const body = (await request.json()) as Omit<SentMessage, 'token' | 'accepted'>;
      const reply = fake.script.shift() ?? 'ok';
      const message: SentMessage = { ...body, token: decodeURIComponent(match[1]!), accepted: reply === 'ok' };
      fake.sent.push(message);
      if (reply === 'network') return HttpResponse.error();
      if (reply === 'ok')
        return HttpResponse.json({ ok: true, result: { message_id: fake.sent.length, text: body.text } });
      return HttpResponse.json(
        {
          ok: false,
          error_code: reply.status,
          description: reply.description,
          ...(reply.retryAfter !== undefined ? { parameters: { retry_after: reply.retryAfter } } : {}),
        },
        { status: reply.status },
      );
    }),
  );
  return fake;
}
