import { describe, expect, it } from 'vitest';
import { matchSilence, type Silence } from '../../../src/agents/router/silence.js';
import { FakeRouter, finding, T0, MIN } from './harness.js';

const silence = (matcher: string, untilMin = 120, id = 's-1'): Silence => ({
  id,
  matcher,
  until: new Date(T0 + untilMin * MIN).toISOString(),
  createdAt: new Date(T0).toISOString(),
  reason: 'maintenance',
});

describe('matchSilence', () => {
  const now = new Date(T0);
  it.each([
    ['disk', 'disk:/', true],
    ['disk', 'disk:inodes:/var', true],
    ['disk', 'diskette:/', false],
    ['disk:/', 'disk:/', true],
    ['disk:/', 'disk:/var', false],
    ['disk:/var*', 'disk:/var/lib', true],
    ['service:nginx*', 'service:nginx.service', true],
    ['service:nginx.service', 'service:nginxXservice', false],
    ['*', 'probe:gateway', true],
    ['probe:*', 'service:nginx.service', false],
    ['service:(a|b)', 'service:a', false],
  ])('%s matches %s: %s', (matcher, identity, expected) => {
    expect(matchSilence(identity, [silence(matcher)], now) !== null).toBe(expected);
  });

  it('an expired silence does not match; the first active match is returned', () => {
    const expired = silence('disk', -1, 'old');
    const active = silence('disk:*', 60, 'new');
    expect(matchSilence('disk:/', [expired, active], now)?.id).toBe('new');
    expect(matchSilence('disk:/', [expired], now)).toBeNull();
    expect(matchSilence('disk:/', [silence('disk', 0)], now)).toBeNull();
  });
});

describe('route: silences', () => {
  it('muted but still decided, recorded with silencedBy; notifies once the silence expires', () => {
    const r = new FakeRouter();
    r.silences = [silence('probe', 30, 's-maint')];
    const during = r.at(0).cycle([finding('probe', 'gateway')]).decisions[0];
    expect(during).toMatchObject({ transition: 'opened', notify: false, silencedBy: 's-maint', kind: 'suppress' });
    const still = r.at(20).cycle([finding('probe', 'gateway')]).decisions[0];
    expect(still).toMatchObject({ notify: false, silencedBy: 's-maint' });
    const after = r.at(35).cycle([finding('probe', 'gateway')]).decisions[0];
    expect(after).toMatchObject({ transition: 'renotify', notify: true, silencedBy: null });
  });

  it('a playbook type is still acted on under a silence', () => {
    const r = new FakeRouter();
    r.silences = [silence('disk:/')];
    expect(r.cycle([finding('disk', '/')]).decisions[0]).toMatchObject({
      kind: 'act',
      notify: false,
      silencedBy: 's-1',
    });
  });

  it('recovery of an incident that was only ever silenced is not notified', () => {
    const r = new FakeRouter({ resolveAfterCycles: 1 });
    r.silences = [silence('probe')];
    r.cycle([finding('probe', 'gateway')]);
    r.silences = [];
    expect(r.cycle([]).resolved[0]).toMatchObject({ notify: false, silencedBy: null });
  });

  it('recovery during a silence is muted even if the incident was notified', () => {
    const r = new FakeRouter({ resolveAfterCycles: 1 });
    r.cycle([finding('probe', 'gateway')]);
    r.silences = [silence('probe:gateway', 999)];
    expect(r.cycle([]).resolved[0]).toMatchObject({ notify: false, silencedBy: 's-1' });
  });

  it('a silence on one identity does not mute another', () => {
    const r = new FakeRouter();
    r.silences = [silence('probe:a')];
    const ds = r.cycle([finding('probe', 'a'), finding('probe', 'b')]).decisions;
    expect(ds.map((d) => [d.identity, d.notify])).toEqual([
      ['probe:a', false],
      ['probe:b', true],
    ]);
  });
});
