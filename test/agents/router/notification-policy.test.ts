import { describe, expect, it } from 'vitest';
import { reminderDelaySec } from '../../../src/agents/router/reminders.js';
import { FakeRouter, finding } from './harness.js';

const steady = (severity: 'warning' | 'critical' = 'warning') => ({
  ...finding('memory', 'host', severity),
  description: `memory (${severity})`,
});

/** Minutes after opening at which a steady incident was announced, over `hours`, one look every 5 minutes. */
function announcements(
  r: FakeRouter,
  hours: number,
  at: (min: number) => ReturnType<typeof steady> = () => steady(),
): number[] {
  const out: number[] = [];
  for (let m = 0; m < hours * 60; m += 5) {
    const d = r.at(m).cycle([at(m)]).decisions[0];
    if (d?.notify) out.push(m);
  }
  return out;
}

describe('notification policy: reminders back off', () => {
  it('a steady incident is announced at 0, +4 h and +16 h in a day: 3 messages, not one an hour', () => {
    expect(announcements(new FakeRouter(), 24)).toEqual([0, 240, 960]);
  });

  it('then daily', () => {
    expect(announcements(new FakeRouter(), 72)).toEqual([0, 240, 960, 2400, 3840]);
  });

  it('the schedule follows dedupWindowSec: 1 h → 1 h, 3 h, 6 h, 6 h', () => {
    expect([0, 1, 2, 3].map((n) => reminderDelaySec({ dedupWindowSec: 3600 }, n))).toEqual([
      3600, 10_800, 21_600, 21_600,
    ]);
    expect(announcements(new FakeRouter({ dedupWindowSec: 3600 }), 12)).toEqual([0, 60, 240, 600]);
  });

  it('a problem wandering across a severity threshold is worse once, not each time it crosses', () => {
    const wave = (m: number) => steady(Math.floor(m / 30) % 2 === 1 ? 'critical' : 'warning');
    const r = new FakeRouter();
    const got = announcements(r, 8, wave);
    expect(got).toEqual([0, 30, 270]);
  });

  it('a reminder carries when it opened and what the last message said', () => {
    const r = new FakeRouter();
    r.at(0).cycle([{ ...steady(), description: 'Memory at 93%' }]);
    const d = r.at(240).cycle([{ ...steady(), description: 'Memory at 82%' }]).decisions[0];
    expect(d).toMatchObject({
      transition: 'renotify',
      notify: true,
      openedAt: '2026-02-19T10:00:00.000Z',
      previous: { at: '2026-02-19T10:00:00.000Z', description: 'Memory at 93%' },
    });
    expect(d?.reason).toMatch(/reminder 1: 4 h since the last message/);
  });
});

describe('one incident per cause', () => {
  const svc = { ...finding('service', 'billing.service', 'critical'), description: 'Service billing.service failed' };
  const probe = (name: string) => ({
    ...finding('probe', name),
    description: `Probe ${name} failing`,
    details: { service: 'billing' },
  });

  it('a service down and its probes are one incident under the service, the probes recorded as grouped', () => {
    const r = new FakeRouter();
    const d = r.cycle([probe('a'), svc, probe('b')]).decisions;
    expect(d.map((x) => x.identity)).toEqual(['service:billing.service']);
    expect(d[0]?.finding.details.grouped).toEqual([
      { identity: 'probe:a', severity: 'warning', description: 'Probe a failing' },
      { identity: 'probe:b', severity: 'warning', description: 'Probe b failing' },
    ]);
    expect(Object.keys(r.state.incidents)).toEqual(['service:billing.service']);
  });

  it('a probe failing first keeps its incident when the service then goes down (an incident keeps its identity)', () => {
    const r = new FakeRouter();
    r.cycle([probe('a')]);
    const d = r.cycle([probe('a'), svc]).decisions;
    expect(d.map((x) => [x.identity, x.transition, x.finding.severity])).toEqual([['probe:a', 'worse', 'critical']]);
  });

  it('the service up again while its probe still fails: the open incident continues, it does not flip to a new one', () => {
    const r = new FakeRouter();
    r.cycle([svc, probe('a')]);
    const d = r.cycle([probe('a')]).decisions;
    expect(d.map((x) => [x.identity, x.transition])).toEqual([['service:billing.service', 'ongoing']]);
    expect(d[0]?.finding.details.symptom).toBe('probe:a');
    expect(r.state.incidents['probe:a']).toBeUndefined();
  });

  it('probes of other services and untied probes stay their own incidents', () => {
    const r = new FakeRouter();
    const other = { ...finding('probe', 'x'), details: { service: 'api' } };
    const d = r.cycle([svc, other, finding('probe', 'y')]).decisions;
    expect(d.map((x) => x.identity).sort()).toEqual(['probe:x', 'probe:y', 'service:billing.service']);
  });

  it('cpu:load and cpu:util of the same moment are one incident', () => {
    const r = new FakeRouter();
    const d = r.cycle([finding('cpu', 'util', 'critical'), finding('cpu', 'load')]).decisions;
    expect(d.map((x) => [x.identity, x.finding.severity])).toEqual([['cpu:util', 'critical']]);
    expect(d[0]?.finding.details.grouped).toEqual([expect.objectContaining({ identity: 'cpu:load' })]);
  });

  it('memory pressure and the swapping it causes are one incident under memory, even when the swapping is worse', () => {
    const r = new FakeRouter();
    const d = r.cycle([finding('swap', 'thrashing', 'critical'), finding('memory', 'host')]).decisions;
    expect(d.map((x) => [x.identity, x.finding.severity])).toEqual([['memory:host', 'critical']]);
    expect(d[0]?.finding.details.grouped).toEqual([expect.objectContaining({ identity: 'swap:thrashing' })]);
    // Swapping alone, with no memory incident, stays its own incident.
    const alone = new FakeRouter().cycle([finding('swap', 'thrashing', 'critical')]).decisions;
    expect(alone.map((x) => x.identity)).toEqual(['swap:thrashing']);
  });
});
