import { describe, expect, it } from 'vitest';
import { covered, normalizeMatcher } from '../../src/orchestrator/silences.js';
import { matcherRegExp } from '../../src/agents/router/silence.js';

describe('silence matchers are made the way identities are', () => {
  it.each([
    ['service:openclaw-gateway', 'service:openclaw-gateway.service'],
    ['service:openclaw-gateway.service', 'service:openclaw-gateway.service'],
    ['service:backup.timer', 'service:backup.timer'],
    ['service:*', 'service:*'],
    ['service:agent-*', 'service:agent-*'],
    ['memory', 'memory:*'],
    ['disk:/var*', 'disk:/var*'],
    ['probe:*', 'probe:*'],
    ['*', '*'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeMatcher(input)).toEqual({ matcher: expected });
  });

  it.each([
    ['nonsense', /"nonsense" is not a finding type/],
    ['servce:nginx', /"servce" is not a finding type; one of disk, memory/],
    ['disk:', /nothing after "disk:"/],
    ['a b', /must be 1-200 characters/],
    ['x'.repeat(201), /must be 1-200 characters/],
  ])('%s is refused', (input, message) => {
    const r = normalizeMatcher(input);
    expect('error' in r && r.error).toMatch(message);
  });

  it('a normalised matcher matches the identity the service rule makes (which the raw one did not)', () => {
    const identity = 'service:openclaw-gateway.service';
    expect(matcherRegExp('service:openclaw-gateway').test(identity)).toBe(false);
    const n = normalizeMatcher('service:openclaw-gateway');
    expect('matcher' in n && matcherRegExp(n.matcher).test(identity)).toBe(true);
    expect(covered('service:*', [identity, 'disk:/', 'service:db.service'])).toEqual([identity, 'service:db.service']);
  });
});
