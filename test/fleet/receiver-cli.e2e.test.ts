// The built `argus serve` mounts the fleet receiver: on by default (a bad body is 400, a webhook is recorded with
// source alertmanager), refused with --read-only (403, saying why).
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProblemRecord } from '../../src/model/record.js';
import { BD_STANDIN } from '../support/bd-standin/paths.js';
import { startLoopbackTelegram, type LoopbackTelegram } from '../support/telegram-server.js';
import { makeTmp } from '../support/tmp.js';
import { BUILT, startServe, type Served } from '../serve/harness.js';
import { until, webhook } from './receiver-harness.js';

let tmp: ReturnType<typeof makeTmp> | undefined;
let served: Served | undefined;
let telegram: LoopbackTelegram | undefined;
afterEach(async () => {
  await served?.stop();
  served = undefined;
  await telegram?.close();
  telegram = undefined;
  tmp?.cleanup();
  tmp = undefined;
});

const post = (port: number, body: unknown) =>
  fetch(`http://127.0.0.1:${port}/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe.skipIf(!BUILT)('argus serve: the fleet receiver', () => {
  it('--read-only: 403 saying why, and the startup line says the receiver is off', async () => {
    tmp = makeTmp('argus-fleet-cli-');
    served = await startServe(tmp.dir, ['--read-only']);
    expect(served.stderr()).toContain('/alertmanager off: --read-only');
    const res = await post(served.port, webhook([{ host: 'web-1', identity: 'disk:/' }]));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/--read-only/);
    expect(existsSync(join(tmp.dir, 'problems.jsonl'))).toBe(false);
  });

  it('on by default: a bad body is 400; a webhook is one Telegram message and one bead, recorded with source alertmanager', async () => {
    tmp = makeTmp('argus-fleet-cli-');
    telegram = await startLoopbackTelegram();
    mkdirSync(join(tmp.dir, 'bin'));
    copyFileSync(BD_STANDIN, join(tmp.dir, 'bin', 'bd'));
    served = await startServe(tmp.dir, [], {
      PATH: `${join(tmp.dir, 'bin')}:${process.env.PATH ?? ''}`,
      TELEGRAM_BOT_TOKEN: '123456:fleet-cli-token',
      TELEGRAM_CHAT_ID: '-100777',
      TELEGRAM_API_BASE: telegram.apiBase,
      BEADS_DIR: join(tmp.dir, '.beads'),
    });
    expect(served.stderr()).toContain('/alertmanager on');
    const bad = await post(served.port, { version: '4' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(
      /^not an Alertmanager webhook \(version 4\): groupKey: /,
    );
    const good = await post(
      served.port,
      webhook([
        { host: 'web-1', identity: 'disk:/' },
        { host: 'web-2', identity: 'disk:/' },
      ]),
    );
    expect(good.status).toBe(200);
    await until(
      'the message',
      () => telegram!.accepted,
      (a) => a.length >= 1,
    );
    const records = await until(
      'two action records',
      () =>
        existsSync(join(tmp!.dir, 'problems.jsonl'))
          ? readFileSync(join(tmp!.dir, 'problems.jsonl'), 'utf8')
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l) as ProblemRecord)
          : [],
      (r) => r.length >= 2,
    );
    expect(records.map((r) => [r.action_taken, r.action_result, r.source])).toEqual([
      ['alert:alert:critical', 'success', 'alertmanager'],
      ['create_bead:create_bead:fleet', 'success', 'alertmanager'],
    ]);
    expect(telegram.accepted).toHaveLength(1);
    expect(telegram.accepted[0]).toContain('2 alerts on 2 hosts (web-1, web-2)');
  });
});
