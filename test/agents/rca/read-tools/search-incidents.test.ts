// search_incidents: past incidents like this one, newest first and bounded, each with how it ended — from the registry
// through the chronicler's incident reconstruction and the router's open incidents.
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PastSearchSchema, subjectClass } from '../../../../src/agents/rca/past.js';
import { readTools } from '../../../../src/agents/rca/tools.js';
import { toolSandbox, NOW, type ToolSandbox } from '../../../tools/harness.js';
import { DAY, writePast, type PastSpec } from '../past-incidents.js';

let box: ToolSandbox;
afterEach(() => box?.cleanup());

const API = 'service:api.service';
const T = NOW.getTime();
const restart = (result: 'success' | 'failure') => ({ action: 'restart_service:api.service', result });

async function call(input: unknown): Promise<Record<string, unknown>> {
  const def = readTools(box.deps).find((t) => t.name === 'search_incidents')!;
  const out = await def.run(def.input.parse(input), { source: 'llm' });
  expect(() => def.output!.parse(out)).not.toThrow();
  return out;
}

function history(extra: PastSpec[] = []): void {
  writePast(box.paths.registry, [
    { identity: API, at: T - 40 * DAY, minutes: 5, fix: restart('success') }, // outside the 30-day window
    { identity: API, at: T - 20 * DAY, minutes: 3, fix: restart('success'), severity: 'warning' },
    {
      identity: API,
      at: T - 12 * DAY,
      minutes: 90,
      fix: restart('failure'),
      gaveUp: true,
      bead: 'argus-3',
      cause: 'port 8080 held by a stale worker',
    },
    { identity: API, at: T - 5 * DAY, minutes: 7, fix: restart('success') },
    { identity: API, at: T - 2 * DAY, minutes: 4 },
    {
      identity: 'service:web.service',
      at: T - 3 * DAY,
      minutes: 10,
      fix: { action: 'restart_service:web.service', result: 'success' },
    },
    { identity: 'disk:/', at: T - 1 * DAY, minutes: 30, fix: { action: 'clean_disk:/', result: 'success' } },
    ...extra,
  ]);
}

describe('search_incidents', () => {
  it('is an honest read-only tool with an output schema', () => {
    box = toolSandbox();
    const def = readTools(box.deps).find((t) => t.name === 'search_incidents')!;
    expect(def.annotations).toEqual({
      title: 'Search past incidents',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(def.output).toBe(PastSearchSchema);
  });

  it('gives the same identity newest first: when, how long, severity, what was tried, how it ended, beads, MTTR', async () => {
    box = toolSandbox();
    history();
    const r = await call({ identity: API });
    expect(r).toMatchObject({
      identity: API,
      match: 'identity',
      window_days: 30,
      matched: 4,
      mttr_s: Math.round(((3 + 90 + 7 + 4) * 60) / 4),
    });
    expect(r.outcomes).toEqual({ restart_service: 2, gave_up: 1, by_itself: 1 });
    const incidents = r.incidents as Array<Record<string, unknown>>;
    expect(incidents.map((i) => i.opened)).toEqual(
      [T - 2 * DAY, T - 5 * DAY, T - 12 * DAY, T - 20 * DAY].map((t) => new Date(t).toISOString()),
    );
    expect(incidents[0]).toMatchObject({ ended: 'recovered_by_itself', recovered_by: null, ttr_s: 240, actions: [] });
    expect(incidents[1]).toMatchObject({
      ended: 'recovered_by_action',
      recovered_by: 'restart_service',
      ttr_s: 420,
      severity: 'critical',
      actions: [{ action: 'restart_service:api.service', result: 'success', times: 1 }],
    });
    expect(incidents[2]).toMatchObject({
      ended: 'gave_up',
      bead_ids: ['argus-3'],
      cause: 'port 8080 held by a stale worker',
      ttr_s: 5400,
    });
    expect(incidents[2]!.actions).toEqual(
      expect.arrayContaining([
        { action: 'restart_service:api.service', result: 'failure', times: 1 },
        { action: 'create_bead:create_bead:service', result: 'success', times: 1 },
      ]),
    );
    expect(incidents[3]).toMatchObject({
      severity: 'warning',
      resolved: new Date(T - 20 * DAY + 3 * 60_000).toISOString(),
    });
  });

  it('bounds the answer: limit defaults to 5, at most 20; since narrows the window', async () => {
    box = toolSandbox();
    history(
      Array.from({ length: 25 }, (_, i) => ({
        identity: API,
        at: T - 25 * DAY + i * 3_600_000,
        minutes: 2,
        fix: restart('success'),
      })),
    );
    const r = await call({ identity: API });
    expect(r.matched).toBe(29);
    expect((r.incidents as unknown[]).length).toBe(5);
    expect(((await call({ identity: API, limit: 20 })).incidents as unknown[]).length).toBe(20);
    const def = readTools(box.deps).find((t) => t.name === 'search_incidents')!;
    expect(def.input.safeParse({ identity: API, limit: 21 }).success).toBe(false);
    expect(def.input.safeParse({ identity: 'x'.repeat(301) }).success).toBe(false);
    expect(def.input.safeParse({ identity: API, extra: 1 }).success).toBe(false);
    expect(await call({ identity: API, since: '7d' })).toMatchObject({ matched: 2, window_days: 7 });
  });

  it('falls back to the same type and subject class when the identity has no past, and says which', async () => {
    box = toolSandbox();
    history();
    const r = await call({ identity: 'service:billing.service' });
    expect(r).toMatchObject({ match: 'similar', subject_class: 'service:.service', runbook: null });
    // api.service (4) and web.service (1): every .service unit in the window.
    expect(r.matched).toBe(5);
    expect((r.incidents as Array<{ identity: string }>)[0]!.identity).toBe('service:api.service');
    expect(await call({ identity: 'disk:inodes:/' })).toMatchObject({
      match: 'none',
      matched: 0,
      incidents: [],
      mttr_s: null,
      outcomes: {},
    });
    expect(await call({ identity: 'disk:/var' })).toMatchObject({ match: 'similar', matched: 1 });
  });

  it.each([
    ['service:nginx.service', 'service', '.service'],
    ['service:getty@tty1.service', 'service', 'getty@.service'],
    ['restart:api.socket', 'restart', '.socket'],
    ['disk:/', 'disk', 'mount'],
    ['disk:inodes:/var', 'disk', 'inodes'],
    ['probe:api-health', 'probe', 'probe'],
    ['self:collector:cpu', 'self', 'collector'],
    ['memory:host', 'memory', 'host'],
  ])('subject class of %s', (identity, type, cls) => {
    expect(subjectClass(identity)).toEqual({ type, cls });
  });

  it('an open incident is still open (the router says so), and the one being diagnosed can be left out', async () => {
    box = toolSandbox();
    const openId = `${API}#open`;
    history([{ identity: API, at: T - 3_600_000, minutes: null, fix: restart('failure'), id: openId }]);
    const lastFinding = {
      identity: API,
      type: 'service',
      subject: 'api.service',
      severity: 'critical',
      description: 'down',
      source: 'rule',
      details: {},
    };
    // One opened 40 days ago and still open: before the window, known from the router's state only.
    const oldId = `${API}#old`;
    const incidents = {
      [API]: {
        incidentId: openId,
        identity: API,
        type: 'service',
        openedAt: new Date(T - 3_600_000).toISOString(),
        severity: 'critical',
        lastNotifiedAt: null,
        notified: true,
        healthyStreak: 0,
        lastFinding,
      },
      'service:web.service': {
        incidentId: oldId,
        identity: 'service:web.service',
        type: 'service',
        openedAt: new Date(T - 40 * DAY).toISOString(),
        severity: 'warning',
        lastNotifiedAt: null,
        notified: true,
        healthyStreak: 0,
        lastFinding,
      },
    };
    writeFileSync(box.paths.incidents, JSON.stringify({ incidents, flaps: {} }));
    const r = await call({ identity: API });
    expect(r.matched).toBe(5);
    expect((r.incidents as Array<Record<string, unknown>>)[0]).toMatchObject({
      incident_id: openId,
      ended: 'still_open',
      resolved: null,
      ttr_s: null,
    });
    expect(r.outcomes).toMatchObject({ still_open: 1 });
    const without = await call({ identity: API, exclude_incident_id: openId });
    expect(without.matched).toBe(4);
    expect(await call({ identity: 'service:billing.service' })).toMatchObject({ match: 'similar', matched: 7 });
  });

  it('treats host text as data: secrets redacted, control characters made harmless, long text capped', async () => {
    box = toolSandbox();
    history([
      { identity: API, at: T - 60_000 * 30, minutes: 5, cause: `bad\u001b[31m password=hunter2 ${'x'.repeat(2000)}` },
    ]);
    const r = await call({ identity: API });
    const cause = (r.incidents as Array<{ cause: string }>)[0]!.cause;
    expect(cause).not.toContain('hunter2');
    expect(cause).not.toContain('\u001b');
    expect(cause.length).toBeLessThanOrEqual(501);
  });

  it('points to the runbook the chronicle wrote for the identity', async () => {
    box = toolSandbox();
    history();
    writeFileSync(
      `${box.paths.stateDir}/runbooks.json`,
      JSON.stringify({
        docs_dir: '/d',
        runbooks: {
          [API]: {
            identity: API,
            file: '/d/runbooks/service-api-service.md',
            updated: 'x',
            applies: 'a',
            confirm: [],
            automatic: [],
            worked: null,
            incidents: [],
            causes: [],
            steps: [],
          },
        },
      }),
    );
    expect(await call({ identity: API })).toMatchObject({ runbook: '/d/runbooks/service-api-service.md' });
  });
});
