import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCgroupMemory } from '../../../src/agents/collector/cgroup-memory.js';
import { readMemory } from '../../../src/agents/collector/memory.js';
import { makeProcTree } from '../../support/proc-tree.js';
import { fixture, fixtureHost, tempDirs } from './helpers.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

describe('readMemory on captured and hand-written roots', () => {
  it.each([
    // name, host usedPct, cgroup (version, limit, usage, pct) or null, effectivePct
    ['this-vm', 1.5, null, 1.5],
    ['cgroup-v2-container', 14.9, { version: 2, limitBytes: 536_870_912, usageBytes: 440_401_920, usedPct: 82 }, 82],
    ['cgroup-v2-service', 14.9, { version: 2, limitBytes: 1_073_741_824, usageBytes: 100_663_296, usedPct: 9.4 }, 14.9],
    ['cgroup-v1-docker', 14.9, { version: 1, limitBytes: 268_435_456, usageBytes: 226_492_416, usedPct: 84.4 }, 84.4],
  ] as const)('%s', async (name, usedPct, cgroup, effectivePct) => {
    const m = await readMemory(fixtureHost(fixture(name)));
    expect(m.usedPct).toBe(usedPct);
    expect(m.cgroup).toEqual(cgroup);
    expect(m.effectivePct).toBe(effectivePct);
    expect(m.availableBytes).toBeLessThan(m.totalBytes);
  });

  it('reads MemTotal and MemAvailable in bytes', async () => {
    const m = await readMemory(fixtureHost(fixture('this-vm')));
    expect(m.totalBytes).toBe(24_684_092 * 1024);
    expect(m.availableBytes).toBe(24_307_688 * 1024);
  });

  it('throws in plain words when /proc/meminfo is missing', async () => {
    await expect(readMemory(fixtureHost(temp.make()))).rejects.toThrow('cannot read /proc/meminfo (ENOENT)');
  });
});

describe('cgroup limits that are no limit', () => {
  const write = (root: string, rel: string, text: string) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  };

  it.each([
    [
      'v2 "max"',
      '0::/\n',
      [
        ['sys/fs/cgroup/memory.max', 'max\n'],
        ['sys/fs/cgroup/memory.current', '1000\n'],
      ],
    ],
    ['v2 root cgroup (no memory.max)', '0::/\n', [['sys/fs/cgroup/cgroup.controllers', 'memory\n']]],
    [
      'v1 unlimited',
      '4:memory:/\n',
      [
        ['sys/fs/cgroup/memory/memory.limit_in_bytes', '9223372036854771712\n'],
        ['sys/fs/cgroup/memory/memory.usage_in_bytes', '1000\n'],
      ],
    ],
    ['no /proc/self/cgroup', null, []],
  ] as const)('%s → null', async (_name, selfCgroup, files) => {
    const root = temp.make();
    if (selfCgroup !== null) write(root, 'proc/self/cgroup', selfCgroup);
    for (const [rel, text] of files) write(root, rel, text);
    expect(await readCgroupMemory(fixtureHost(root))).toBeNull();
  });

  it('a v1 parent limit (hierarchical_memory_limit) binds when it is tighter', async () => {
    const root = temp.make();
    write(root, 'proc/self/cgroup', '4:memory:/app\n');
    write(root, 'sys/fs/cgroup/memory/app/memory.limit_in_bytes', '9223372036854771712\n');
    write(root, 'sys/fs/cgroup/memory/app/memory.usage_in_bytes', '600\n');
    write(root, 'sys/fs/cgroup/memory/app/memory.stat', 'hierarchical_memory_limit 1000\ntotal_inactive_file 100\n');
    expect(await readCgroupMemory(fixtureHost(root))).toEqual({
      version: 1,
      limitBytes: 1000,
      usageBytes: 500,
      usedPct: 50,
    });
  });

  it('falls back to Buffers+Cached+MemFree without MemAvailable (old kernels)', async () => {
    const root = temp.make();
    makeProcTree(root);
    write(root, 'proc/meminfo', 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 50 kB\n');
    const m = await readMemory(fixtureHost(root));
    expect(m.availableBytes).toBe(200 * 1024);
    expect(m.usedPct).toBe(80);
  });
});
