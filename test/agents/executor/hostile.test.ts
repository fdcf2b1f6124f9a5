// Hostile requests across all seven actions: every one refused (or skipped) with a reason, recorded once, none executed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionDef, Gate } from '../../../src/agents/executor/action.js';
import {
  createCleanDisk,
  createKillPid,
  createKillTmux,
  createLogAction,
} from '../../../src/agents/executor/actions/index.js';
import { createGate } from '../../../src/agents/executor/gate.js';
import {
  AlertInputSchema,
  CreateBeadInputSchema,
  RestartServiceInputSchema,
  type ActionName,
} from '../../../src/model/action.js';
import { processes, snapshot } from '../../support/snapshot.js';
import { FIXTURES, isAlive, procInfoOf, sandbox, spawnNode, spawnReady, type Sandbox } from './helpers.js';

let sb: Sandbox;
let gate: Gate;
let sock: string;
let binDir: string;
const executed: string[] = [];
const signalled: number[] = [];
const pids = { sleeper: 0, unseen: 0, nodemon: 0 };

/** Wrap an action so that reaching execute is recorded and nothing is done. */
function spied(def: ActionDef): ActionDef {
  return {
    ...def,
    execute: async () => {
      executed.push(def.name);
      return { result: 'success', reason: 'SPY: executed', details: {} };
    },
  };
}

/** restart_service / alert / create_bead: their real schemas, a guard that refuses nothing: this tests the gate's schema layer. */
function schemaOnly(name: ActionName, schema: ActionDef['schema']): ActionDef {
  return {
    name,
    schema,
    target: () => 'stub',
    guard: async () => undefined,
    execute: async () => ({ result: 'success', reason: '', details: {} }),
  };
}

function tmux(...args: string[]): void {
  execFileSync('tmux', ['-S', sock, ...args]);
}

beforeAll(async () => {
  sb = sandbox({ host: { kill: (pid) => void signalled.push(pid) } });
  sock = join(sb.dir, 'sock');
  sb.ctx.config.tmuxSockets = [sock];
  tmux('new-session', '-d', '-s', 'agent-1', 'sleep 600');
  tmux('new-session', '-d', '-s', 'agent-10', 'sleep 600');
  symlinkSync(sock, join(sb.dir, 'sock-link'));
  mkdirSync(join(sb.dir, 'clean'));
  writeFileSync(join(sb.dir, 'clean', 'f'), 'x');

  pids.sleeper = (await spawnNode(sb, 'sleep.mjs')).child.pid!;
  pids.unseen = (await spawnNode(sb, 'sleep.mjs')).child.pid!;
  binDir = mkdtempSync(join(tmpdir(), 'argus-'));
  symlinkSync(process.execPath, join(binDir, 'nodemon'));
  pids.nodemon = (await spawnReady(sb, join(binDir, 'nodemon'), [join(FIXTURES, 'sleep.mjs')])).child.pid!;

  const sleeper = procInfoOf(pids.sleeper);
  sb.ctx.host = { ...sb.ctx.host, pid: process.pid };
  sb.ctx.snapshot = snapshot({
    processes: processes({
      topByRss: [
        { ...sleeper, startTicks: sleeper.startTicks + 7 },
        procInfoOf(pids.nodemon),
        procInfoOf(process.pid),
        procInfoOf(process.ppid),
      ],
    }),
  });
  const real = [
    createKillPid({ graceMs: 100, pollMs: 10 }),
    createKillTmux(),
    createCleanDisk({ roots: [{ path: join(sb.dir, 'clean'), rule: 'tmp' }] }),
    createLogAction(),
  ];
  const stubs = [
    schemaOnly('restart_service', RestartServiceInputSchema),
    schemaOnly('alert', AlertInputSchema),
    schemaOnly('create_bead', CreateBeadInputSchema),
  ];
  gate = createGate([...real, ...stubs].map(spied), { registry: sb.registry, now: () => new Date(), host: 'testhost' });
});

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // gone
  }
  sb.cleanup();
  rmSync(binDir, { recursive: true, force: true });
});

const huge = 'A'.repeat(100_000);
const reason = 'because';
type Row = [label: string, action: string, input: () => unknown];

const rows: Row[] = [
  // --- unknown actions ---
  ['exec', 'exec', () => ({ command: 'rm -rf /' })],
  ['shell', 'shell', () => ({ cmd: 'id' })],
  ['trailing space', 'restart_service ', () => ({ service: 'nginx', reason })],
  ['upper case', 'KILL_PID', () => ({ pid: 5, reason })],
  ['NUL in name', 'kill_pid\u0000', () => ({ pid: 5, reason })],
  ['empty name', '', () => ({})],
  ['__proto__', '__proto__', () => ({})],
  ['constructor', 'constructor', () => ({})],
  ['kebab look-alike', 'kill-pid', () => ({ pid: 5, reason })],
  ['path look-alike', '../kill_pid', () => ({ pid: 5, reason })],
  ['huge name', huge, () => ({})],
  ['shell metacharacters', 'log;rm -rf /', () => ({ observation: 'x' })],
  // --- kill_pid: schema ---
  ['non-numeric pid', 'kill_pid', () => ({ pid: 'abc', reason })],
  ['pid "1; rm"', 'kill_pid', () => ({ pid: '1; rm -rf /', reason })],
  ['numeric string', 'kill_pid', () => ({ pid: String(pids.sleeper), reason })],
  ['float pid', 'kill_pid', () => ({ pid: 1.5, reason })],
  ['NaN pid', 'kill_pid', () => ({ pid: Number.NaN, reason })],
  ['Infinity pid', 'kill_pid', () => ({ pid: Number.POSITIVE_INFINITY, reason })],
  ['array pid', 'kill_pid', () => ({ pid: [pids.sleeper], reason })],
  ['object pid', 'kill_pid', () => ({ pid: { valueOf: 5 }, reason })],
  ['null pid', 'kill_pid', () => ({ pid: null, reason })],
  ['missing reason', 'kill_pid', () => ({ pid: pids.sleeper })],
  ['huge reason', 'kill_pid', () => ({ pid: pids.sleeper, reason: huge })],
  ['extra key signal', 'kill_pid', () => ({ pid: pids.sleeper, reason, signal: 'SIGKILL' })],
  ['dry_run not boolean', 'kill_pid', () => ({ pid: pids.sleeper, reason, dry_run: 'no' })],
  ['input is a string', 'kill_pid', () => `${pids.sleeper}`],
  ['input is null', 'kill_pid', () => null],
  // --- kill_pid: guard ---
  ['PID 1', 'kill_pid', () => ({ pid: 1, reason })],
  ['PID 0', 'kill_pid', () => ({ pid: 0, reason })],
  ['negative PID', 'kill_pid', () => ({ pid: -1, reason })],
  ['process group', 'kill_pid', () => ({ pid: -pids.sleeper, reason })],
  ['beyond pid_max', 'kill_pid', () => ({ pid: 2 ** 40, reason })],
  ['PID 2 (kthreadd)', 'kill_pid', () => ({ pid: 2, reason })],
  ['own PID', 'kill_pid', () => ({ pid: process.pid, reason })],
  ['parent PID', 'kill_pid', () => ({ pid: process.ppid, reason })],
  ['nodemon', 'kill_pid', () => ({ pid: pids.nodemon, reason })],
  ['reused PID', 'kill_pid', () => ({ pid: pids.sleeper, reason })],
  ['not in the snapshot', 'kill_pid', () => ({ pid: pids.unseen, reason })],
  ['no such process', 'kill_pid', () => ({ pid: 4_194_000, reason })],
  // --- kill_tmux ---
  ['empty session', 'kill_tmux', () => ({ session: '', socket: sock, reason })],
  ['prefix session', 'kill_tmux', () => ({ session: 'agent', socket: sock, reason })],
  ['semicolon', 'kill_tmux', () => ({ session: 'agent-1;rm -rf /', socket: sock, reason })],
  ['command substitution', 'kill_tmux', () => ({ session: '$(x)', socket: sock, reason })],
  ['backticks', 'kill_tmux', () => ({ session: '`id`', socket: sock, reason })],
  ['space', 'kill_tmux', () => ({ session: 'agent 1', socket: sock, reason })],
  ['NUL in session', 'kill_tmux', () => ({ session: 'agent-1\u0000', socket: sock, reason })],
  ['dot-dot session', 'kill_tmux', () => ({ session: '../agent-1', socket: sock, reason })],
  ['= prefix', 'kill_tmux', () => ({ session: '=agent-1', socket: sock, reason })],
  ['window target', 'kill_tmux', () => ({ session: 'agent-1:0', socket: sock, reason })],
  ['option-like', 'kill_tmux', () => ({ session: '-agent', socket: sock, reason })],
  ['huge session', 'kill_tmux', () => ({ session: huge, socket: sock, reason })],
  ['session over 128', 'kill_tmux', () => ({ session: 'a'.repeat(200), socket: sock, reason })],
  ['numeric session', 'kill_tmux', () => ({ session: 1, socket: sock, reason })],
  ['unknown socket', 'kill_tmux', () => ({ session: 'agent-1', socket: '/tmp/tmux-0/default', reason })],
  ['socket via ../', 'kill_tmux', () => ({ session: 'agent-1', socket: `${sb.dir}/x/../sock`, reason })],
  ['socket symlink escape', 'kill_tmux', () => ({ session: 'agent-1', socket: join(sb.dir, 'sock-link'), reason })],
  ['NUL in socket', 'kill_tmux', () => ({ session: 'agent-1', socket: `${sock}\u0000`, reason })],
  ['empty socket', 'kill_tmux', () => ({ session: 'agent-1', socket: '', reason })],
  ['extra key command', 'kill_tmux', () => ({ session: 'agent-1', socket: sock, reason, command: 'kill-server' })],
  // --- clean_disk: nothing in the request may choose what is removed ---
  ['clean_disk path', 'clean_disk', () => ({ reason, path: '/etc' })],
  [
    'clean_disk symlink root',
    'clean_disk',
    () => ({ reason, roots: [{ path: join(sb.dir, 'sock-link'), rule: 'tmp' }] }),
  ],
  ['clean_disk age 0', 'clean_disk', () => ({ reason, minAgeDays: 0 })],
  ['clean_disk no reason', 'clean_disk', () => ({})],
  ['clean_disk huge reason', 'clean_disk', () => ({ reason: huge })],
  // --- log ---
  ['log empty', 'log', () => ({ observation: '' })],
  ['log huge', 'log', () => ({ observation: huge })],
  ['log not a string', 'log', () => ({ observation: { $ne: 1 } })],
  ['log extra file', 'log', () => ({ observation: 'x', file: '/etc/passwd' })],
  // --- restart_service / alert / create_bead: schema layer ---
  ['service number', 'restart_service', () => ({ service: 22, reason })],
  ['service huge', 'restart_service', () => ({ service: 'a'.repeat(300), reason })],
  ['service empty', 'restart_service', () => ({ service: '', reason })],
  ['service array', 'restart_service', () => ({ service: ['sshd.service'], reason })],
  ['service extra key', 'restart_service', () => ({ service: 'nginx.service', reason, args: ['--force'] })],
  ['service no reason', 'restart_service', () => ({ service: 'nginx.service.evil' })],
  ['alert empty', 'alert', () => ({ message: '' })],
  ['alert huge', 'alert', () => ({ message: huge })],
  ['alert bad severity', 'alert', () => ({ message: 'x', severity: 'emergency' })],
  ['alert chat override', 'alert', () => ({ message: 'x', chat_id: '12345' })],
  ['alert token', 'alert', () => ({ message: 'x', botToken: 'abc' })],
  ['bead huge title', 'create_bead', () => ({ title: huge, description: 'd' })],
  ['bead missing description', 'create_bead', () => ({ title: 't' })],
  ['bead numeric title', 'create_bead', () => ({ title: 1, description: 'd' })],
  ['bead extra flag', 'create_bead', () => ({ title: 't', description: 'd', args: ['--db', '/etc'] })],
  ['bead long type', 'create_bead', () => ({ title: 't', description: 'd', type: 'x'.repeat(41) })],
];

describe('hostile requests', () => {
  it('has at least 60 rows across all seven actions', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    const names = new Set(rows.map((r) => r[1]));
    for (const a of ['restart_service', 'kill_pid', 'kill_tmux', 'alert', 'log', 'create_bead', 'clean_disk'])
      expect(names).toContain(a);
  });

  it.each(rows)('%s (%s) is refused with a reason, recorded once, not executed', async (_label, action, input) => {
    const before = sb.records().length;
    const r = await gate.run({ action, input: input(), source: 'mcp' }, sb.ctx);
    expect(['refused', 'skipped']).toContain(r.result);
    expect(r.reason.trim().length).toBeGreaterThan(0);
    expect(r.reason).not.toContain('\u0000');
    const records = sb.records();
    expect(records.length).toBe(before + 1);
    expect(records.at(-1)!.action_result).toBe(r.result);
    expect(records.at(-1)!.source).toBe('mcp');
    expect(executed).toEqual([]);
    expect(signalled).toEqual([]);
  });

  it('1000 kill_pid requests in one cycle: at most 5 pass the budget stage, none executes', async () => {
    const ctx = {
      ...sb.ctx,
      cycleId: 'flood',
      dryRun: true,
      snapshot: snapshot({ processes: processes({ topByRss: [procInfoOf(pids.unseen)] }) }),
    };
    const before = sb.records().length;
    const results = await Promise.all(
      Array.from({ length: 1000 }, () =>
        gate.run({ action: 'kill_pid', input: { pid: pids.unseen, reason }, source: 'llm' }, ctx),
      ),
    );
    const passed = results.filter((r) => r.result === 'dry_run');
    expect(passed).toHaveLength(5);
    expect(
      results.filter((r) => r.result === 'refused' && r.reason === 'budget of 5 kill_pid per cycle used'),
    ).toHaveLength(995);
    const records = sb.records().slice(before);
    expect(records).toHaveLength(1000);
    expect(records.filter((r) => r.action_result === 'success')).toHaveLength(0);
    expect(executed).toEqual([]);
    expect(signalled).toEqual([]);
  });

  it('after all that, every process and session is still there', () => {
    for (const pid of Object.values(pids)) expect(isAlive(pid)).toBe(true);
    const list = execFileSync('tmux', ['-S', sock, 'list-sessions', '-F', '#{session_name}'], { encoding: 'utf8' });
    expect(list.trim().split('\n').sort()).toEqual(['agent-1', 'agent-10']);
    expect(sb.records().filter((r) => r.action_result === 'success')).toEqual([]);
  });
});
