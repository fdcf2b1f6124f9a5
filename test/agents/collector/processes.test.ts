import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryShare } from '../../../src/model/memory-share.js';
import { compileOrphanPattern, matchesOrphanPattern, parseProcStat } from '../../../src/agents/collector/proc-pid.js';
import { TOP_N, readProcesses, type ProcessesInput } from '../../../src/agents/collector/processes.js';
import { SAMPLE_PROCS_MAX, type Samples } from '../../../src/agents/collector/samples.js';
import { DEFAULT_BTIME, makeProcTree, type FakeProc } from '../../support/proc-tree.js';
import { NOW, fixture, fixtureHost, tempDirs } from './helpers.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

/** Clock ticks after boot for a process that started `ageSec` before NOW. */
const startFor = (ageSec: number, btime = DEFAULT_BTIME): number => (NOW.getTime() / 1000 - ageSec - btime) * 100;

const input = (over: Partial<ProcessesInput> = {}): ProcessesInput => ({
  previous: null,
  now: NOW,
  orphanPattern: 'node --test',
  orphanMinAgeSec: 300,
  ...over,
});

describe('/proc/PID/stat parsing', () => {
  it('counts fields after the last ")" so a comm with spaces and parentheses cannot shift them', () => {
    const line = '4242 (evil) 1 2 (x) S 77 4242 4242 0 -1 0 0 0 0 0 150 50 0 0 20 0 1 0 9000 1000 321 0\n';
    expect(parseProcStat(line)).toEqual({
      pid: 4242,
      comm: 'evil) 1 2 (x',
      state: 'S',
      ppid: 77,
      flags: 0,
      ticks: 200,
      startTicks: 9000,
      rssPages: 321,
    });
  });

  it.each(['', 'garbage', '12 (x) S'])('rejects %j', (text) => expect(parseProcStat(text)).toBeNull());
});

describe('the orphan pattern', () => {
  const p = compileOrphanPattern('node --test');
  it.each([
    ['node\0--test\0a.test.js\0', true],
    ['/usr/local/bin/node\0--test\0', true],
    ['node\0--test-reporter=tap\0x\0', true], // a prefix, as configured
    ['node\0server.js\0', false],
    ['nodemon\0--test\0', false],
    ['/usr/bin/node\0/tmp/a.test.mjs\0', false], // the runner's child: not the pattern
    ['', false],
  ])('%j → %s', (raw, expected) => expect(matchesOrphanPattern(raw, p)).toBe(expected));

  it('filters by the comm of the first word, truncated like the kernel does', () => {
    expect(compileOrphanPattern('/opt/bin/very-long-command-name --x')).toEqual({
      comm: 'very-long-comma',
      prefix: 'very-long-command-name --x',
    });
  });
});

describe('readProcesses on the captured machine', () => {
  it('counts every PID, keeps kernel threads out of the tops, start time from btime', async () => {
    const { processes, sample } = await readProcesses(fixtureHost(fixture('this-vm')), input());
    expect(processes.total).toBe(4);
    expect(processes.topByRss.map((p) => [p.pid, p.comm])).toEqual([
      [1, 'process_api'],
      [1019, 'bash'],
    ]);
    const init = processes.topByRss[0]!;
    expect(init.cmdline.startsWith('/process_api --firecracker-init')).toBe(true);
    expect(init.startedAt).toBe(new Date((1_795_252_135 + 0.3) * 1000).toISOString());
    expect(init.rssBytes).toBe(4709 * 4096);
    expect(processes.topByCpu).toEqual([]); // no previous sample
    expect(processes.topBySwap).toEqual([]); // no swap on that machine
    expect(sample.list.map(([pid]) => pid).sort()).toEqual([1, 1019]);
  });
});

describe('orphan candidates on a synthetic tree', () => {
  const extra: FakeProc[] = [
    {
      pid: 500,
      ppid: 1,
      comm: 'node',
      argv: ['node', '--test', 'a.test.js'],
      startTicks: startFor(3600),
      rssPages: 10,
    },
    { pid: 501, ppid: 1, comm: 'nodemon', argv: ['nodemon', '--test'], startTicks: startFor(3600) },
    { pid: 502, ppid: 1, comm: 'node', argv: ['node', '--test'], startTicks: startFor(60) }, // young
    { pid: 503, ppid: 1, comm: 'node', argv: ['node', 'server.js'], startTicks: startFor(3600) }, // not the pattern
    { pid: 600, ppid: 1, comm: 'bash', argv: ['-bash'], startTicks: startFor(7200) },
    { pid: 601, ppid: 600, comm: 'node', argv: ['node', '--test'], startTicks: startFor(3600) }, // parent alive
    { pid: 700, ppid: 1, comm: 'systemd', argv: ['/lib/systemd/systemd', '--user'], startTicks: startFor(9000) },
    { pid: 701, ppid: 700, comm: 'node', argv: ['/usr/bin/node', '--test', 'x'], startTicks: startFor(900) }, // subreaper
    { pid: 702, ppid: 99_999, comm: 'node', argv: ['node', '--test'], startTicks: startFor(900) }, // parent not visible
  ];

  it('reports old `node --test` processes whose parent is gone, with the parent they were given', async () => {
    const root = temp.make();
    makeProcTree(root, { extra, processes: 20 });
    const { processes } = await readProcesses(fixtureHost(root), input());
    expect(processes.orphans.map((o) => [o.pid, o.parentComm, o.ageSec])).toEqual([
      [500, 'systemd', 3600],
      [701, 'systemd', 900],
      [702, null, 900],
    ]);
    expect(processes.orphans[0]!.cmdline).toBe('node --test a.test.js');
  });

  it('orphanMinAgeSec 0 takes the young one too; another pattern finds other processes', async () => {
    const root = temp.make();
    makeProcTree(root, { extra });
    const young = await readProcesses(fixtureHost(root), input({ orphanMinAgeSec: 0 }));
    expect(young.processes.orphans.map((o) => o.pid)).toEqual([500, 502, 701, 702]);
    const other = await readProcesses(fixtureHost(root), input({ orphanPattern: 'node server.js' }));
    expect(other.processes.orphans.map((o) => o.pid)).toEqual([503]);
  });
});

describe('per-process CPU from two samples', () => {
  const btime = DEFAULT_BTIME;
  const procs: FakeProc[] = [
    { pid: 800, ppid: 1, comm: 'busy', argv: ['busy'], startTicks: startFor(3600), ticks: 10_000, rssPages: 5 },
    { pid: 801, ppid: 1, comm: 'idle', argv: ['idle'], startTicks: startFor(3600), ticks: 50, rssPages: 5 },
    { pid: 802, ppid: 1, comm: 'fresh', argv: ['fresh'], startTicks: startFor(20), ticks: 1000, rssPages: 5 },
    { pid: 803, ppid: 1, comm: 'reused', argv: ['reused'], startTicks: startFor(100), ticks: 30, rssPages: 5 },
  ];
  const previous = (b = btime): Samples => ({
    ts: NOW.getTime() - 60_000,
    cpu: null,
    swapIo: null,
    // 800 used 3000 ticks (30 s) in 60 s; 801 nothing; 803 is a new process on a reused PID (other start time).
    procs: {
      btime: b,
      list: [
        [800, startFor(3600), 7000],
        [801, startFor(3600), 50],
        [803, startFor(5000), 10],
      ],
    },
  });

  it('cpu % = tick delta / 100 / seconds; a process started since is measured over its life', async () => {
    const root = temp.make();
    makeProcTree(root, { extra: procs, btime });
    const { processes, sample } = await readProcesses(fixtureHost(root), input({ previous: previous() }));
    const cpu = Object.fromEntries(processes.topByCpu.map((p) => [p.comm, p.cpuPct]));
    expect(cpu).toEqual({ busy: 50, fresh: 50 }); // fresh: 10 s of CPU in its 20 s; idle: 0 % is not a top consumer
    expect(processes.topByCpu[0]!.comm).toBe('busy');
    expect(sample.list).toContainEqual([800, startFor(3600), 10_000]);
    expect(sample.btime).toBe(btime);
  });

  it('a PID reused by another process gives no figure; after a reboot only lifetime figures remain', async () => {
    const root = temp.make();
    makeProcTree(root, { extra: procs, btime });
    // The previous sample is from a boot a day earlier: no tick is compared across it.
    const reboot = await readProcesses(fixtureHost(root), input({ previous: previous(btime - 86_400) }));
    expect(reboot.processes.topByCpu.map((p) => p.comm)).toEqual(['fresh']);
    const same = await readProcesses(fixtureHost(root), input({ previous: previous() }));
    expect(same.processes.topByCpu.map((p) => p.comm)).not.toContain('reused');
  });
});

describe('tops', () => {
  it('top N by RSS, largest first, memPct against MemTotal; topBySwap only when swap is in use', async () => {
    const root = temp.make();
    makeProcTree(root, {
      processes: 40,
      memTotalKb: 1_000_000,
      swapTotalKb: 1000,
      swapFreeKb: 500,
      extra: [
        { pid: 900, ppid: 1, comm: 'swapper-x', argv: ['swapper-x'], startTicks: 100, rssPages: 1, vmSwapKb: 400 },
      ],
    });
    const { processes } = await readProcesses(fixtureHost(root), input());
    expect(processes.topByRss).toHaveLength(TOP_N);
    const rss = processes.topByRss.map((p) => p.rssBytes);
    expect(rss).toEqual([...rss].sort((a, b) => b - a));
    const top = processes.topByRss[0]!;
    expect(top.memPct).toBe(Math.round((top.rssBytes / 1_024_000_000) * 1000) / 10);
    expect(processes.topBySwap.map((p) => [p.pid, p.swapBytes])).toEqual([[900, 400 * 1024]]);
    expect(processes.topBySwap[0]!.cmdline).toBe('swapper-x');
  });

  it("a hog's share is stated against its own cgroup's limit when that is tighter than the host (a unit's MemoryMax)", async () => {
    const root = temp.make();
    makeProcTree(root, {
      memTotalKb: 32_000_000,
      extra: [
        { pid: 4100, ppid: 1, comm: 'node', argv: ['node', 'server.js'], startTicks: 100, rssPages: 220_000 },
        { pid: 4200, ppid: 1, comm: 'java', argv: ['java'], startTicks: 100, rssPages: 200_000 },
      ],
    });
    const cg = join(root, 'sys/fs/cgroup/system.slice/api.service');
    mkdirSync(cg, { recursive: true });
    writeFileSync(join(root, 'proc/4100/cgroup'), '0::/system.slice/api.service\n');
    writeFileSync(join(cg, 'memory.max'), `${1024 ** 3}\n`);
    writeFileSync(join(cg, 'memory.current'), `${Math.round(0.93 * 1024 ** 3)}\n`);
    writeFileSync(join(cg, 'memory.stat'), 'inactive_file 0\n');
    // java's cgroup has no limit ("max"): its share stays the host's.
    const free = join(root, 'sys/fs/cgroup/system.slice/batch.service');
    mkdirSync(free, { recursive: true });
    writeFileSync(join(root, 'proc/4200/cgroup'), '0::/system.slice/batch.service\n');
    writeFileSync(join(free, 'memory.max'), 'max\n');
    writeFileSync(join(free, 'memory.current'), '1000\n');
    const { processes } = await readProcesses(fixtureHost(root), input());
    const node = processes.topByRss.find((p) => p.pid === 4100)!;
    expect(node.memPct).toBeLessThan(3);
    expect(node.cgroupMemory).toMatchObject({ limitBytes: 1024 ** 3, usedPct: 93 });
    expect(memoryShare(node)).toBe('93.0% of its cgroup limit (952.3 MiB of 1.0 GiB)');
    const java = processes.topByRss.find((p) => p.pid === 4200)!;
    expect(java.cgroupMemory).toBeUndefined();
    expect(memoryShare(java)).toBe(`${java.memPct.toFixed(1)}% of memory`);
  });

  it('keeps at most SAMPLE_PROCS_MAX processes in the sample, the busiest', async () => {
    const root = temp.make();
    const { procs } = makeProcTree(root, { processes: SAMPLE_PROCS_MAX + 50 });
    const { processes, sample } = await readProcesses(fixtureHost(root), input());
    expect(processes.total).toBe(SAMPLE_PROCS_MAX + 50 + 9);
    expect(sample.list).toHaveLength(SAMPLE_PROCS_MAX);
    const keptPids = new Set(sample.list.map(([pid]) => pid));
    const dropped = procs.filter((p) => p.ppid !== 2 && p.pid !== 2 && !keptPids.has(p.pid));
    expect(dropped).toHaveLength(51);
    const minKept = Math.min(...sample.list.map(([, , t]) => t));
    expect(Math.max(...dropped.map((p) => p.ticks ?? 0))).toBeLessThanOrEqual(minKept);
  }, 120_000);
});
