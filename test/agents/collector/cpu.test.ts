import { afterEach, describe, expect, it } from 'vitest';
import { parseSystemStat, readCpu } from '../../../src/agents/collector/cpu.js';
import type { Samples } from '../../../src/agents/collector/samples.js';
import { DEFAULT_BTIME, makeProcTree } from '../../support/proc-tree.js';
import { NOW, fixture, fixtureHost, tempDirs } from './helpers.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

describe('readCpu', () => {
  it('reads the captured machine: 2 cores, load, uptime; no utilisation on the first sample', async () => {
    const { cpu, sample } = await readCpu(fixtureHost(fixture('this-vm')), null, NOW.getTime());
    expect(cpu).toEqual({
      cores: 2,
      utilPct: null,
      load1: 1.67,
      load5: 0.58,
      load15: 0.21,
      load1PerCore: 0.84,
      uptimeSec: 486,
    });
    expect(sample).toEqual({ btime: 1_795_252_135, total: 8248 + 4690 + 83_042 + 511 + 136 + 33, idle: 83_042 + 511 });
  });

  // The tree's counters: user 400000 nice 1000 system 100000 idle 8000000 iowait 5000 softirq 2000 → total 8508000, idle 8005000.
  it.each([
    ['busy 25 % of the interval', { btime: DEFAULT_BTIME, total: 8_508_000 - 1000, idle: 8_005_000 - 750 }, 25],
    ['all busy', { btime: DEFAULT_BTIME, total: 8_508_000 - 400, idle: 8_005_000 }, 100],
    ['all idle', { btime: DEFAULT_BTIME, total: 8_508_000 - 400, idle: 8_005_000 - 400 }, 0],
    [
      'btime jitter of a second is the same boot',
      { btime: DEFAULT_BTIME + 1, total: 8_508_000 - 100, idle: 8_005_000 - 50 },
      50,
    ],
    ['another boot', { btime: DEFAULT_BTIME - 3600, total: 8_000_000, idle: 7_000_000 }, null],
    ['no time passed in the counters', { btime: DEFAULT_BTIME, total: 8_508_000, idle: 8_005_000 }, null],
    ['no previous cpu counters', null, null],
  ] as const)('%s', async (_name, counters, expected) => {
    const root = temp.make();
    makeProcTree(root, { cores: 4, loadavg: [6, 4, 2] });
    const previous: Samples = { ts: NOW.getTime() - 60_000, cpu: counters, swapIo: null, procs: null };
    const { cpu } = await readCpu(fixtureHost(root), previous, NOW.getTime());
    expect(cpu.utilPct).toBe(expected);
    expect(cpu.cores).toBe(4);
    expect(cpu.load1PerCore).toBe(1.5);
  });

  it.each([
    ['no cpu line', 'btime 1\n', '/proc/stat has no cpu line'],
    ['no btime', 'cpu  1 2 3 4\ncpu0 1 2 3 4\n', '/proc/stat has no btime'],
  ])('parseSystemStat refuses %s', (_name, text, message) => {
    expect(() => parseSystemStat(text)).toThrow(message);
  });

  it('counts iowait as idle and ignores guest (already in user)', () => {
    const { counters, cores } = parseSystemStat('cpu  10 0 10 70 10 0 0 0 99 99\ncpu0 x\nbtime 5\n');
    expect(counters).toEqual({ btime: 5, total: 100, idle: 80 });
    expect(cores).toBe(1);
  });
});
