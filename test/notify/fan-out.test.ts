// One alert must not fan out (issue 11 §4): capped alerts, at most two messages per delivery, sends paced per chat,
// 429s honoured, the outbox still exactly-once — measured at a real loopback fake Telegram, no mocked fetch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import { BufferedNotifier } from '../../src/notify/buffered.js';
import { sendDirect } from '../../src/notify/direct.js';
import type { AlertMessage } from '../../src/notify/notifier.js';
import { createOutbox } from '../../src/notify/outbox.js';
import {
  CHAT_INTERVAL_MS,
  createTelegramPacer,
  GROUP_MESSAGES_PER_WINDOW,
  GROUP_WINDOW_MS,
  type TelegramPacer,
} from '../../src/notify/pace.js';
import { createTelegramNotifier } from '../../src/notify/telegram.js';
import { startLoopbackTelegram, type LoopbackTelegram } from '../support/telegram-server.js';
import { htmlProblems } from './html-check.js';

const TOKEN = '123456:fan-out-token';
const CHAT = '-100200';
const NOW = new Date('2026-05-01T12:00:00Z');
/** Telegram's own limit on one message (UTF-16 units after entity parsing; the HTML we send is longer, so stricter). */
const TELEGRAM_LIMIT = 4096;
/** Gaps are measured at the server: request latency differs by a few ms between requests (a new connection or not). */
const JITTER_MS = 30;

const alert = (
  id: string,
  text: string,
  identity: string | null,
  severity: AlertMessage['severity'] = 'warning',
): AlertMessage => ({
  id,
  ts: NOW.toISOString(),
  severity,
  text,
  identity,
});

/** About 6,000 characters in 100 lines, each naming its line number. */
const longText = (name: string): string =>
  Array.from({ length: 100 }, (_, i) =>
    `${name} line ${String(i).padStart(3, '0')}: ${'detail '.repeat(7)}`.slice(0, 59),
  ).join('\n');

/** 30 alerts of ~400 characters: far more than two messages when sent whole. */
const thirty = (prefix = 'unit'): AlertMessage[] =>
  Array.from({ length: 30 }, (_, i) => {
    const unit = `${prefix}-${String(i).padStart(2, '0')}.service`;
    return alert(
      `${prefix}-${i}`,
      `${unit} failed: ${'restart loop, exit status 1; '.repeat(13)}`,
      `service:${unit}`,
      i % 7 === 3 ? 'critical' : 'warning',
    );
  });

/** How often `needle` occurs in the texts Telegram accepted. */
const occurrences = (t: LoopbackTelegram, needle: string): number => t.accepted.join('\n').split(needle).length - 1;

/** The summary line's count: "+N more alerts". */
const summarized = (t: LoopbackTelegram): number => {
  const m = /\+(\d+) more alerts?/.exec(t.accepted.join('\n'));
  return m ? Number(m[1]) : 0;
};

describe('one alert, one cycle: no fan-out (loopback Telegram)', () => {
  let telegram: LoopbackTelegram;
  let dir: string;
  const outboxPath = () => join(dir, 'outbox.jsonl');
  const notifier = (pacer: TelegramPacer, budgetMs = 20_000, chatId = CHAT) =>
    createTelegramNotifier({
      fetch: globalThis.fetch,
      botToken: TOKEN,
      chatId,
      apiBase: telegram.apiBase,
      hostname: 'web-1',
      outboxPath: outboxPath(),
      now: () => NOW,
      log: silentLog(),
      budgetMs,
      pacer,
    });
  const direct = (pacer: TelegramPacer, a: AlertMessage, budgetMs?: number) =>
    sendDirect(
      {
        fetch: globalThis.fetch,
        telegram: { botToken: TOKEN, chatId: CHAT, apiBase: telegram.apiBase },
        hostname: 'web-1',
        now: () => NOW,
        outboxPath: outboxPath(),
        pacer,
        budgetMs,
      },
      a,
    );
  /** A cycle: alerts handed one by one to the buffer, then flushed — as the orchestrator does. */
  const cycle = async (pacer: TelegramPacer, alerts: readonly AlertMessage[], budgetMs?: number) => {
    const buffered = new BufferedNotifier(notifier(pacer, budgetMs));
    for (const a of alerts) await buffered.deliver([a]);
    return buffered.flush();
  };
  const fast = () => createTelegramPacer({ chatIntervalMs: 20 });
  const outboxIds = () =>
    createOutbox(outboxPath())
      .read()
      .map((e) => e.id);

  beforeEach(async () => {
    telegram = await startLoopbackTelegram();
    dir = mkdtempSync(join(tmpdir(), 'argus-fanout-'));
  });
  afterEach(async () => {
    await telegram.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a 6,000-character alert is one message ending with how to see the rest', () => {
    const paths: Array<[string, AlertMessage, string]> = [
      [
        'the cycle (buffered flush), with an identity',
        alert('a', longText('nginx'), 'service:nginx.service'),
        'argus problems --identity service:nginx.service',
      ],
      [
        'the cycle, one 6,000-character line and no identity',
        alert('b', 'x'.repeat(6000), null),
        'argus problems --since 1h',
      ],
      [
        'the cycle, a host-made identity with a newline and a space',
        alert('c', longText('evil'), 'process:x\n# INJECTED'),
        "argus problems --identity 'process:x*# INJECTED'",
      ],
    ];
    it.each(paths)('%s', async (_name, a, hint) => {
      const report = await cycle(fast(), [a]);
      expect(report).toMatchObject({ status: 'delivered', delivered: 1, queued: 0 });
      expect(telegram.requests).toHaveLength(1);
      const [text] = telegram.accepted;
      expect(text!.length).toBeLessThanOrEqual(TELEGRAM_LIMIT);
      expect(text!.endsWith(hint)).toBe(true);
      expect(text).toMatch(/… [\d,]+ more characters: argus problems/);
      expect(htmlProblems(text!)).toEqual([]);
    });

    it('a direct send (self-alert, OnFailure= notice)', async () => {
      const result = await direct(fast(), alert('self', longText('self'), 'self:health'));
      expect(result.status).toBe('sent');
      expect(telegram.requests).toHaveLength(1);
      expect(telegram.accepted[0]!.length).toBeLessThanOrEqual(TELEGRAM_LIMIT);
      expect(telegram.accepted[0]!.endsWith('argus problems --identity self:health')).toBe(true);
    });

    it('an outbox replay after Telegram was down', async () => {
      telegram.down = true;
      expect(await cycle(fast(), [alert('late', longText('disk'), 'disk:/')])).toMatchObject({
        status: 'queued',
        queued: 1,
      });
      telegram.down = false;
      expect(await cycle(fast(), [])).toMatchObject({ status: 'delivered', delivered: 1, queued: 0 });
      expect(telegram.accepted).toHaveLength(1);
      expect(telegram.accepted[0]!.length).toBeLessThanOrEqual(TELEGRAM_LIMIT);
      expect(telegram.accepted[0]!.endsWith('argus problems --identity disk:/')).toBe(true);
    });
  });

  it('30 alerts in one cycle: at most 2 messages, every alert shown or summarized (named or counted), criticals in full', async () => {
    const alerts = thirty();
    const report = await cycle(fast(), alerts);
    expect(report).toMatchObject({ status: 'delivered', delivered: 30, queued: 0 });
    expect(telegram.requests.length).toBeLessThanOrEqual(2);
    for (const text of telegram.accepted) {
      expect(text.length).toBeLessThanOrEqual(TELEGRAM_LIMIT);
      expect(htmlProblems(text)).toEqual([]);
    }
    const text = telegram.accepted.join('\n');
    const inFull = alerts.filter((a) => text.includes(a.text.slice(0, 60)));
    expect(inFull.length).toBeGreaterThan(0);
    expect(inFull.length + summarized(telegram)).toBe(30);
    // Each unit is findable exactly once: its whole text, or its identity in the summary.
    for (const a of alerts) expect(occurrences(telegram, a.identity!.slice('service:'.length)), a.id).toBe(1);
    for (const a of alerts.filter((x) => x.severity === 'critical')) expect(inFull).toContain(a);
    expect(text).toMatch(
      /\+\d+ more alerts<\/b> \(\d+ warning\): service:unit-\d\d\.service, .* — argus problems --since 10m$/,
    );
    expect(outboxIds()).toEqual([]);
  });

  it('300 alerts: still 2 messages; the summary names identities while they fit and counts the others', async () => {
    const alerts = Array.from({ length: 300 }, (_, i) =>
      alert(`n${i}`, `node ${i} is unhappy ${'·'.repeat(100)}`, `process:worker-${String(i).padStart(3, '0')}`),
    );
    await cycle(fast(), alerts);
    expect(telegram.accepted.length).toBeLessThanOrEqual(2);
    const text = telegram.accepted.join('\n');
    const named = alerts.filter((a) => text.includes(a.identity!)).length;
    const others = Number(/\+(\d+) others/.exec(text)?.[1] ?? 0);
    const inFull = alerts.filter((a) => text.includes(`node ${a.id.slice(1)} is unhappy`)).length;
    expect(others).toBeGreaterThan(0);
    expect(inFull + named + others).toBe(300);
    expect(summarized(telegram)).toBe(300 - inFull);
    expect(outboxIds()).toEqual([]);
  });

  it(`paced at the documented default (${CHAT_INTERVAL_MS} ms per chat): the cycle's messages and a self-alert queue behind each other; another chat is not held up`, async () => {
    // Bot API FAQ: at most one message per second in a chat, 20 a minute in a group.
    expect(CHAT_INTERVAL_MS).toBe(1000);
    expect([GROUP_MESSAGES_PER_WINDOW, GROUP_WINDOW_MS]).toEqual([20, 60_000]);
    const pacer = createTelegramPacer(); // the real defaults, shared as the composition root shares it
    const other = createTelegramNotifier({
      fetch: globalThis.fetch,
      botToken: TOKEN,
      chatId: '777',
      apiBase: telegram.apiBase,
      hostname: 'web-1',
      outboxPath: join(dir, 'other.jsonl'),
      now: () => NOW,
      log: silentLog(),
      pacer,
    });
    const [mine, theirs] = await Promise.all([
      cycle(pacer, thirty()),
      (async () => {
        await new Promise((r) => setTimeout(r, 300));
        return other.deliver([alert('o', 'another chat', null)]);
      })(),
    ]);
    expect(mine.status).toBe('delivered');
    expect(theirs.status).toBe('delivered');
    expect((await direct(pacer, alert('self', 'Argus itself: 3 cycles in a row failed', 'self:health'))).status).toBe(
      'sent',
    );
    const ours = telegram.requests.filter((r) => r.chatId === CHAT);
    expect(ours).toHaveLength(3);
    const spacing = ours.slice(1).map((r, i) => r.at - ours[i]!.at);
    for (const gap of spacing) expect(gap).toBeGreaterThanOrEqual(CHAT_INTERVAL_MS - JITTER_MS);
    // The other chat went out between ours, without waiting for our chat's second.
    const theirsAt = telegram.requests.find((r) => r.chatId === '777')!.at;
    expect(theirsAt - ours[0]!.at).toBeLessThan(CHAT_INTERVAL_MS - 300);
    console.log(`[fan-out] default pacing, gaps at the server (ms): ${spacing.map((g) => g.toFixed(1)).join(', ')}`);
  });

  it('a group chat gets at most N messages per window as well (small injected window)', async () => {
    const pacer = createTelegramPacer({ chatIntervalMs: 50, groupMessages: 2, groupWindowMs: 600 });
    const send = (chatId: string, i: number) =>
      sendDirect(
        {
          fetch: globalThis.fetch,
          telegram: { botToken: TOKEN, chatId, apiBase: telegram.apiBase },
          hostname: 'h',
          now: () => NOW,
          pacer,
        },
        alert(`${chatId}-${i}`, `m${i}`, null),
      );
    await Promise.all([0, 1, 2].flatMap((i) => [send('-5', i), send('5', i)]));
    const at = (chatId: string) => telegram.requests.filter((r) => r.chatId === chatId).map((r) => r.at);
    const [g0, g1, g2] = at('-5');
    const [p0, p1, p2] = at('5');
    expect(g1! - g0!).toBeGreaterThanOrEqual(50 - JITTER_MS);
    expect(g2! - g0!).toBeGreaterThanOrEqual(600 - JITTER_MS); // the third in the group waits for the window
    expect(p1! - p0!).toBeGreaterThanOrEqual(50 - JITTER_MS);
    expect(p2! - p0!).toBeLessThan(600 - JITTER_MS); // a private chat has no per-minute window
  });

  it('a 429 with retry_after=2 holds the chat for 2 s, then the same message goes once; nothing lost or duplicated', async () => {
    const pacer = createTelegramPacer({ chatIntervalMs: 100 });
    telegram.script.push('ok', { status: 429, description: 'Too Many Requests: retry after 2', retryAfter: 2 });
    const alerts = thirty();
    const report = await cycle(pacer, alerts);
    expect(report).toMatchObject({ status: 'delivered', delivered: 30, queued: 0 });
    // A self-alert right after waits its turn too.
    expect((await direct(pacer, alert('self', 'Argus itself: recovered', 'self:health'))).status).toBe('sent');
    expect(telegram.requests.map((r) => r.status)).toEqual([200, 429, 200, 200]);
    const [first, limited, retried, self] = telegram.requests;
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(2000 - JITTER_MS);
    expect(retried!.text).toBe(limited!.text);
    expect(self!.at - retried!.at).toBeGreaterThanOrEqual(100 - JITTER_MS);
    expect(telegram.accepted).toEqual([first!.text, retried!.text, self!.text]);
    for (const a of alerts) expect(occurrences(telegram, a.identity!.slice('service:'.length)), a.id).toBe(1);
    expect(outboxIds()).toEqual([]);
    console.log(
      `[fan-out] 429 retry_after=2: retry arrived ${(retried!.at - limited!.at).toFixed(1)} ms after the 429`,
    );
  });

  it('a 429 longer than the budget: the alert stays in the outbox, the held chat is not hit again by a self-alert, both go once later', async () => {
    const pacer = createTelegramPacer({ chatIntervalMs: 20 });
    telegram.script.push({ status: 429, description: 'Too Many Requests: retry after 30', retryAfter: 30 });
    const started = performance.now();
    expect(await cycle(pacer, [alert('c1', 'disk / at 97%', 'disk:/', 'critical')], 5000)).toMatchObject({
      status: 'queued',
      queued: 1,
    });
    expect(performance.now() - started).toBeLessThan(1000); // no hopeless wait
    const self = await direct(pacer, alert('self', 'Argus itself: a cycle failed', 'self:health'), 800);
    expect(self.status).toBe('queued');
    expect(telegram.requests).toHaveLength(1); // the hold kept the self-alert away from Telegram
    expect(outboxIds()).toEqual(['c1', 'self']);
    // The next cycle (a new process: a new pacer) delivers both, once.
    expect(await cycle(fast(), [])).toMatchObject({ status: 'delivered', delivered: 2, queued: 0 });
    expect(await cycle(fast(), [])).toMatchObject({ delivered: 0 });
    expect(telegram.accepted).toHaveLength(1);
    expect(occurrences(telegram, 'disk / at 97%')).toBe(1);
    expect(occurrences(telegram, 'a cycle failed')).toBe(1);
  });

  it('outbox exactly-once: a backlog from an outage and this cycle coalesce into ≤ 2 messages; a second message that fails is resent alone', async () => {
    /** Requests one delivery made. */
    const requestsOf = async (delivery: Promise<unknown>): Promise<number> => {
      const before = telegram.requests.length;
      await delivery;
      return telegram.requests.length - before;
    };
    telegram.down = true;
    const backlog = thirty('old');
    expect(await cycle(fast(), backlog)).toMatchObject({ status: 'queued', queued: 30 });
    expect(outboxIds()).toHaveLength(30);
    telegram.down = false;
    telegram.script.push('ok', { status: 502, description: 'Bad Gateway' });
    const fresh = thirty('new').slice(0, 5);
    let second: Awaited<ReturnType<typeof cycle>> | undefined;
    expect(await requestsOf(cycle(fast(), fresh).then((r) => (second = r)))).toBe(2);
    expect(second!.status).toBe('queued');
    expect(second!.delivered).toBeGreaterThan(0);
    expect(second!.delivered + second!.queued).toBe(35);
    let third: Awaited<ReturnType<typeof cycle>> | undefined;
    expect(await requestsOf(cycle(fast(), []).then((r) => (third = r)))).toBeLessThanOrEqual(2);
    expect(third).toMatchObject({ status: 'delivered', queued: 0 });
    expect(second!.delivered + third!.delivered).toBe(35);
    expect(await requestsOf(cycle(fast(), []))).toBe(0);
    for (const a of [...backlog, ...fresh])
      expect(occurrences(telegram, a.identity!.slice('service:'.length)), a.id).toBe(1);
    expect(outboxIds()).toEqual([]);
    for (const text of telegram.accepted) expect(text.length).toBeLessThanOrEqual(TELEGRAM_LIMIT);
  });
});
