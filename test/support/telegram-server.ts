// A fake Telegram Bot API on loopback, for the built CLI and for processes in a container (msw reaches neither).
// Records every sendMessage; `down` makes it answer 502 until it is set back.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackTelegram {
  /** e.g. http://127.0.0.1:40123 — use as TELEGRAM_API_BASE. */
  apiBase: string;
  /** Texts accepted, in order. */
  accepted: string[];
  /** Requests refused while down. */
  refused: number;
  down: boolean;
  close(): Promise<void>;
}

export async function startLoopbackTelegram(host = '127.0.0.1'): Promise<LoopbackTelegram> {
  const fake: LoopbackTelegram = { apiBase: '', accepted: [], refused: 0, down: false, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (!/\/bot[^/]+\/sendMessage$/.test(req.url ?? '')) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      if (fake.down) {
        fake.refused++;
        return send(502, { ok: false, error_code: 502, description: 'Bad Gateway' });
      }
      try {
        const text = String((JSON.parse(body) as { text?: unknown }).text ?? '');
        fake.accepted.push(text);
        send(200, { ok: true, result: { message_id: fake.accepted.length } });
      } catch {
        send(400, { ok: false, error_code: 400, description: 'Bad Request: body is not JSON' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  fake.apiBase = `http://${host}:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}
