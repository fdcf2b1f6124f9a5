import { describe, expect, it } from 'vitest';
import { RouterStateSchema, route } from '../../../src/agents/router/route.js';
import type { Finding } from '../../../src/model/finding.js';
import { FakeRouter, finding } from './harness.js';

const probe = finding('probe', 'gateway');
const diskF = finding('disk', '/');

describe('route: incidents', () => {
  it('opens an incident with a stable id and notifies', () => {
    const r = new FakeRouter();
    const { decisions } = r.cycle([probe]);
    expect(decisions).toEqual([
      expect.objectContaining({
        identity: 'probe:gateway',
        incidentId: 'probe:gateway#20260219T100000Z',
        transition: 'opened',
        notify: true,
        kind: 'escalate',
        silencedBy: null,
      }),
    ]);
    const again = r.cycle([probe]).decisions[0];
    expect(again?.incidentId).toBe('probe:gateway#20260219T100000Z');
    expect(again?.transition).toBe('ongoing');
  });

  it('resolves after resolveAfterCycles healthy cycles and alerts on recovery', () => {
    const r = new FakeRouter({ resolveAfterCycles: 3 });
    r.cycle([probe]);
    const out = [r.cycle([]), r.cycle([]), r.cycle([])];
    expect(out.map((o) => o.resolved.length)).toEqual([0, 0, 1]);
    expect(out[2]?.resolved[0]).toMatchObject({
      identity: 'probe:gateway',
      incidentId: 'probe:gateway#20260219T100000Z',
      notify: true,
      durationSec: 15 * 60,
      openedAt: '2026-02-19T10:00:00.000Z',
      resolvedAt: '2026-02-19T10:15:00.000Z',
    });
    expect(r.state.incidents).toEqual({});
  });

  it('a problem in between healthy cycles resets the count', () => {
    const r = new FakeRouter({ resolveAfterCycles: 2 });
    const resolvedPerCycle = [[probe], [], [probe], [], []].map((fs) => r.cycle(fs).resolved.length);
    expect(resolvedPerCycle).toEqual([0, 0, 0, 0, 1]);
  });

  it('a reopened incident gets a new id', () => {
    const r = new FakeRouter({ resolveAfterCycles: 1 });
    const first = r.cycle([probe]).decisions[0]?.incidentId;
    r.cycle([]);
    const second = r.cycle([probe]).decisions[0]?.incidentId;
    expect(second).toBe('probe:gateway#20260219T101000Z');
    expect(second).not.toBe(first);
  });

  it('reopening within the same second still gives a unique id', () => {
    const r = new FakeRouter({ resolveAfterCycles: 1 });
    const ids = [
      r.cycle([probe], { stepMin: 0 }),
      r.cycle([], { stepMin: 0 }),
      r.cycle([probe], { stepMin: 0 }),
      r.cycle([], { stepMin: 0 }),
      r.cycle([probe], { stepMin: 0 }),
    ].flatMap((o) => o.decisions.map((d) => d.incidentId));
    expect(new Set(ids).size).toBe(3);
  });

  it('an unseen identity (collector gap) is neither confirmed nor healthy', () => {
    const r = new FakeRouter({ resolveAfterCycles: 1 });
    r.cycle([probe]);
    const gap = r.cycle([], { seen: new Set() });
    expect(gap).toMatchObject({ decisions: [], resolved: [] });
    expect(r.state.incidents['probe:gateway']).toBeDefined();
    expect(r.cycle([], { seen: new Set(['probe:gateway']) }).resolved).toHaveLength(1);
  });
});

describe('route: dedup window', () => {
  it('no notification at +30 min, renotify at +61 min', () => {
    const r = new FakeRouter({ dedupWindowSec: 3600 });
    const opened = r.at(0).cycle([probe]).decisions[0];
    const at30 = r.at(30).cycle([probe]).decisions[0];
    const at61 = r.at(61).cycle([probe]).decisions[0];
    const at90 = r.at(90).cycle([probe]).decisions[0];
    expect([opened, at30, at61, at90].map((d) => [d?.transition, d?.notify, d?.kind])).toEqual([
      ['opened', true, 'escalate'],
      ['ongoing', false, 'suppress'],
      ['renotify', true, 'escalate'],
      ['ongoing', false, 'suppress'],
    ]);
  });

  it('worse severity renotifies inside the window; going back down and up again does not', () => {
    const r = new FakeRouter();
    const seq = [
      finding('probe', 'x', 'warning'),
      finding('probe', 'x', 'critical'),
      finding('probe', 'x', 'warning'),
      finding('probe', 'x', 'critical'),
    ];
    const got = seq.map((f) => r.cycle([f]).decisions[0]).map((d) => [d?.transition, d?.notify]);
    expect(got).toEqual([
      ['opened', true],
      ['worse', true],
      ['ongoing', false],
      ['ongoing', false],
    ]);
  });

  it('a playbook type is acted on every cycle it persists, notified only per the window', () => {
    const r = new FakeRouter();
    const ds = Array.from({ length: 4 }, () => r.cycle([diskF]).decisions[0]);
    expect(ds.map((d) => [d?.kind, d?.notify])).toEqual([
      ['act', true],
      ['act', false],
      ['act', false],
      ['act', false],
    ]);
  });
});

describe('route: kinds (the self-healing matrix)', () => {
  it.each(
    (
      [
        [finding('service', 'nginx.service', 'critical'), 'act'],
        [finding('process', 'orphans'), 'act'],
        [finding('disk', '/'), 'act'],
        [finding('disk', 'inodes:/'), 'escalate'],
        [finding('memory', 'host'), 'act'],
        [finding('swap', 'thrashing'), 'act'],
        [finding('swap', 'usage'), 'escalate'],
        [finding('cpu', 'load'), 'escalate'],
        [finding('probe', 'gateway'), 'escalate'],
        [finding('self', 'state-disk', 'critical'), 'escalate'],
        [finding('service', 'nope.service', 'info'), 'ignore'],
        [finding('self', 'collector:memory', 'info'), 'ignore'],
      ] as Array<[Finding, string]>
    ).map(([f, k]) => [`${f.identity} (${f.severity})`, f, k] as const),
  )('%s → act/escalate/ignore: %#', (_label, f, kind) => {
    const d = new FakeRouter().cycle([f]).decisions[0];
    expect(d?.kind).toBe(kind);
    expect(d?.notify).toBe(f.severity !== 'info');
  });

  it('info that turns into a real problem is "worse" and notifies', () => {
    const r = new FakeRouter();
    r.cycle([finding('service', 'a.service', 'info')]);
    expect(r.cycle([finding('service', 'a.service', 'critical')]).decisions[0]).toMatchObject({
      transition: 'worse',
      notify: true,
      kind: 'act',
    });
  });

  it('recovery of a never-notified (info) incident is not notified', () => {
    const r = new FakeRouter({ resolveAfterCycles: 1 });
    r.cycle([finding('self', 'collector:disks', 'info')]);
    expect(r.cycle([]).resolved[0]?.notify).toBe(false);
  });
});

describe('route: state', () => {
  it('is pure and its state round-trips through the schema', () => {
    const r = new FakeRouter();
    r.cycle([probe, diskF]);
    const before = structuredClone(r.state);
    const ctx = { now: new Date(r.now), config: r.config, silences: [], seen: null };
    const a = route([], r.state, ctx);
    expect(r.state).toEqual(before);
    expect(route([], r.state, ctx)).toEqual(a);
    expect(RouterStateSchema.parse(JSON.parse(JSON.stringify(a.state)))).toEqual(a.state);
  });

  it('forgets identities healthy for more than 24 h; keeps recent history', () => {
    const r = new FakeRouter({ resolveAfterCycles: 1 });
    r.cycle([probe]);
    r.cycle([]);
    expect(Object.keys(r.state.flaps)).toEqual(['probe:gateway']);
    r.at(23 * 60).cycle([]);
    expect(Object.keys(r.state.flaps)).toEqual(['probe:gateway']);
    r.at(24 * 60 + 1).cycle([]);
    expect(r.state).toEqual({ incidents: {}, flaps: {} });
  });

  it('keeps at most 21 states per identity', () => {
    const r = new FakeRouter();
    for (let i = 0; i < 50; i++) r.cycle([probe]);
    expect(r.state.flaps['probe:gateway']?.states).toHaveLength(21);
  });

  it('several findings of one identity in a cycle make one decision, the most severe', () => {
    const r = new FakeRouter();
    const { decisions } = r.cycle([finding('probe', 'x', 'warning'), finding('probe', 'x', 'critical')]);
    expect(decisions.map((d) => d.finding.severity)).toEqual(['critical']);
  });
});
