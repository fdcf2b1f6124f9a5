import { describe, expect, it } from 'vitest';
import { FLAP_HISTORY, nextFlapping, percentStateChange, pushState } from '../../../src/agents/router/flapping.js';
import type { Decision } from '../../../src/model/finding.js';
import type { ResolvedIncident } from '../../../src/agents/router/route.js';
import { FakeRouter, finding } from './harness.js';

const probe = finding('probe', 'gateway');

function run(r: FakeRouter, pattern: boolean[]) {
  const decisions: Decision[] = [];
  const resolved: ResolvedIncident[] = [];
  for (const problem of pattern) {
    const out = r.cycle(problem ? [probe] : []);
    decisions.push(...out.decisions);
    resolved.push(...out.resolved);
  }
  return {
    decisions,
    resolved,
    notices: decisions.filter((d) => d.notify).length + resolved.filter((x) => x.notify).length,
  };
}

const alternating = (n: number) => Array.from({ length: n }, (_, i) => i % 2 === 0);

describe('percentStateChange (Nagios weighting)', () => {
  it.each([
    ['steady', Array(21).fill(true), 0],
    ['alternating over 21 states', alternating(21), 100],
    ['one change, newest (weight 1.2)', [...Array(20).fill(true), false], 6],
    ['one change, oldest (weight 0.8)', [true, ...Array(20).fill(false)], 4],
    ['short history sits at the newest end', [true, false], 6],
  ])('%s → %f %', (_n, states, pct) => {
    expect(percentStateChange(states)).toBeCloseTo(pct, 6);
  });

  it('pushState keeps the last 21', () => {
    let s: boolean[] = [];
    for (let i = 0; i < 30; i++) s = pushState(s, i % 3 === 0);
    expect(s).toHaveLength(FLAP_HISTORY);
    expect(s[20]).toBe(29 % 3 === 0);
  });

  it.each([
    [false, 19.9, false],
    [false, 20, true],
    [true, 5, true],
    [true, 4.9, false],
  ])('was %s, %f % → %s', (was, pct, now) => {
    expect(nextFlapping(was, pct)).toBe(now);
  });
});

describe('route: flapping', () => {
  it('alternating problem/ok every cycle: exactly one flapping notice over 30 cycles, no resolve/reopen spam', () => {
    const r = new FakeRouter({ resolveAfterCycles: 1 });
    const perCycle = alternating(30).map((problem) => r.cycle(problem ? [probe] : []));
    const flapCycles = perCycle.flatMap((o, i) => (o.decisions.some((d) => d.transition === 'flapping') ? [i] : []));
    expect(flapCycles).toHaveLength(1);
    const start = flapCycles[0] ?? 0;
    expect(perCycle[start]?.decisions[0]?.notify).toBe(true);
    const after = perCycle.slice(start + 1);
    expect(after.flatMap((o) => o.decisions.filter((d) => d.notify))).toEqual([]);
    expect(after.flatMap((o) => o.resolved)).toEqual([]);
    expect(new Set(after.flatMap((o) => o.decisions.map((d) => d.incidentId))).size).toBe(1);
    expect(r.state.flaps['probe:gateway']?.flapping).toBe(true);
  });

  it('with the default resolveAfterCycles the whole alternating run is one incident and two notices (open + flapping)', () => {
    const r = new FakeRouter();
    const { decisions, resolved, notices } = run(r, alternating(30));
    expect(new Set(decisions.map((d) => d.incidentId)).size).toBe(1);
    expect(resolved).toEqual([]);
    expect(notices).toBe(2);
    expect(decisions.filter((d) => d.transition === 'flapping')).toHaveLength(1);
  });

  it('a steady problem never flaps', () => {
    const r = new FakeRouter();
    const { decisions } = run(r, Array(30).fill(true));
    expect(decisions.filter((d) => d.transition === 'flapping')).toEqual([]);
  });

  it('when it settles healthy, the incident resolves once with a recovery notice', () => {
    const r = new FakeRouter();
    run(r, alternating(12));
    const { decisions, resolved } = run(r, Array(30).fill(false));
    expect(decisions).toEqual([]);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.notify).toBe(true);
    expect(r.state.flaps['probe:gateway']?.flapping).toBe(false);
  });

  it('when it settles failing, one normal notification of the current state', () => {
    const r = new FakeRouter({ dedupWindowSec: 86_400 });
    run(r, alternating(12));
    const { decisions } = run(r, Array(30).fill(true));
    expect(decisions.filter((d) => d.notify).map((d) => d.transition)).toEqual(['renotify']);
  });

  it('flapping that starts on a healthy observation is noticed once, with the last finding', () => {
    const r = new FakeRouter({ resolveAfterCycles: 1 });
    const { decisions } = run(
      r,
      alternating(30).map((x) => !x),
    );
    const flapping = decisions.filter((d) => d.transition === 'flapping');
    expect(flapping).toHaveLength(1);
    expect(flapping[0]?.finding.identity).toBe('probe:gateway');
  });
});
