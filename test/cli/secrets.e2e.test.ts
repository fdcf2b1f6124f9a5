// Secrets never leak: real processes carry 12 secret shapes in their command lines, Argus carries its own secrets in
// its environment; real cycles (built CLI) open an incident about the process, file a bead (stand-in bd) and alert a
// (loopback) Telegram; MCP tools answer about it. Then every byte Argus wrote or sent is searched: 0 hits.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/mcp/server.js';
import { BD_STANDIN } from '../support/bd-standin/paths.js';
import { startLoopbackTelegram, type LoopbackTelegram } from '../support/telegram-server.js';
import { makeTmp } from '../support/tmp.js';
import { makeCtxFor, realGate, toolSandbox } from '../tools/harness.js';
import { buildToolRegistry } from '../../src/orchestrator/tool-registry.js';

const CLI = resolve(__dirname, '../../dist/cli.js');

/** Secret values: none may appear anywhere Argus writes or sends. */
const SECRETS = [
  'supersecretvalue123',
  'hunter2hunter2',
  'sk-ant-api03-AAAAbbbbCCCCdddd1234eeee',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'xoxb-1234567890-abcdefghijkl',
  'AKIAIOSFODNN7EXAMPL3',
  'glpat-abcdefghij1234567890',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N',
  'p4ssw0rdXYZ',
  'bearertokenvalue42xyz',
  'apikeyvalue987zz',
  'authvalue555qq',
];
const ARGV = [
  'token=supersecretvalue123',
  '--password',
  'hunter2hunter2',
  'sk-ant-api03-AAAAbbbbCCCCdddd1234eeee',
  '--github=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'SLACK=xoxb-1234567890-abcdefghijkl',
  'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPL3',
  'glpat-abcdefghij1234567890',
  'jwt:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N',
  'https://admin:p4ssw0rdXYZ@db.internal/app',
  'Authorization: Bearer bearertokenvalue42xyz',
  'MY_API_KEY=apikeyvalue987zz',
  'X_AUTH=authvalue555qq',
];
/** Argus's own secrets, in its environment: no child process may get them. */
const OWN = {
  TELEGRAM_BOT_TOKEN: '999999:ownBotTokenSecretValue_abcdefghijklmno',
  ARGUS_MCP_TOKEN: 'ownMcpTokenSecret-0123456789',
};

function run(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: `${join(cwd, 'bin')}:${process.env.PATH ?? ''}`, HOME: cwd, ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => done({ code, out }));
  });
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

const hits = (text: string): string[] => [...SECRETS, ...Object.values(OWN)].filter((s) => text.includes(s));

describe('secrets from other processes never leak (built CLI, real processes)', () => {
  let tmp: ReturnType<typeof makeTmp>;
  let telegram: LoopbackTelegram;
  let hog: ChildProcess;
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build`');
    tmp = makeTmp();
    telegram = await startLoopbackTelegram();
    // The biggest process on the machine, so the memory finding names it as the hog (with its command line).
    hog = spawn(
      process.execPath,
      ['-e', 'const b = Buffer.alloc(3e9, 1); setInterval(() => b[0]++, 1e6); process.stdout.write("ready")', ...ARGV],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    await new Promise<void>((r) => hog.stdout!.once('data', () => r()));
    mkdirSync(join(tmp.dir, 'bin'));
    copyFileSync(BD_STANDIN, join(tmp.dir, 'bin', 'bd'));
    chmodSync(join(tmp.dir, 'bin', 'bd'), 0o755);
  }, 60_000);
  afterAll(async () => {
    hog?.kill('SIGKILL');
    await telegram?.close();
    tmp?.cleanup();
  });

  it('registry, state, logs, bead stand-in (argv and env), Telegram and MCP answers: 0 hits', async () => {
    const state = join(tmp.dir, 'state');
    // Memory fires at 1 %: an incident about the hog, a bead, an alert. Nothing is killed (killMemoryHogs is off) and
    // no disk threshold can fire, so these real cycles change nothing on this machine.
    writeFileSync(
      join(tmp.dir, 'argus.json'),
      JSON.stringify({
        thresholds: { memory: { fire: 1, clear: 1 }, disk: { fire: 100, clear: 99 }, swapIoMBps: 100000 },
        confirmCycles: { memory: 1 },
        killMemoryHogs: false,
      }),
    );
    const env = {
      ARGUS_STATE_DIR: state,
      TELEGRAM_CHAT_ID: '42',
      TELEGRAM_API_BASE: telegram.apiBase,
      BEADS_DIR: join(state, '.beads'),
      ...OWN,
    };
    for (let i = 0; i < 2; i++) {
      const r = await run(['once'], env, tmp.dir);
      expect(r.code, r.out.slice(-2000)).toBe(0);
      expect(hits(r.out)).toEqual([]);
    }
    for (const args of [['status'], ['problems', '--json'], ['status', '--json']])
      expect(hits((await run(args, env, tmp.dir)).out), args.join(' ')).toEqual([]);

    // The incident exists and names the hog (so the test looked where the secrets would be).
    const problems = readFileSync(join(state, 'problems.jsonl'), 'utf8');
    expect(problems).toContain(`"pid":${hog.pid}`);
    expect(problems).toContain('[REDACTED]');
    const calls = readFileSync(join(state, '.beads', 'calls.jsonl'), 'utf8');
    expect(calls).toContain('create');
    expect(telegram.accepted.length).toBeGreaterThan(0);

    // Every file Argus wrote (state, beads, logs, outbox, snapshot…), what bd was given, what Telegram received.
    const written = filesUnder(tmp.dir).filter(
      (f) => !f.endsWith('argus.json') && !f.includes(`${join(tmp.dir, 'bin')}`),
    );
    const leaks = written.flatMap((f) => hits(readFileSync(f, 'utf8')).map((h) => `${f}: ${h}`));
    expect(leaks).toEqual([]);
    expect(hits(readFileSync(join(state, '.beads', 'env.jsonl'), 'utf8'))).toEqual([]);
    expect(hits(telegram.accepted.join('\n'))).toEqual([]);

    // MCP tools answering about this state.
    const box = toolSandbox({ config: { stateDir: state } });
    const registry = buildToolRegistry({ gate: realGate(box), makeCtx: makeCtxFor(box), deps: box.deps });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createServer(registry).connect(serverSide);
    const client = new Client({ name: 'secrets-test', version: '1.0.0' });
    await client.connect(clientSide);
    const answers: string[] = [];
    for (const [name, args] of [
      ['get_status', {}],
      ['query_problems', { limit: 500 }],
      ['get_top_processes', { by: 'rss', limit: 50 }],
      ['list_incidents', {}],
      ['diagnose_incident', { identity: 'memory:host' }],
      ['check_now', {}],
    ] as const) {
      answers.push(JSON.stringify(await client.callTool({ name, arguments: args })));
    }
    await client.close();
    expect(answers.join('\n')).toContain(String(hog.pid));
    expect(hits(answers.join('\n'))).toEqual([]);
  }, 120_000);
});
