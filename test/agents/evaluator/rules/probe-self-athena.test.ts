import { describe, expect, it } from 'vitest';
import { probe, snapshot } from '../../../support/snapshot.js';
import { config, find, runCycles, trace } from '../helpers.js';

describe('probe rule', () => {
  it.each([
    ['needs 2 failing cycles by default', [false, false, false], ['-', 'warning', 'warning']],
    ['clears on the first success', [false, false, true, false], ['-', 'warning', '-', '-']],
    ['one blip does not fire', [false, true, false, true], ['-', '-', '-', '-']],
  ] as const)('%s', (_n, oks, expected) => {
    const snaps = oks.map((ok) => snapshot({ probes: [probe('gateway', ok)] }));
    expect(trace(runCycles(snaps).perCycle, 'probe:gateway')).toEqual(expected);
  });

  it('fails often but never twice in a row: intermittent from the 3rd failure in an hour, held while the hour has them', () => {
    // Every other 5-minute check fails: the 3rd failure (cycle 5) reaches a quarter of the hour's 12 checks.
    const oks = [false, true, false, true, false, true, false, true];
    const { perCycle } = runCycles(oks.map((ok) => snapshot({ probes: [probe('gateway', ok)] })));
    expect(trace(perCycle, 'probe:gateway')).toEqual(['-', '-', '-', '-', 'warning', 'warning', 'warning', 'warning']);
    const f = find(perCycle[5], 'probe:gateway');
    expect(f?.description).toMatch(
      /failing intermittently: 3 of about 12 checks in the last hour failed \(the last check passed\)/,
    );
    expect(f?.details).toMatchObject({ intermittent: true, failuresLastHour: 3 });
    expect(f?.details).not.toHaveProperty('service'); // never a restart for a service that mostly answers
  });

  it('a confirmed outage that ended does not read as intermittent afterwards', () => {
    const oks = [false, false, false, false, true, true, true];
    expect(
      trace(runCycles(oks.map((ok) => snapshot({ probes: [probe('gateway', ok)] }))).perCycle, 'probe:gateway'),
    ).toEqual(['-', 'warning', 'warning', 'warning', '-', '-', '-']);
  });

  it('says why it failed', () => {
    const p = probe('athena-web', false, { status: null, error: 'ECONNREFUSED' });
    const f = find(
      runCycles([snapshot({ probes: [p] })], config({ confirmCycles: { probe: 1 } })).perCycle[0],
      'probe:athena-web',
    );
    expect(f?.description).toContain('ECONNREFUSED');
    expect(f?.details).toMatchObject({ name: 'athena-web', error: 'ECONNREFUSED' });
  });
});

describe('self rules', () => {
  it.each([
    ['a nearly full state disk (owned by self-health, not a finding)', { stateFreeBytes: 50e6 }],
    ['3 consecutive failed cycles (owned by self-health, not a finding)', { consecutiveFailures: 3 }],
  ] as const)('%s', (_n, over) => {
    const s = snapshot();
    const { perCycle } = runCycles([{ ...s, self: { ...s.self, ...over } }]);
    expect(perCycle[0]?.filter((f) => f.type === 'self')).toEqual([]);
  });

  it('each collector gap is an info finding self:collector:<name>', () => {
    const s = snapshot({ memory: null, gaps: [{ collector: 'memory', error: 'timeout after 5000 ms' }] });
    const f = find(runCycles([s]).perCycle[0], 'self:collector:memory');
    expect(f).toMatchObject({ severity: 'info', type: 'self', subject: 'collector:memory' });
    expect(f?.description).toContain('timeout after 5000 ms');
  });
});

describe('athena rule', () => {
  const athena = (ageSec: number | null, exists = true) => ({
    dir: '/home/a/memory',
    exists,
    latestFile: 'x.md',
    latestMtime: null,
    ageSec,
  });
  it.each([
    ['disabled by default (athenaIdleHours 0)', 0, athena(99_999), '-'],
    ['idle longer than the threshold is info', 2, athena(3 * 3600), 'info'],
    ['recent activity is fine', 2, athena(600), '-'],
    ['a missing directory is info', 2, athena(null, false), 'info'],
  ] as const)('%s', (_n, hours, a, sev) => {
    const { perCycle } = runCycles([snapshot({ athena: a })], config({ thresholds: { athenaIdleHours: hours } }));
    expect(trace(perCycle, 'athena:memory')).toEqual([sev]);
  });
});
