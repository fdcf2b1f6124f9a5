import { describe, expect, it } from 'vitest';
import { disk, snapshot } from '../../../support/snapshot.js';
import { config, find, runCycles, trace } from '../helpers.js';

/** Hysteresis and wording without the confirmation streak (confirmCycles.disk 1). */
const once = config({ confirmCycles: { disk: 1 } });
const at = (...pcts: Array<number | null>) => pcts.map((p) => snapshot({ disks: p === null ? null : [disk('/', p)] }));

describe('disk rule', () => {
  it.each([
    ['hysteresis 91→85→79: fires, stays, clears', [91, 85, 79], ['warning', 'warning', '-']],
    ['under fire never fires', [89, 89, 89], ['-', '-', '-']],
    ['critical at fire + (100 − fire)/2 = 95', [94, 95, 99], ['warning', 'critical', 'critical']],
    ['between clear and fire after clearing does not refire', [91, 79, 85], ['warning', '-', '-']],
    ['a gap does not clear an active condition', [91, null, 85], ['warning', '-', 'warning']],
    ['a gap does not start one either', [null, 85], ['-', '-']],
  ] as const)('%s', (_name, pcts, expected) => {
    const { perCycle } = runCycles(at(...pcts), once);
    expect(trace(perCycle, 'disk:/')).toEqual(expected);
  });

  it('by default a one-look blip is silent: confirmed on the second look', () => {
    expect(trace(runCycles(at(60, 91, 60, 60)).perCycle, 'disk:/')).toEqual(['-', '-', '-', '-']);
    expect(trace(runCycles(at(60, 91, 92)).perCycle, 'disk:/')).toEqual(['-', '-', 'warning']);
  });

  it('a disk filling fast (full within the hour, growing over two intervals) fires at once', () => {
    // 80 → 86 → 91 %: 6 GB and 5 GB per 5 minutes, 9 GB left: full in about 9 minutes.
    const { perCycle } = runCycles(at(80, 86, 91));
    expect(trace(perCycle, 'disk:/')).toEqual(['-', '-', 'warning']);
    expect(find(perCycle[2], 'disk:/')?.description).toMatch(/filling at [\d.]+ [MG]iB\/min: full in about \d+m\)/);
    // A jump from a steady level is not filling: it waits for its confirmation.
    expect(trace(runCycles(at(80, 80, 91)).perCycle, 'disk:/')).toEqual(['-', '-', '-']);
    // Slow growth (a day to full) waits too.
    expect(trace(runCycles(at(90.0, 90.1, 90.2)).perCycle, 'disk:/')).toEqual(['-', 'warning', 'warning']);
  });

  it.each([
    [2, [91, 91, 91], ['-', 'warning', 'warning']],
    [3, [91, 91, 85, 91, 91, 91], ['-', '-', '-', '-', '-', 'warning']],
  ] as const)('confirmCycles.disk=%i: fires only after holding that many cycles', (n, pcts, expected) => {
    const { perCycle } = runCycles(at(...pcts), config({ confirmCycles: { disk: n } }));
    expect(trace(perCycle, 'disk:/')).toEqual(expected);
  });

  it('a gap keeps the confirmation streak (unknown is not healthy)', () => {
    const { perCycle } = runCycles(at(91, null, 91), config({ confirmCycles: { disk: 2 } }));
    expect(trace(perCycle, 'disk:/')).toEqual(['-', '-', 'warning']);
  });

  it('describes live values but keeps them out of the identity', () => {
    const { perCycle } = runCycles([snapshot({ disks: [disk('/', 93, { availBytes: 18.2 * 2 ** 30 })] })], once);
    const f = find(perCycle[0], 'disk:/');
    expect(f).toMatchObject({ identity: 'disk:/', type: 'disk', subject: '/', severity: 'warning', source: 'rule' });
    expect(f?.description).toBe('Disk / at 93% (18.2 GiB free)');
    expect(f?.details).toMatchObject({ mount: '/', usedPct: 93, availBytes: 18.2 * 2 ** 30 });
  });

  it('inodes fire under their own identity disk:inodes:<mount>', () => {
    const snap = snapshot({ disks: [disk('/data', 40, { inodesPct: 97, inodesUsed: 970_000 })] });
    const { perCycle } = runCycles([snap], once);
    expect(perCycle[0]?.map((f) => [f.identity, f.severity])).toEqual([['disk:inodes:/data', 'critical']]);
  });

  it('filesystems without inodes (inodesTotal 0) never fire the inode rule', () => {
    const snap = snapshot({ disks: [disk('/btrfs', 40, { inodesTotal: 0, inodesUsed: 0, inodesPct: 100 })] });
    expect(runCycles([snap]).perCycle[0]).toEqual([]);
  });

  it('forgets a mount that disappeared while the disk section was present', () => {
    const snaps = [
      snapshot({ disks: [disk('/', 50), disk('/mnt', 92)] }),
      snapshot({ disks: [disk('/', 50)] }),
      snapshot({ disks: [disk('/', 50), disk('/mnt', 85)] }),
    ];
    const { perCycle, state } = runCycles(snaps, once);
    expect(trace(perCycle, 'disk:/mnt')).toEqual(['warning', '-', '-']);
    expect(state.conditions['disk:/mnt']).toBeUndefined();
  });
});
