import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../src/notify/notifier.js';
import { createOutbox } from '../../src/notify/outbox.js';
import { createTelegramPacer } from '../../src/notify/pace.js';
import { createTelegramNotifier, type TelegramOptions } from '../../src/notify/telegram.js';
import { API_BASE, fakeTelegram, type FakeTelegram } from '../support/telegram.js';
import { htmlProblems } from './html-check.js';

const TOKEN = '123456:SECRET-token_abcdef';
const NOW = new Date('2026-05-01T12:00:00Z');
let counter = 0;
const alert = (text: string, severity: AlertMessage['severity'] = 'warning'): AlertMessage => ({
  id: `alert-${++counter}`,
  ts: NOW.toISOString(),
  severity,
  text,
  identity: null,
});

const fake: FakeTelegram = fakeTelegram();
const server = setupServer(...fake.handlers);

describe('telegram notifier', () => {
  let dir: string;
  let logLines: string[];
  const make = (overrides: Partial<TelegramOptions> = {}) =>
    createTelegramNotifier({
      fetch: (input, init) => fetch(input, init), // msw patches the global fetch at listen()
      botToken: TOKEN,
      chatId: '-100200',
      apiBase: API_BASE,
      hostname: 'web-1',
      outboxPath: join(dir, 'outbox.jsonl'),
      now: () => NOW,
      log: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }),
      budgetMs: 20_000,
      pacer: createTelegramPacer({ chatIntervalMs: 1 }), // pacing has its own tests (fan-out.test.ts)
      ...overrides,
    });
  const outboxIds = () =>
    createOutbox(join(dir, 'outbox.jsonl'))
      .read()
      .map((e) => e.id);

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'argus-'));
    logLines = [];
    fake.sent.length = 0;
    fake.script.length = 0;
  });
  afterEach(() => {
    // The token never reaches a log line, whatever happened in the test.
    for (const line of logLines) expect(line).not.toContain(TOKEN);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends one aggregated HTML message per deliver, hostname first, with escaping', async () => {
    const report = await make().deliver([
      alert('disk / at 95%', 'critical'),
      alert('<script>alert(1)</script> & co'),
      alert('note', 'info'),
    ]);
    expect(report).toMatchObject({ status: 'delivered', delivered: 3, queued: 0 });
    expect(fake.sent).toHaveLength(1);
    const [message] = fake.sent;
    expect(message).toMatchObject({
      token: TOKEN,
      chat_id: '-100200',
      parse_mode: 'HTML',
      disable_web_page_preview: true,
    });
    expect(message!.text.split('\n')[0]).toBe('<b>[web-1]</b> Argus: 3 alerts');
    expect(message!.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(message!.text).not.toContain('<script>');
    expect(htmlProblems(message!.text)).toEqual([]);
    expect(outboxIds()).toEqual([]);
  });

  it('splits a batch that needs two messages under 4096 characters with tags intact, everything in order', async () => {
    const alerts = Array.from({ length: 50 }, (_, i) =>
      alert(`svc-${i} <failed> & restarted ${'•'.repeat(60)}`, i % 3 ? 'warning' : 'critical'),
    );
    const report = await make().deliver(alerts);
    expect(report).toMatchObject({ status: 'delivered', delivered: 50 });
    expect(fake.sent).toHaveLength(2);
    for (const m of fake.sent) {
      expect(m.text.length).toBeLessThan(4096);
      expect(htmlProblems(m.text)).toEqual([]);
    }
    const all = fake.accepted().join('\n');
    const positions = alerts.map((_, i) => all.indexOf(`svc-${i} &lt;failed&gt;`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('waits for retry_after when it fits the budget, then delivers', async () => {
    fake.script.push({ status: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    const started = performance.now();
    const report = await make().deliver([alert('rate limited once')]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(report).toMatchObject({ status: 'delivered', delivered: 1, queued: 0 });
    expect(fake.sent).toHaveLength(2);
    expect(fake.accepted()).toHaveLength(1);
  });

  it('keeps the alert in the outbox when retry_after exceeds the budget, and sends it next time', async () => {
    fake.script.push({ status: 429, description: 'Too Many Requests: retry after 30', retryAfter: 30 });
    const first = alert('wait for me');
    const started = performance.now();
    const report = await make().deliver([first]);
    expect(performance.now() - started).toBeLessThan(1000); // no hopeless wait
    expect(report).toMatchObject({ status: 'queued', delivered: 0, queued: 1 });
    expect(outboxIds()).toEqual([first.id]);
    const later = await make().deliver([]);
    expect(later).toMatchObject({ status: 'delivered', delivered: 1, queued: 0 });
    expect(fake.accepted()).toHaveLength(1);
    expect(fake.accepted()[0]).toContain('wait for me');
  });

  it('5xx, then the network down, then back: every alert delivered exactly once, in order', async () => {
    const notifier = make();
    const [a, b, c, d] = [alert('alpha-1'), alert('bravo-2'), alert('charlie-3'), alert('delta-4')];
    fake.script.push({ status: 502, description: 'Bad Gateway' });
    expect(await notifier.deliver([a!])).toMatchObject({ status: 'queued', queued: 1 });
    fake.script.push('network');
    expect(await notifier.deliver([b!])).toMatchObject({ status: 'queued', queued: 2 });
    expect(await notifier.deliver([c!])).toMatchObject({ status: 'delivered', delivered: 3, queued: 0 });
    expect(await notifier.deliver([d!])).toMatchObject({ status: 'delivered', delivered: 1 });
    expect(fake.sent).toHaveLength(4);
    const accepted = fake.accepted();
    expect(accepted).toHaveLength(2);
    const text = accepted.join('\n');
    for (const name of ['alpha-1', 'bravo-2', 'charlie-3', 'delta-4']) expect(text.split(name)).toHaveLength(2);
    expect(text.indexOf('alpha-1')).toBeLessThan(text.indexOf('bravo-2'));
    expect(text.indexOf('bravo-2')).toBeLessThan(text.indexOf('charlie-3'));
    expect(accepted[1]).toContain('delta-4');
    expect(accepted[1]).not.toContain('alpha-1');
  });

  it('a failure between the two messages of one delivery resends only what was not delivered', async () => {
    const alerts = Array.from({ length: 90 }, (_, i) => ({
      ...alert(`item-${i}-end ${'z'.repeat(80)}`),
      identity: `item:${i}-end`,
    }));
    fake.script.push('ok', { status: 500, description: 'Internal Server Error' });
    const first = await make().deliver(alerts);
    expect(first.status).toBe('queued');
    expect(first.delivered).toBeGreaterThan(0);
    expect(first.delivered + first.queued).toBe(90);
    await make().deliver([]);
    // Each item once: in full (`item-N-end zzz…`) or named in a summary (`item:N-end`).
    const text = fake.accepted().join('\n');
    for (let i = 0; i < 90; i++) expect(text.split(new RegExp(`item[-:]${i}-end`)), `item ${i}`).toHaveLength(2);
    expect(outboxIds()).toEqual([]);
  });

  it("resends as plain text when Telegram can't parse the entities", async () => {
    fake.script.push({ status: 400, description: "Bad Request: can't parse entities: unsupported start tag" });
    const report = await make().deliver([alert('weird <tag> & text')]);
    expect(report.status).toBe('delivered');
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[1]!.parse_mode).toBeUndefined();
    expect(fake.sent[1]!.text).toContain('weird <tag> & text');
    expect(fake.sent[1]!.text).not.toContain('<b>');
  });

  it.each([
    [401, 'Unauthorized', /rejected the bot token \(401\): check TELEGRAM_BOT_TOKEN/],
    [403, 'Forbidden: bot was kicked from the group chat', /403.*check TELEGRAM_CHAT_ID/],
    [400, 'Bad Request: chat not found', /chat not found.*check TELEGRAM_CHAT_ID/],
  ])(
    '%i %s is a configuration error stated plainly; alerts stay in the outbox',
    async (status, description, message) => {
      fake.script.push({ status, description: `${description} ${TOKEN}` });
      const kept = alert('please deliver');
      const report = await make().deliver([kept]);
      expect(report.status).toBe('failed');
      expect(report.detail).toMatch(message);
      expect(JSON.stringify(report)).not.toContain(TOKEN);
      expect(outboxIds()).toEqual([kept.id]);
      expect(readFileSync(join(dir, 'outbox.jsonl'), 'utf8')).not.toContain(TOKEN);
      expect(logLines.join('')).toMatch(/configuration error/);
    },
  );

  it('redacts the token from network error text and times out a hanging request', async () => {
    const leaky = make({ fetch: async (input) => Promise.reject(new Error(`connect ECONNREFUSED ${String(input)}`)) });
    const report = await leaky.deliver([alert('x')]);
    expect(report.status).toBe('queued');
    expect(report.detail).toContain('[redacted]');
    expect(report.detail).not.toContain(TOKEN);

    const hanging = make({
      requestTimeoutMs: 50,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)),
        ),
    });
    const timedOut = await hanging.deliver([]);
    expect(timedOut).toMatchObject({ status: 'queued', queued: 1 });
    expect(timedOut.detail).toMatch(/timed out/);
  });
});
