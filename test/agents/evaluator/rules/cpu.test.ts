import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../../../src/model/snapshot.js';
import { snapshot } from '../../../support/snapshot.js';
import { config, runCycles, trace } from '../helpers.js';

const cpu = (over: Partial<Cpu>): Cpu => ({
  cores: 4,
  utilPct: 20,
  load1: 1,
  load5: 1,
  load15: 1,
  load1PerCore: 0.25,
  uptimeSec: 100,
  ...over,
});

describe('cpu rules', () => {
  it.each([
    ['util needs 3 cycles by default', [97, 97, 97], ['-', '-', 'warning']],
    ['util stays until under clear (80)', [97, 97, 97, 85, 79], ['-', '-', 'warning', 'warning', '-']],
    ['util critical at 97.5', [99, 99, 99], ['-', '-', 'critical']],
    ['null util (first sample) keeps the streak', [97, null, 97, 97], ['-', '-', '-', 'warning']],
  ] as const)('%s', (_n, utils, expected) => {
    const snaps = utils.map((u) => snapshot({ cpu: cpu({ utilPct: u }) }));
    expect(trace(runCycles(snaps).perCycle, 'cpu:util')).toEqual(expected);
  });

  it.each([
    [2.5, 'warning'],
    [4, 'critical'],
    [1.9, '-'],
  ] as const)('load per core %f → %s', (perCore, sev) => {
    const s = snapshot({ cpu: cpu({ load1PerCore: perCore, load1: perCore * 4 }) });
    expect(trace(runCycles([s], config({ confirmCycles: { cpu: 1 } })).perCycle, 'cpu:load')).toEqual([sev]);
  });

  it('a cpu gap yields nothing', () => {
    expect(runCycles([snapshot({ cpu: null })], config({ confirmCycles: { cpu: 1 } })).perCycle[0]).toEqual([]);
  });
});
