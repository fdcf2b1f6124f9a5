import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, type CollectInput } from '../../../src/agents/collector/collect.js';
import { SamplesSchema } from '../../../src/agents/collector/samples.js';
import { ConfigSchema, type Config } from '../../../src/config/schema.js';
import type { Host } from '../../../src/host/port.js';
import { SnapshotSchema } from '../../../src/model/snapshot.js';
import { makeProcTree } from '../../support/proc-tree.js';
import { NOW, fixture, fixtureHost, tempDirs } from './helpers.js';

const temp = tempDirs();
let savedTmpdir: string | undefined;
beforeEach(() => {
  savedTmpdir = process.env.TMUX_TMPDIR;
  process.env.TMUX_TMPDIR = temp.make(); // no default tmux server in the sandbox
});
afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMUX_TMPDIR;
  else process.env.TMUX_TMPDIR = savedTmpdir;
  temp.cleanup();
});

const config = (over: Partial<Config> = {}): Config => ({ ...ConfigSchema.parse({}), ...over });
const input = (host: Host, over: Partial<CollectInput> = {}): CollectInput => ({
  host,
  config: config(),
  previous: null,
  stateDir: '/var/lib/argus',
  consecutiveFailures: 0,
  ...over,
});

describe('collect on the captured machine', () => {
  it('gives a valid Snapshot with every section and no gap; samples for the next run', async () => {
    const { snapshot, samples } = await collect(input(fixtureHost(fixture('this-vm')), { consecutiveFailures: 2 }));
    expect(SnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(SamplesSchema.parse(samples)).toEqual(samples);
    expect(snapshot.gaps).toEqual([]);
    expect(snapshot.ts).toBe(NOW.toISOString());
    expect(snapshot.host).toBe('fixture');
    expect(snapshot.memory?.usedPct).toBe(1.5);
    expect(snapshot.disks?.map((d) => d.mount)).toEqual(['/']);
    expect(snapshot.cpu?.cores).toBe(2);
    expect(snapshot.services).toEqual([]);
    expect(snapshot.processes?.total).toBe(4);
    expect(snapshot.tmux).toEqual([]);
    expect(snapshot.probes).toEqual([]);
    expect(snapshot.athena).toBeNull(); // no memoryDir configured: not a gap
    expect(snapshot.self).toEqual({
      pid: 4242,
      stateDir: '/var/lib/argus',
      stateFreeBytes: 350_000 * 4096,
      consecutiveFailures: 2,
    });
    expect(snapshot.collectMs).toBeGreaterThan(0);
    expect(samples.ts).toBe(NOW.getTime());
    expect(samples.cpu?.btime).toBe(1_795_252_135);
  });

  it('the second run turns the samples into rates', async () => {
    const root = temp.make();
    makeProcTree(root, { processes: 5, swapTotalKb: 1000, swapFreeKb: 1000, pswpin: 100, pswpout: 100 });
    const first = await collect(input(fixtureHost(root)));
    expect(first.snapshot.cpu?.utilPct).toBeNull();
    expect(first.snapshot.swap?.inBytesPerSec).toBeNull();
    const cpu = first.samples.cpu!;
    const later = {
      ...first.samples,
      ts: first.samples.ts - 10_000,
      cpu: { ...cpu, total: cpu.total - 100, idle: cpu.idle - 80 },
    };
    const second = await collect(input(fixtureHost(root), { previous: later }));
    expect(second.snapshot.cpu?.utilPct).toBe(20);
    expect(second.snapshot.swap?.inBytesPerSec).toBe(0);
    expect(second.snapshot.processes?.topByRss.every((p) => p.cpuPct === 0)).toBe(true);
  });
});

describe('gaps: a failing or hanging collector never fails the cycle', () => {
  it('a Host whose exec never returns: services and tmux time out, everything else is there', async () => {
    const sock = join(temp.make(), 'sock');
    writeFileSync(sock, ''); // so tmux is asked at all
    const host = fixtureHost(fixture('this-vm'), { exec: () => new Promise(() => undefined) });
    const { snapshot } = await collect(
      input(host, { config: config({ services: ['nginx'], tmuxSockets: [sock], collectorTimeoutMs: 200 }) }),
    );
    expect(snapshot.gaps).toEqual([
      { collector: 'services', error: 'timed out after 200 ms' },
      { collector: 'tmux', error: 'timed out after 200 ms' },
    ]);
    expect(snapshot.services).toBeNull();
    expect(snapshot.tmux).toBeNull();
    expect(snapshot.memory).not.toBeNull();
    expect(snapshot.processes).not.toBeNull();
    expect(SnapshotSchema.safeParse(snapshot).success).toBe(true);
  });

  it('missing files: each reader that needs them is a gap in plain words', async () => {
    const root = temp.make();
    makeProcTree(root, { processes: 3 });
    rmSync(join(root, 'proc', 'meminfo'));
    rmSync(join(root, 'proc', 'loadavg'));
    const { snapshot, samples } = await collect(input(fixtureHost(root)));
    expect(snapshot.gaps).toEqual([
      { collector: 'memory', error: 'cannot read /proc/meminfo (ENOENT)' },
      { collector: 'swap', error: 'cannot read /proc/meminfo (ENOENT)' },
      { collector: 'cpu', error: 'cannot read /proc/loadavg (ENOENT)' },
      { collector: 'processes', error: 'cannot read /proc/meminfo (ENOENT)' },
    ]);
    expect(snapshot.disks).not.toBeNull();
    expect(samples).toEqual({ ts: NOW.getTime(), cpu: null, swapIo: null, procs: null });
    expect(SnapshotSchema.safeParse(snapshot).success).toBe(true);
  });

  it('self survives a failing statfs: free space unknown, not a gap', async () => {
    const host = fixtureHost(fixture('this-vm'), {
      statfs: async () => {
        throw Object.assign(new Error('I/O error'), { code: 'EIO' });
      },
    });
    const { snapshot } = await collect(input(host));
    expect(snapshot.self.stateFreeBytes).toBeNull();
    expect(snapshot.disks).toEqual([]);
    expect(snapshot.gaps).toEqual([]);
  });

  it('the state dir not created yet: free space of the nearest existing parent', async () => {
    const asked: string[] = [];
    const host = fixtureHost(fixture('this-vm'), {
      statfs: async (path) => {
        asked.push(path);
        if (path.startsWith('/var/lib/argus')) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
        return { blockSize: 1024, blocks: 10, blocksFree: 5, blocksAvail: 4, files: 1, filesFree: 1 };
      },
    });
    const { snapshot } = await collect(input(host, { stateDir: '/var/lib/argus/state' }));
    expect(snapshot.self.stateFreeBytes).toBe(4096);
    expect(asked).toContain('/var/lib');
  });
});
