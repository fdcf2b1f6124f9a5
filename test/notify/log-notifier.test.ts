import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogNotifier } from '../../src/notify/log-notifier.js';
import type { AlertMessage } from '../../src/notify/notifier.js';
import { createTelegramNotifier } from '../../src/notify/telegram.js';
import { API_BASE, fakeTelegram } from '../support/telegram.js';

const alert = (id: string, text: string): AlertMessage => ({
  id,
  ts: '2026-05-01T12:00:00.000Z',
  severity: 'critical',
  text,
  identity: 'disk:/',
});
const fake = fakeTelegram();
const server = setupServer(...fake.handlers);

describe('log notifier', () => {
  let dir: string;
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'argus-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('logs each alert at warn and keeps it for a Telegram configured later', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const log = pino(
      { level: 'debug' },
      { write: (l: string) => void lines.push(JSON.parse(l) as { level: number; msg: string }) },
    );
    const outboxPath = join(dir, 'outbox.jsonl');
    const notifier = createLogNotifier({ log, outboxPath });
    expect(notifier.channel).toBe('log');
    const report = await notifier.deliver([alert('a', 'disk / full'), alert('b', 'nginx down')]);
    expect(report).toMatchObject({ status: 'logged', delivered: 0, queued: 2 });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'alert: disk / full'],
      [40, 'alert: nginx down'],
    ]);

    const telegram = createTelegramNotifier({
      fetch: (input, init) => fetch(input, init),
      botToken: 't',
      chatId: '1',
      apiBase: API_BASE,
      hostname: 'h',
      outboxPath,
      now: () => new Date('2026-05-01T12:01:00Z'),
      log,
    });
    expect(await telegram.deliver([])).toMatchObject({ status: 'delivered', delivered: 2 });
    expect(fake.accepted()).toHaveLength(1);
    expect(fake.accepted()[0]).toMatch(/disk \/ full[\s\S]*nginx down/);
  });
});
