// The simulated host reacts to what Argus does: a killed process frees its memory, a restart revives a service or not,
// clean_disk's deletions free exactly the bytes of the files removed.
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMemory } from '../../src/agents/collector/memory.js';
import { readServices } from '../../src/agents/collector/services.js';
import { createSimClock } from '../../src/host/simulated/clock.js';
import { createSimulatedHost, diskUsedBytes } from '../../src/host/simulated/host.js';
import { WorldSpecSchema, createWorld } from '../../src/host/simulated/world.js';

const MB = 1024 * 1024;
let root: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'argus-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function make(spec: unknown) {
  const clock = createSimClock(new Date('2026-03-02T00:00:00Z'));
  const world = createWorld(WorldSpecSchema.parse(spec), clock.startMs);
  const host = createSimulatedHost(world, clock, { root });
  host.sync();
  return { host, world, clock };
}

describe('simulated host', () => {
  it('a killed process frees its memory and disappears from /proc', async () => {
    const { host } = make({
      memTotalMB: 8192,
      baseUsedMB: 1024,
      processes: [{ pid: 500, comm: 'node', cmdline: 'node hog.js', rssMB: 4096 }],
    });
    const before = await readMemory(host);
    expect(before.usedPct).toBe(62.5);
    expect(readFileSync(join(root, 'proc/500/cmdline'), 'utf8')).toBe('node\0hog.js\0');
    host.kill(500, 'SIGTERM');
    expect(existsSync(join(root, 'proc/500'))).toBe(false);
    host.sync();
    const after = await readMemory(host);
    expect(after.usedPct).toBe(12.5);
    expect(() => host.kill(500, 0)).toThrow(/ESRCH/);
  });

  it('a process that ignores SIGTERM survives it and not SIGKILL; its children are adopted by init', () => {
    const { host, world } = make({
      processes: [
        { pid: 600, comm: 'node', cmdline: 'node a', ignoresTerm: true },
        { pid: 601, ppid: 600, comm: 'node', cmdline: 'node --test b' },
      ],
    });
    host.kill(600, 'SIGTERM');
    expect(world.processes.has(600)).toBe(true);
    host.kill(600, 'SIGKILL');
    expect(world.processes.has(600)).toBe(false);
    expect(world.processes.get(601)?.ppid).toBe(1);
    expect(readFileSync(join(root, 'proc/601/stat'), 'utf8').split(' ')[3]).toBe('1');
  });

  it.each([
    [true, 'active', 0],
    [false, 'failed', 1],
  ])('a restart with revives=%s leaves the service %s', async (revives, state, exit) => {
    const { host } = make({ services: [{ name: 'nginx', state: 'failed', revives }] });
    const down = await readServices(host, ['nginx'], 1000);
    expect(down[0]?.activeState).toBe('failed');
    const r = await host.exec('systemctl', ['restart', '--', 'nginx.service']);
    expect(r.exitCode).toBe(exit);
    const after = await readServices(host, ['nginx'], 1000);
    expect(after[0]?.activeState).toBe(state);
  });

  it('an administrator-stopped service reads as inactive with Result=success', async () => {
    const { host } = make({ services: [{ name: 'cron', state: 'stopped' }] });
    const [s] = await readServices(host, ['cron'], 1000);
    expect([s?.activeState, s?.result]).toEqual(['inactive', 'success']);
  });

  it('disk usage counts the real files it placed: deleting one frees its logical size', async () => {
    const { host, world } = make({ disks: [{ mount: '/', sizeGB: 10, usedGB: 5 }] });
    host.addFile('/', { dir: 'tmp', name: 'old.bin', sizeMB: 1024, ageDays: 10 });
    const disk = world.disks[0]!;
    expect(diskUsedBytes(disk)).toBe(6 * 1024 * MB);
    const before = await host.statfs('/');
    rmSync(disk.files[0]!.path);
    const after = await host.statfs('/');
    expect(after.blocksFree - before.blocksFree).toBe((1024 * MB) / 4096);
    // The same disk answers through its safelist directory (what clean_disk asks for before/after).
    expect((await host.statfs(host.safelistDirs()[0]!.path)).blocksFree).toBe(after.blocksFree);
  });

  it('never fetches Telegram or Anthropic; probes answer from the world', async () => {
    const { host } = make({ probes: { 'http://app.local/health': 503 } });
    await expect(host.fetch('https://api.telegram.org/bot/x')).rejects.toThrow(/not reachable/);
    await expect(host.fetch('https://api.anthropic.com/v1/messages')).rejects.toThrow(/not reachable/);
    expect((await host.fetch('http://app.local/health')).status).toBe(503);
    expect((await host.fetch('http://other.local/')).status).toBe(200);
  });
});
