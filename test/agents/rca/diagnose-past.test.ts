// The deterministic diagnosis reads the past: one line with numbers when the identity was seen before, the runbook
// when the chronicle wrote one; nothing when there is no history (never invented).
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { deterministicVerdict } from '../../../src/agents/rca/agent.js';
import { diagnose, pastNotes } from '../../../src/agents/rca/diagnose.js';
import { pastLine, searchPast, type PastSearch } from '../../../src/agents/rca/past.js';
import type { Finding } from '../../../src/model/finding.js';
import { service, snapshot } from '../../support/snapshot.js';
import { NOW, toolSandbox, type ToolSandbox } from '../../tools/harness.js';
import { DAY, writePast } from './past-incidents.js';

let box: ToolSandbox;
afterEach(() => box?.cleanup());

const API = 'service:api.service';
const T = NOW.getTime();
const finding: Finding = {
  identity: API,
  type: 'service',
  subject: 'api.service',
  severity: 'critical',
  description: 'Service api.service failed',
  source: 'rule',
  details: {},
};
const snap = snapshot({ services: [service('api.service', { activeState: 'failed', result: 'exit-code' })] });
const restart = (result: 'success' | 'failure') => ({ action: 'restart_service:api.service', result });
const runbookIndex = (file: string) =>
  JSON.stringify({
    docs_dir: '/d',
    runbooks: {
      [API]: {
        identity: API,
        file,
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
  });

async function diagnosed(current: string | null = null) {
  const past = await searchPast(
    { registry: box.deps.registry, paths: box.paths, now: NOW },
    { identity: API, excludeIncidentId: current, limit: 3 },
  );
  return diagnose(finding, snap, { past });
}

describe('the diagnosis reads the past', () => {
  it('says in one line how often it was seen and what fixed it, and points to the runbook', async () => {
    box = toolSandbox();
    writePast(box.paths.registry, [
      { identity: API, at: T - 25 * DAY, minutes: 4, fix: restart('success') },
      { identity: API, at: T - 14 * DAY, minutes: 60, fix: restart('failure'), gaveUp: true },
      { identity: API, at: T - 6 * DAY, minutes: 3, fix: restart('success') },
      { identity: API, at: T - 2 * DAY, minutes: 5, fix: restart('success'), id: 'last' },
      // The incident being diagnosed: not its own past.
      { identity: API, at: T - 60_000, minutes: null, fix: restart('failure'), id: 'now' },
    ]);
    writeFileSync(`${box.paths.stateDir}/runbooks.json`, runbookIndex('/d/runbooks/service-api-service.md'));
    const d = await diagnosed('now');
    expect(d.past?.line).toBe(
      'Seen 4 times in 30 days; restart_service fixed it 3 of 4 times; Argus gave up 1 of 4 times (last: 2026-02-17).',
    );
    expect(pastNotes(d)).toEqual([d.past!.line, 'Runbook: /d/runbooks/service-api-service.md']);
    expect(d.past?.similar.map((p) => p.incident_id)).toEqual([
      'last',
      `${API}#${new Date(T - 6 * DAY).toISOString()}`,
      `${API}#${new Date(T - 14 * DAY).toISOString()}`,
    ]);
    expect(deterministicVerdict(d).recommended_actions).toContain(
      'follow the runbook /d/runbooks/service-api-service.md',
    );
  });

  it('says nothing when there is no history, and never counts other units as this one', async () => {
    box = toolSandbox();
    writePast(box.paths.registry, [
      {
        identity: 'service:web.service',
        at: T - 3 * DAY,
        minutes: 4,
        fix: { action: 'restart_service:web.service', result: 'success' },
      },
    ]);
    const d = await diagnosed();
    expect(d.past).toMatchObject({ line: null, runbook: null, match: 'similar' });
    expect(pastNotes(d)).toEqual([]);
    expect(deterministicVerdict(d).recommended_actions.join(' ')).not.toContain('runbook');
    const bare = await diagnose(finding, snap);
    expect(bare.past).toBeUndefined();
    expect(pastNotes(bare)).toEqual([]);
  });

  it('points to the runbook even when the window holds no incident of it', async () => {
    box = toolSandbox();
    writeFileSync(`${box.paths.stateDir}/runbooks.json`, runbookIndex('/d/runbooks/service-api-service.md'));
    expect(pastNotes(await diagnosed())).toEqual(['Runbook: /d/runbooks/service-api-service.md']);
  });
});

describe('pastLine', () => {
  const search = (over: Partial<PastSearch>): PastSearch => ({
    identity: API,
    match: 'identity',
    subject_class: 'service:.service',
    since: '',
    window_days: 30,
    matched: 1,
    incidents: [],
    outcomes: {},
    mttr_s: null,
    runbook: null,
    ...over,
  });
  const inc = {
    incident_id: 'i',
    identity: API,
    severity: 'critical',
    opened: '2026-11-30T10:00:00.000Z',
    resolved: null,
    ttr_s: null,
    ended: 'still_open' as const,
    recovered_by: null,
    actions: [],
    bead_ids: [],
    cause: null,
  };
  it.each([
    [
      'one, ended by itself',
      { matched: 1, outcomes: { by_itself: 1 }, incidents: [inc] },
      'Seen 1 time in 30 days; it ended without a fix by Argus 1 of 1 time (last: 2026-11-30).',
    ],
    [
      'fixes ranked by count',
      { matched: 4, outcomes: { clean_disk: 1, restart_service: 3 }, window_days: 7 },
      'Seen 4 times in 7 days; restart_service fixed it 3 of 4 times; clean_disk fixed it 1 of 4 times.',
    ],
    [
      'one still open',
      { matched: 2, outcomes: { kill_pid: 1, still_open: 1 } },
      'Seen 2 times in 30 days; kill_pid fixed it 1 of 2 times; 1 still open.',
    ],
    ['similar incidents only', { match: 'similar' as const, matched: 5, outcomes: { restart_service: 5 } }, null],
    ['none', { match: 'none' as const, matched: 0 }, null],
  ])('%s', (_what, over, expected) => {
    expect(pastLine(search(over))).toBe(expected);
  });
});
