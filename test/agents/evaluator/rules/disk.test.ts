import { describe, expect, it } from 'vitest';
import { disk, snapshot } from '../../../support/snapshot.js';
import { config, find, runCycles, trace } from '../helpers.js';

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
    const { perCycle } = runCycles(at(...pcts));
    expect(trace(perCycle, 'disk:/')).toEqual(expected);
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
    const { perCycle } = runCycles([snapshot({ disks: [disk('/', 93, { availBytes: 18.2e9 })] })]);
    const f = find(perCycle[0], 'disk:/');
    expect(f).toMatchObject({ identity: 'disk:/', type: 'disk', subject: '/', severity: 'warning', source: 'rule' });
    expect(f?.description).toBe('Disk / at 93% (18.2 GB free)');
    expect(f?.details).toMatchObject({ mount: '/', usedPct: 93, availBytes: 18.2e9 });
  });

  it('inodes fire under their own identity disk:inodes:<mount>', () => {
    const snap = snapshot({ disks: [disk('/data', 40, { inodesPct: 97, inodesUsed: 970_000 })] });
    const { perCycle } = runCycles([snap]);
    expect(perCycle[0]?.map((f) => [f.identity, f.severity])).toEqual([['disk:inodes:/data', 'critical']]);
  });

  it('filesystems without inodes (inodesTotal 0) never fire the inode rule', () => {
    const snap = snapshot({ disks: [disk('/btrfs', 40, { inodesTotal: 0, inodesUsed: 0, inodesPct: 100 })] });
    expect(runCycles([snap]).perCycle[0]).toEqual([]);
  });

  it('forgets a mount that disappeared while the disk section was present', () => {
    const snaps = [snapshot({ disks: [disk('/', 50), disk('/mnt', 92)] }), snapshot({ disks: [disk('/', 50)] }), snapshot({ disks: [disk('/', 50), disk('/mnt', 85)] })];
    const { perCycle, state } = runCycles(snaps);
    expect(trace(perCycle, 'disk:/mnt')).toEqual(['warning', '-', '-']);
    expect(state.conditions['disk:/mnt']).toBeUndefined();
  });
});
