// Never silent, end to end with the built CLI: self-alerts that reach a (loopback) Telegram, the heartbeat, STALE.
// Cycles run on this machine in dry-run (they never act); Argus's own failures are told even in dry-run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackTelegram, type LoopbackTelegram } from '../support/telegram-server.js';
import { makeTmp } from '../support/tmp.js';

const CLI = resolve(__dirname, '../../dist/cli.js');

/** Async: the fake servers live in this process and must answer while the CLI runs. */
function argus(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ARGUS_DRY_RUN: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

let tmp: ReturnType<typeof makeTmp>;
let telegram: LoopbackTelegram | null = null;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
});
afterEach(async () => {
  await telegram?.close();
  telegram = null;
  tmp?.cleanup();
});

async function setup() {
  tmp = makeTmp();
  telegram = await startLoopbackTelegram();
  const state = join(tmp.dir, 'state');
  const env = {
    ARGUS_STATE_DIR: state,
    TELEGRAM_BOT_TOKEN: '123:abc',
    TELEGRAM_CHAT_ID: '42',
    TELEGRAM_API_BASE: telegram.apiBase,
  };
  return { state, env };
}

/** Break the registry (a directory where problems.jsonl should be): every cycle fails. */
const breakRegistry = (state: string) => mkdirSync(join(state, 'problems.jsonl'), { recursive: true });
const fixRegistry = (state: string) => rmSync(join(state, 'problems.jsonl'), { recursive: true, force: true });
const selfAlerts = (t: LoopbackTelegram) => t.accepted.filter((m) => /Argus itself/.test(m));

describe('self-alerts that arrive (built CLI, loopback Telegram)', () => {
  it('3 failed cycles: one message at the third, none after, a recovery when cycles work again; one-line errors', async () => {
    const { state, env } = await setup();
    mkdirSync(state, { recursive: true });
    breakRegistry(state);
    const counts: number[] = [];
    for (let n = 1; n <= 5; n++) {
      const r = await argus(['once'], env, tmp.dir);
      expect(r.code).toBe(1);
      // One clear line on stderr (log lines are JSON; no stack trace reaches the operator as text).
      const plain = r.stderr.split('\n').filter((l) => l.startsWith('argus:'));
      expect(plain).toEqual([expect.stringMatching(new RegExp(`^argus: cycle failed \\(${n} in a row\\): `))]);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      counts.push(selfAlerts(telegram!).length);
    }
    expect(counts).toEqual([0, 0, 1, 1, 1]);
    expect(selfAlerts(telegram!)[0]).toMatch(/3 cycles in a row failed/);
    expect(selfAlerts(telegram!)[0]).toMatch(/journalctl -u argus\.service/);

    fixRegistry(state);
    const ok = await argus(['once'], env, tmp.dir);
    expect(ok.code).toBe(0);
    expect(telegram!.accepted.filter((m) => /recovered/.test(m))).toHaveLength(1);
    const again = await argus(['once'], env, tmp.dir);
    expect(again.code).toBe(0);
    expect(telegram!.accepted.filter((m) => /Argus itself/.test(m))).toHaveLength(2);
    // The registry tells the story: the alert and the recovery, each one record.
    const self = readFileSync(join(state, 'problems.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"kind":"self"'));
    expect(self.map((l) => (JSON.parse(l) as { details: { message: string } }).details.message)).toEqual(['recovery']);
  }, 60_000);

  it('with Telegram down the self-alert is not counted as sent, and arrives once when Telegram is back', async () => {
    const { state, env } = await setup();
    mkdirSync(state, { recursive: true });
    breakRegistry(state);
    telegram!.down = true;
    for (let n = 1; n <= 4; n++) await argus(['once'], env, tmp.dir);
    expect(telegram!.refused).toBeGreaterThanOrEqual(2);
    expect(telegram!.accepted).toEqual([]);
    telegram!.down = false;
    await argus(['once'], env, tmp.dir);
    await argus(['once'], env, tmp.dir);
    expect(selfAlerts(telegram!)).toHaveLength(1);
    expect(selfAlerts(telegram!)[0]).toMatch(/cycles in a row failed/);
    // Recovery drains nothing twice: the outbox holds no copy of the delivered alert.
    fixRegistry(state);
    await argus(['once'], env, tmp.dir);
    expect(telegram!.accepted.filter((m) => /cycles in a row failed/.test(m))).toHaveLength(1);
    expect(telegram!.accepted.filter((m) => /recovered/.test(m))).toHaveLength(1);
  }, 60_000);
});

describe("the dead-man's switch", () => {
  it('status says STALE for a last cycle older than 2 intervals; --check exits 1 then, 0 when fresh', async () => {
    const { state, env } = await setup();
    const never = await argus(['status', '--check'], env, tmp.dir);
    expect(never.code).toBe(1);
    expect(never.stdout).toMatch(/NO CYCLE/);

    expect((await argus(['once'], env, tmp.dir)).code).toBe(0);
    const fresh = await argus(['status', '--check'], env, tmp.dir);
    expect({ code: fresh.code, out: fresh.stdout }).toEqual({
      code: 0,
      out: expect.stringMatching(/^argus ok: the last cycle was \d+s ago/),
    });

    // Twelve days without a cycle (the timer stopped): rewrite both health files' times into the past.
    const old = new Date(Date.now() - 12 * 86_400_000).toISOString();
    const cyclePath = join(state, 'cycle_state.json');
    writeFileSync(cyclePath, JSON.stringify({ ...JSON.parse(readFileSync(cyclePath, 'utf8')), lastFinishedAt: old }));
    rmSync(join(state, 'self_health.json'));
    const status = await argus(['status'], env, tmp.dir);
    expect(status.code).toBe(0);
    expect(status.stdout.split('\n')[0]).toMatch(/^Argus: STALE: the last cycle was 12\.0d ago \(expected every 5m\)/);
    const check = await argus(['status', '--check'], env, tmp.dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/STALE/);
    const json = JSON.parse((await argus(['status', '--json'], env, tmp.dir)).stdout) as {
      freshness: { verdict: string };
    };
    expect(json.freshness.verdict).toBe('stale');
  }, 60_000);

  it('heartbeat: a GET after each cycle, /fail after a failed one; a hanging monitor costs at most its 5 s timeout', async () => {
    const { state, env } = await setup();
    const hits: string[] = [];
    let hang = false;
    const server: Server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      if (hang) return; // never answers
      res.end('OK');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ping/c0ffee`;
      const hb = { ...env, ARGUS_HEARTBEAT_URL: url };
      expect((await argus(['once'], hb, tmp.dir)).code).toBe(0);
      breakRegistry(state);
      expect((await argus(['once'], hb, tmp.dir)).code).toBe(1);
      expect(hits).toEqual(['GET /ping/c0ffee', 'GET /ping/c0ffee/fail']);

      fixRegistry(state);
      const quick = await argus(['once'], hb, tmp.dir);
      hang = true;
      const slow = await argus(['once'], hb, tmp.dir);
      expect(slow.code).toBe(0);
      expect(hits).toHaveLength(4);
      // Bounded by the 5 s timeout (plus this machine's cycle time): the hang cannot hold the cycle longer.
      expect(slow.ms - quick.ms).toBeLessThan(5000 + 2000);
      expect(slow.stderr).toMatch(/heartbeat 127\.0\.0\.1:\d+: no answer in 5000 ms/);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }, 60_000);

  it('an invalid heartbeat URL is a configuration error naming the key', async () => {
    const { env } = await setup();
    const r = await argus(['once'], { ...env, ARGUS_HEARTBEAT_URL: 'file:///etc/passwd' }, tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/heartbeatUrl/);
    expect(readdirSync(tmp.dir)).toEqual([]);
  });
});
