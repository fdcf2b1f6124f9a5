// A fake Telegram Bot API on loopback, for the built CLI and for processes in a container (msw reaches neither).
// Records every sendMessage (with when it arrived); `down` makes it answer 502 until it is set back; `script`
// answers the next requests (a 429 with retry_after, a 5xx…) before falling back to accepting.
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
}

export async function startLoopbackTelegram(host = '127.0.0.1'): Promise<LoopbackTelegram> {
  const fake: LoopbackTelegram = { apiBase: '', accepted: [], refused: 0, down: false, requests: [], script: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const at = performance.now();
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (!/\/bot[^/]+\/sendMessage$/.test(req.url ?? '')) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      let parsed: { text?: unknown; chat_id?: unknown; parse_mode?: unknown };
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        return send(400, { ok: false, error_code: 400, description: 'Bad Request: body is not JSON' });
      }
      const text = String(parsed.text ?? '');
      const record = (status: number) =>
        fake.requests.push({ at, chatId: String(parsed.chat_id), text, parseMode: typeof parsed.parse_mode === 'string' ? parsed.parse_mode : undefined, status });
      if (fake.down) {
        fake.refused++;
        record(502);
        return send(502, { ok: false, error_code: 502, description: 'Bad Gateway' });
      }
      const reply = fake.script.shift() ?? 'ok';
      if (reply !== 'ok') {
        record(reply.status);
        const parameters = reply.retryAfter !== undefined ? { parameters: { retry_after: reply.retryAfter } } : {};
        return send(reply.status, { ok: false, error_code: reply.status, description: reply.description, ...parameters });
      }
      fake.accepted.push(text);
      record(200);
      send(200, { ok: true, result: { message_id: fake.accepted.length } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  fake.apiBase = `http://${host}:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}
