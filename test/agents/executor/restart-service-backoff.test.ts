// ARG-006 backoff state (restarts.json): schedule, hold, escalation, resets, persistence across instances.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestartHealth } from '../../../src/agents/executor/actions/restart-service.js';
import { RestartStore } from '../../../src/state/restarts.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (sec: number) => new Date(T0 + sec * 1000);
const MIN = 60;
const HOUR = 3600;

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});
function store(): RestartStore {
  dir = mkdtempSync(join(tmpdir(), 'argus-'));
  return new RestartStore(join(dir, 'restarts.json'));
}

describe('restart backoff (ARG-006)', () => {
  it('1st at once, 2nd after 1 min, 3rd after 5 min, then a 1 h hold with escalation on the 3rd failure', () => {
    const s = store();
    expect(s.verdict('demo.service', at(0))).toMatchObject({ allowed: true, attempt: 1 });
    expect(s.record('demo.service', false, at(0))).toMatchObject({ attempt: 1, escalate: false });

    expect(s.verdict('demo.service', at(30))).toMatchObject({ allowed: false, attempt: 2 });
    expect(s.verdict('demo.service', at(30)).reason).toContain(`waits until ${at(60).toISOString()}`);
    expect(s.verdict('demo.service', at(61))).toMatchObject({ allowed: true, attempt: 2 });
    s.record('demo.service', false, at(61));

    expect(s.verdict('demo.service', at(61 + 4 * MIN))).toMatchObject({ allowed: false, attempt: 3 });
    expect(s.verdict('demo.service', at(61 + 5 * MIN))).toMatchObject({ allowed: true, attempt: 3 });
    const third = s.record('demo.service', false, at(61 + 5 * MIN));
    expect(third).toMatchObject({ attempt: 3, escalate: true });
    expect(third.nextAllowedAt).toEqual(at(61 + 5 * MIN + HOUR));

    const held = s.verdict('demo.service', at(61 + 30 * MIN));
    expect(held.allowed).toBe(false);
    expect(held.reason).toBe(
      `backoff: 3 restart attempts without staying up; next attempt allowed at ${at(61 + 5 * MIN + HOUR).toISOString()}`,
    );
  });

  it('the counter starts over when the 1 h hold ends (never locked out for good)', () => {
    const s = store();
    for (const t of [0, 61, 61 + 5 * MIN]) s.record('demo.service', false, at(t));
    const end = 61 + 5 * MIN + HOUR;
    expect(s.verdict('demo.service', at(end - 1)).allowed).toBe(false);
    expect(s.verdict('demo.service', at(end))).toMatchObject({ allowed: true, attempt: 1 });
    expect(s.record('demo.service', false, at(end))).toMatchObject({ attempt: 1, escalate: false });
    expect(s.verdict('demo.service', at(end + 30)).allowed).toBe(false);
    expect(s.verdict('demo.service', at(end + 61))).toMatchObject({ allowed: true, attempt: 2 });
  });

  it('a restart loop (each restart "works", the unit dies again) is held after 3 attempts, without escalating', () => {
    const s = store();
    s.record('demo.service', true, at(0));
    s.record('demo.service', true, at(2 * MIN));
    expect(s.record('demo.service', true, at(8 * MIN))).toMatchObject({ attempt: 3, escalate: false });
    expect(s.verdict('demo.service', at(20 * MIN)).allowed).toBe(false);
  });

  it('resets after 1 h healthy (markHealthy), not before', () => {
    const s = store();
    s.record('demo.service', false, at(0));
    s.record('demo.service', false, at(61));
    s.markHealthy('demo.service', at(2 * MIN));
    s.markHealthy('demo.service', at(30 * MIN));
    expect(s.verdict('demo.service', at(40 * MIN))).toMatchObject({ allowed: true, attempt: 3 });
    s.markHealthy('demo.service', at(2 * MIN + HOUR));
    expect(s.entry('demo.service')).toBeUndefined();
    expect(s.verdict('demo.service', at(2 * MIN + HOUR + 1))).toMatchObject({ allowed: true, attempt: 1 });
  });

  it('a down observation ends the healthy run', () => {
    const s = store();
    s.record('demo.service', false, at(0));
    const health = createRestartHealth(s.path);
    health.markHealthy('demo', at(MIN));
    health.markDown('demo');
    health.markHealthy('demo', at(50 * MIN));
    health.markHealthy('demo', at(MIN + HOUR));
    expect(s.entry('demo.service')?.attempts).toBe(1);
    health.markHealthy('demo', at(50 * MIN + HOUR));
    expect(s.entry('demo.service')).toBeUndefined();
  });

  it('state survives a new store (a restart of Argus) and a corrupt file starts fresh', () => {
    const s = store();
    s.record('demo.service', false, at(0));
    const again = new RestartStore(s.path);
    expect(again.verdict('demo.service', at(30))).toMatchObject({ allowed: false, attempt: 2 });
    expect(JSON.parse(readFileSync(s.path, 'utf8'))).toMatchObject({
      version: 1,
      units: { 'demo.service': { attempts: 1, lastResult: 'failure' } },
    });
    writeFileSync(s.path, '{"version":1,"units":{"demo.service":');
    const reasons: string[] = [];
    expect(new RestartStore(s.path, undefined, (r) => reasons.push(r)).verdict('demo.service', at(30))).toMatchObject({
      allowed: true,
      attempt: 1,
    });
    expect(reasons).toHaveLength(1);
  });
});
