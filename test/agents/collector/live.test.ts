// One sanity run of the collector on the live machine: plausible ranges, not exact values.
import { availableParallelism } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../../../src/agents/collector/collect.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { createLinuxHost } from '../../../src/host/linux.js';
import { SnapshotSchema } from '../../../src/model/snapshot.js';
import { tempDirs } from './helpers.js';

const temp = tempDirs();
let savedTmpdir: string | undefined;
beforeEach(() => {
  savedTmpdir = process.env.TMUX_TMPDIR;
  process.env.TMUX_TMPDIR = temp.make(); // the live run must not talk to the real default tmux server
});
afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMUX_TMPDIR;
  else process.env.TMUX_TMPDIR = savedTmpdir;
  temp.cleanup();
});

describe('collect() on this machine', () => {
  it('reads plausible figures, sees this very process, and only services may be a gap', async () => {
    const host = createLinuxHost();
    const stateDir = `${temp.make()}/state/not-yet`;
    const config = ConfigSchema.parse({ services: ['cron'], memoryDir: temp.make() });
    const first = await collect({ host, config, previous: null, stateDir, consecutiveFailures: 0 });
    const second = await collect({ host, config, previous: first.samples, stateDir, consecutiveFailures: 0 });
    const s = second.snapshot;
    expect(SnapshotSchema.parse(s)).toEqual(s);
    expect(s.gaps.filter((g) => g.collector !== 'services')).toEqual([]);

    expect(s.memory!.totalBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(s.memory!.usedPct).toBeGreaterThan(0);
    expect(s.memory!.usedPct).toBeLessThan(100);
    expect(s.memory!.effectivePct).toBeGreaterThanOrEqual(s.memory!.usedPct);
    expect(s.swap!.usedBytes).toBeLessThanOrEqual(s.swap!.totalBytes);
    expect(s.disks!.some((d) => d.mount === '/' || d.fstype === 'overlay')).toBe(true);
    for (const d of s.disks!) expect(d.usedPct).toBeLessThanOrEqual(100);
    expect(s.cpu!.cores).toBe(availableParallelism());
    expect(s.cpu!.uptimeSec).toBeGreaterThan(0);
    if (s.cpu!.utilPct !== null) expect(s.cpu!.utilPct).toBeLessThanOrEqual(100);
    expect(s.processes!.total).toBeGreaterThan(1);
    expect(second.samples.procs!.list.some(([pid]) => pid === process.pid)).toBe(true);
    expect(s.tmux).toEqual([]);
    expect(s.athena).toMatchObject({ exists: true, latestFile: null });
    expect(s.self.stateFreeBytes).toBeGreaterThan(0);
    expect(s.self.pid).toBe(process.pid);
  });
});
