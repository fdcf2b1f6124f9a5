import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertAction } from '../../../src/agents/executor/actions/alert.js';
import type { ActionContext } from '../../../src/agents/executor/action.js';
import { statePaths } from '../../../src/config/load.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { ActionDeniedError } from '../../../src/errors.js';
import { createLinuxHost } from '../../../src/host/linux.js';
import { silentLog } from '../../../src/log.js';
import { AlertInputSchema } from '../../../src/model/action.js';
import { createLogNotifier } from '../../../src/notify/log-notifier.js';
import type { Notifier } from '../../../src/notify/notifier.js';
import { createTelegramNotifier } from '../../../src/notify/telegram.js';
import { API_BASE, fakeTelegram } from '../../support/telegram.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const fake = fakeTelegram();
const server = setupServer(...fake.handlers);

describe('alert action', () => {
  let dir: string;
  const context = (notifier: (paths: ReturnType<typeof statePaths>) => Notifier): ActionContext => {
    const config = ConfigSchema.parse({ stateDir: dir });
    const paths = statePaths(config);
    return {
      host: createLinuxHost({ now: () => NOW }),
      config,
      paths,
      log: silentLog(),
      snapshot: null,
      notifier: notifier(paths),
      dryRun: false,
      cycleId: 'c1',
      identity: 'disk:/',
    };
  };
  const telegram = (paths: ReturnType<typeof statePaths>) =>
    createTelegramNotifier({
      fetch: (input, init) => fetch(input, init),
      botToken: 'tok',
      chatId: '42',
      apiBase: API_BASE,
      hostname: 'web-1',
      outboxPath: paths.outbox,
      now: () => NOW,
      log: silentLog(),
    });

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'argus-'));
    fake.sent.length = 0;
    fake.script.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['blank', '   \n\t  '],
    ['only control characters', '\u0000\u0007\u001b\u007f'],
  ])('refuses a message that is %s', async (_why, message) => {
    const input = AlertInputSchema.parse({ message });
    await expect(alertAction.guard(input, context(telegram))).rejects.toBeInstanceOf(ActionDeniedError);
  });

  it('delivers the cleaned message with the identity and severity', async () => {
    const ctx = context(telegram);
    const input = AlertInputSchema.parse({ message: '  disk / at 97%\u001b[31m  ', severity: 'critical' });
    await alertAction.guard(input, ctx);
    const outcome = await alertAction.execute(input, ctx);
    expect(outcome).toMatchObject({
      result: 'success',
      details: { status: 'delivered', delivered: 1, channel: 'telegram' },
    });
    expect(fake.accepted()).toHaveLength(1);
    expect(fake.accepted()[0]).toContain('🔴 <b>CRITICAL</b> disk / at 97%');
    expect(fake.accepted()[0]).not.toContain('[31m');
    expect(alertAction.target(input)).toBe('alert:critical');
  });

  it('is a success when queued or only logged, a failure when the channel is misconfigured', async () => {
    fake.script.push({ status: 503, description: 'Service Unavailable' });
    expect(await alertAction.execute({ message: 'a' }, context(telegram))).toMatchObject({
      result: 'success',
      details: { status: 'queued' },
    });
    const logged = context((paths) => createLogNotifier({ log: silentLog(), outboxPath: paths.outbox }));
    expect(await alertAction.execute({ message: 'b' }, logged)).toMatchObject({
      result: 'success',
      details: { status: 'logged' },
    });
    fake.script.push({ status: 401, description: 'Unauthorized' });
    const failed = await alertAction.execute({ message: 'c' }, context(telegram));
    expect(failed.result).toBe('failure');
    expect(failed.reason).toMatch(/check TELEGRAM_BOT_TOKEN/);
  });
});
