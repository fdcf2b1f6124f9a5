// kill_pid against real child processes: TERM, TERM-ignoring → KILL, PID reuse, not in snapshot, nodemon, self and ancestors.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKillPid } from '../../../src/agents/executor/actions/kill-pid.js';
import { createGate } from '../../../src/agents/executor/gate.js';
import {
  FIXTURES,
  isAlive,
  procInfoOf,
  sandbox,
  snapshotWith,
  spawnNode,
  spawnReady,
  type Sandbox,
} from './helpers.js';

let sb: Sandbox;
const extraDirs: string[] = [];
afterEach(() => {
  sb?.cleanup();
  for (const d of extraDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function gateFor(s: Sandbox) {
  return createGate([createKillPid({ graceMs: 1500, pollMs: 50 })], {
    registry: s.registry,
    now: () => new Date(),
    host: 'testhost',
  });
}

describe('kill_pid', () => {
  it('ends a process with SIGTERM and reports success only once it is gone', async () => {
    sb = sandbox();
    const { child } = await spawnNode(sb, 'sleep.mjs');
    const pid = child.pid!;
    sb.ctx.snapshot = snapshotWith([procInfoOf(pid)]);
    const r = await gateFor(sb).run({ action: 'kill_pid', input: { pid, reason: 'test' }, source: 'rule' }, sb.ctx);
    expect(r.result, r.reason).toBe('success');
    expect(r.details.signal).toBe('SIGTERM');
    expect(isAlive(pid)).toBe(false);
    expect(sb.records()).toHaveLength(1);
    expect(sb.records()[0]!.action_taken).toBe(`kill_pid:${pid}`);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    sb = sandbox();
    const { child } = await spawnNode(sb, 'ignore-term.mjs');
    const pid = child.pid!;
    sb.ctx.snapshot = snapshotWith([procInfoOf(pid)]);
    const r = await gateFor(sb).run({ action: 'kill_pid', input: { pid, reason: 'test' }, source: 'rule' }, sb.ctx);
    expect(r.result, r.reason).toBe('success');
    expect(r.details.signal).toBe('SIGKILL');
    expect(isAlive(pid)).toBe(false);
  });

  it('refuses a reused PID (start time differs from the snapshot) and leaves it running', async () => {
    sb = sandbox();
    const { child } = await spawnNode(sb, 'sleep.mjs');
    const pid = child.pid!;
    const info = procInfoOf(pid);
    sb.ctx.snapshot = snapshotWith([{ ...info, startTicks: info.startTicks - 100 }]);
    const r = await gateFor(sb).run({ action: 'kill_pid', input: { pid, reason: 'test' }, source: 'llm' }, sb.ctx);
    expect(r.result).toBe('refused');
    expect(r.reason).toMatch(/PID reused: start time changed/);
    expect(isAlive(pid)).toBe(true);
  });

  it('refuses a PID the snapshot did not see, and any kill without a snapshot', async () => {
    sb = sandbox();
    const { child } = await spawnNode(sb, 'sleep.mjs');
    const pid = child.pid!;
    sb.ctx.snapshot = snapshotWith([]);
    const gate = gateFor(sb);
    const r1 = await gate.run({ action: 'kill_pid', input: { pid, reason: 'test' }, source: 'mcp' }, sb.ctx);
    expect(r1.reason).toMatch(/not seen in the latest snapshot/);
    const r2 = await gate.run(
      { action: 'kill_pid', input: { pid, reason: 'test' }, source: 'mcp' },
      { ...sb.ctx, snapshot: null },
    );
    expect(r2.result).toBe('refused');
    expect(r2.reason).toMatch(/no snapshot/);
    expect(isAlive(pid)).toBe(true);
  });

  it('refuses `nodemon`: whole command names only', async () => {
    sb = sandbox();
    const bin = mkdtempSync(join(tmpdir(), 'argus-'));
    extraDirs.push(bin);
    symlinkSync(process.execPath, join(bin, 'nodemon'));
    const { child } = await spawnReady(sb, join(bin, 'nodemon'), [join(FIXTURES, 'sleep.mjs')]);
    const pid = child.pid!;
    const info = procInfoOf(pid);
    expect(info.comm).toBe('nodemon');
    sb.ctx.snapshot = snapshotWith([info]);
    const r = await gateFor(sb).run({ action: 'kill_pid', input: { pid, reason: 'test' }, source: 'llm' }, sb.ctx);
    expect(r.result).toBe('refused');
    expect(r.reason).toMatch(/"nodemon", which is not on the kill list/);
    expect(isAlive(pid)).toBe(true);
  });

  it('refuses Argus itself and its ancestors (played by fixture processes)', async () => {
    sb = sandbox();
    const { child: parent, line } = await spawnNode(sb, 'parent.mjs');
    const grandchild = Number(line.split(' ')[1]);
    sb.pids.push(grandchild);
    expect(isAlive(grandchild)).toBe(true);
    // "Argus" is the grandchild: its parent (a fixture) and the test worker above it are ancestors.
    sb.ctx.host = { ...sb.ctx.host, pid: grandchild };
    sb.ctx.snapshot = snapshotWith([procInfoOf(parent.pid!), procInfoOf(grandchild)]);
    const gate = gateFor(sb);
    const self = await gate.run({ action: 'kill_pid', input: { pid: grandchild, reason: 'x' }, source: 'llm' }, sb.ctx);
    expect(self.reason).toMatch(/is Argus itself/);
    const anc = await gate.run({ action: 'kill_pid', input: { pid: parent.pid!, reason: 'x' }, source: 'llm' }, sb.ctx);
    expect(anc.reason).toMatch(/ancestor of Argus/);
    expect(isAlive(parent.pid!)).toBe(true);
    expect(isAlive(grandchild)).toBe(true);
  });

  it.each([
    [1, /PID 1 \(init\)/],
    [2, /kernel thread|no process/],
    [process.ppid, /ancestor of Argus/],
    [process.pid, /is Argus itself/],
  ])('refuses PID %s without signalling anything', async (pid, reason) => {
    const sent: number[] = [];
    sb = sandbox({ host: { kill: (p) => void sent.push(p) } });
    sb.ctx.snapshot = snapshotWith([procInfoOf(process.pid)]);
    const r = await gateFor(sb).run({ action: 'kill_pid', input: { pid, reason: 'x' }, source: 'mcp' }, sb.ctx);
    expect(r.result).toBe('refused');
    expect(r.reason).toMatch(reason);
    expect(sent).toEqual([]);
  });
});
