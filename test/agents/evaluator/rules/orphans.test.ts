import { describe, expect, it } from 'vitest';
import { orphan, processes, snapshot } from '../../../support/snapshot.js';
import { find, runCycles } from '../helpers.js';

const A = orphan({ pid: 100, startTicks: 1000, ageSec: 4000 });
const B = orphan({ pid: 200, startTicks: 2000, ageSec: 600, cmdline: 'node --test b.js' });
const A_REUSED = orphan({ pid: 100, startTicks: 9999, ageSec: 900 }); // same PID, a different process
const YOUNG = orphan({ pid: 300, startTicks: 3000, ageSec: 10 });
const cycle = (...os: Array<ReturnType<typeof orphan>> | [null]) =>
  snapshot({ processes: os[0] === null ? null : processes({ orphans: os as Array<ReturnType<typeof orphan>> }) });

const confirmedPids = (perCycle: ReturnType<typeof runCycles>['perCycle']) =>
  perCycle.map((fs) =>
    ((find(fs, 'process:orphans')?.details['orphans'] as Array<{ pid: number }> | undefined) ?? []).map((o) => o.pid),
  );

describe('orphan rule', () => {
  it.each([
    ['fires after 3 consecutive sightings', [[A], [A], [A]], [[], [], [100]]],
    ['a missed cycle restarts the streak', [[A], [A], [], [A], [A], [A]], [[], [], [], [], [], [100]]],
    ['each orphan has its own streak', [[A], [A, B], [A, B], [A, B]], [[], [], [100], [100, 200]]],
    ['PID reuse (new start time) starts a new streak', [[A], [A], [A_REUSED]], [[], [], []]],
    ['younger than orphanMinAgeSec never counts', [[YOUNG], [YOUNG], [YOUNG], [YOUNG]], [[], [], [], []]],
  ] as const)('%s', (_n, seq, expected) => {
    const { perCycle } = runCycles(seq.map((os) => cycle(...os)));
    expect(confirmedPids(perCycle)).toEqual(expected);
  });

  it('a processes gap keeps the streaks (unknown, not gone)', () => {
    const { perCycle, state } = runCycles([cycle(A), cycle(A), cycle(null), cycle(A)]);
    expect(confirmedPids(perCycle)).toEqual([[], [], [], [100]]);
    expect(state.orphans['100:1000']?.streak).toBe(3);
  });

  it('details carry what the kill needs: pid, startTicks, comm, cmdline, ageSec, ppid, streak', () => {
    const { perCycle } = runCycles([cycle(A), cycle(A), cycle(A)]);
    const f = find(perCycle[2], 'process:orphans');
    expect(f).toMatchObject({ identity: 'process:orphans', severity: 'warning' });
    expect(f?.details['orphans']).toEqual([
      expect.objectContaining({
        pid: 100,
        startTicks: 1000,
        comm: 'node',
        cmdline: 'node --test',
        ageSec: 4000,
        ppid: 1,
        streak: 3,
      }),
    ]);
  });

  it('state holds only the orphans seen last cycle (bounded)', () => {
    const { state } = runCycles([cycle(A, B), cycle(B), cycle()]);
    expect(state.orphans).toEqual({});
  });
});
