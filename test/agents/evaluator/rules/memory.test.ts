import { describe, expect, it } from 'vitest';
import { memory, proc, processes, snapshot } from '../../../support/snapshot.js';
import { config, find, runCycles, trace } from '../helpers.js';

const mem = (...pcts: Array<number | null>) =>
  pcts.map((p) => snapshot({ memory: p === null ? null : memory({ effectivePct: p, usedPct: p }) }));

describe('memory rule', () => {
  it.each([
    ['confirmCycles.memory = 2 by default', [93, 93, 93], ['-', 'warning', 'warning']],
    ['one spike does not fire', [93, 50, 93], ['-', '-', '-']],
    ['hysteresis: stays over clear, clears under it', [93, 93, 85, 79, 85], ['-', 'warning', 'warning', '-', '-']],
    ['critical at 95', [96, 96], ['-', 'critical']],
    ['gap keeps the streak', [93, null, 93], ['-', '-', 'warning']],
  ] as const)('%s', (_n, pcts, expected) => {
    expect(trace(runCycles(mem(...pcts)).perCycle, 'memory:host')).toEqual(expected);
  });

  it('names the hog (top by RSS) with pid, rss, %mem, age, start ticks', () => {
    const hog = proc({
      comm: 'java',
      pid: 777,
      rssBytes: 5e9,
      memPct: 62,
      ageSec: 7200,
      startTicks: 555,
      cmdline: 'java -jar app.jar',
    });
    const s = snapshot({
      memory: memory({ effectivePct: 93, usedPct: 93 }),
      processes: processes({ topByRss: [hog, proc()] }),
    });
    const { perCycle } = runCycles([s], config({ confirmCycles: { memory: 1 } }));
    const f = find(perCycle[0], 'memory:host');
    expect(f?.details['hog']).toMatchObject({
      name: 'java',
      pid: 777,
      rss: 5e9,
      memPct: 62,
      ageSec: 7200,
      startTicks: 555,
      cmdline: 'java -jar app.jar',
    });
    expect(f?.details['binding']).toBe('host');
    expect(f?.description).toContain('java (pid 777');
  });

  it('cgroup-bound: uses effectivePct and says the cgroup is the binding limit', () => {
    const m = memory({
      usedPct: 30,
      effectivePct: 94,
      cgroup: { version: 2, limitBytes: 2e9, usageBytes: 1.88e9, usedPct: 94 },
    });
    const { perCycle } = runCycles([snapshot({ memory: m })], config({ confirmCycles: { memory: 1 } }));
    const f = find(perCycle[0], 'memory:host');
    expect(f?.identity).toBe('memory:host');
    expect(f?.details).toMatchObject({ binding: 'cgroup', usedPct: 94, hostPct: 30, cgroupPct: 94, limitBytes: 2e9 });
    expect(f?.description).toContain('cgroup limit');
  });

  it('a cgroup with room left does not fire when the host is fine', () => {
    const m = memory({
      usedPct: 30,
      effectivePct: 30,
      cgroup: { version: 1, limitBytes: 8e9, usageBytes: 1e9, usedPct: 12.5 },
    });
    expect(runCycles([snapshot({ memory: m })], config({ confirmCycles: { memory: 1 } })).perCycle[0]).toEqual([]);
  });

  it('hog is null when the processes section is a gap', () => {
    const s = snapshot({ memory: memory({ effectivePct: 93 }), processes: null });
    const f = find(runCycles([s], config({ confirmCycles: { memory: 1 } })).perCycle[0], 'memory:host');
    expect(f?.details['hog']).toBeNull();
  });
});
