// The bead is created with the story so far: why, the diagnosis with what the past says, the runbook, up to 3 past
// incidents like it and how each ended — bounded, whatever the notes and details hold.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/agents/executor/action.js';
import { createCreateBead } from '../../../src/agents/executor/actions/create-bead.js';
import { BEAD_BODY_MAX, beadBody, pastIncidentLine } from '../../../src/agents/executor/bead-story.js';
import { createBeadKeeper } from '../../../src/agents/executor/beads.js';
import { handleIncidents, type IncidentPorts } from '../../../src/agents/incident/handle.js';
import type { PastIncident } from '../../../src/agents/rca/past.js';
import { statePaths } from '../../../src/config/load.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { createLinuxHost } from '../../../src/host/linux.js';
import type { ExecResult } from '../../../src/host/port.js';
import { silentLog } from '../../../src/log.js';
import { CreateBeadInputSchema, type ActionResult } from '../../../src/model/action.js';
import type { Decision } from '../../../src/model/finding.js';
import type { ProblemRecord } from '../../../src/model/record.js';
import { createLogNotifier } from '../../../src/notify/log-notifier.js';
import { createRuntime } from '../../../src/orchestrator/compose.js';
import { createThinker } from '../../../src/orchestrator/think.js';
import { bdFixture, type BdFixture } from '../../support/bd-standin/fixture.js';
import { service, snapshot } from '../../support/snapshot.js';
import { DAY, writePast } from '../rca/past-incidents.js';

const NOW = new Date('2026-03-02T00:25:00Z');
const T = NOW.getTime();
const API = 'service:api.service';
const INCIDENT = `${API}#20260302T002500Z`;

const decision = (over: Partial<Decision> = {}): Decision => ({
  identity: API,
  incidentId: INCIDENT,
  kind: 'escalate',
  transition: 'opened',
  notify: true,
  reason: 'new incident',
  silencedBy: null,
  openedAt: NOW.toISOString(),
  finding: {
    identity: API,
    type: 'service',
    subject: 'api.service',
    severity: 'critical',
    description: 'Service api.service failed (result: exit-code)',
    source: 'rule',
    details: { unit: 'api.service' },
  },
  ...over,
});

const past = (over: Partial<PastIncident> = {}): PastIncident => ({
  incident_id: `${API}#x`,
  identity: API,
  severity: 'critical',
  opened: '2026-02-28T03:10:00.000Z',
  resolved: '2026-02-28T03:17:00.000Z',
  ttr_s: 420,
  ended: 'recovered_by_action',
  recovered_by: 'restart_service',
  actions: [],
  bead_ids: [],
  cause: null,
  ...over,
});

describe('beadBody', () => {
  it('carries the diagnosis, the runbook and up to 3 past incidents with how each ended', () => {
    const similar = [
      past(),
      past({
        opened: '2026-02-20T11:00:00.000Z',
        ended: 'gave_up',
        recovered_by: null,
        ttr_s: 5400,
        bead_ids: ['argus-3'],
        cause: 'port 8080 held\nby a stale worker',
      }),
      past({ ended: 'recovered_by_itself', recovered_by: null }),
    ];
    const body = beadBody({
      why: 'no automatic remediation exists',
      decision: decision(),
      announce: null,
      notes: [
        'Diagnosis (deterministic): api.service is failed',
        'Seen 3 times in 30 days; restart_service fixed it 1 of 3 times (last: 2026-02-28).',
      ],
      diagnosis: {
        past: {
          line: 'Seen 3 times…',
          runbook: '/var/lib/argus/docs/runbooks/service-api-service.md',
          match: 'identity',
          similar,
        },
      },
    });
    expect(body).toContain(
      'Why: no automatic remediation exists.\nIdentity: service:api.service\nIncident: service:api.service#20260302T002500Z\nDiagnosis (deterministic): api.service is failed\nSeen 3 times',
    );
    expect(body).toContain('Runbook: /var/lib/argus/docs/runbooks/service-api-service.md');
    expect(body).toContain(
      [
        'Past incidents of this problem:',
        '- 2026-02-28 03:10 (critical, 7m): restart_service fixed it',
        '- 2026-02-20 11:00 (critical, 90m): Argus gave up; bead argus-3; cause: port 8080 held by a stale worker',
        '- 2026-02-28 03:10 (critical, 7m): ended without a fix by Argus',
      ].join('\n'),
    );
    expect(body).toMatch(/\nDetails:\n\{\n {2}"unit": "api.service"\n\}$/);
  });

  it('says nothing of the past when there is none (never invented), and names similar ones as such', () => {
    const none = beadBody({
      why: 'x',
      decision: decision(),
      announce: null,
      notes: [],
      diagnosis: { past: { line: null, runbook: null, match: 'none', similar: [] } },
    });
    expect(none).not.toMatch(/Past incidents|Runbook|Seen/);
    expect(beadBody({ why: 'x', decision: decision(), announce: null, notes: [], diagnosis: null })).not.toMatch(
      /Past incidents|Runbook/,
    );
    const like = beadBody({
      why: 'x',
      decision: decision(),
      announce: null,
      notes: [],
      diagnosis: {
        past: { line: null, runbook: null, match: 'similar', similar: [past({ identity: 'service:web.service' })] },
      },
    });
    expect(like).toContain('Past incidents like this one (same kind of problem, another subject):\n- 2026-02-28');
  });

  it('does not repeat the runbook the notes already name', () => {
    const runbook = '/d/runbooks/service-api-service.md';
    const body = beadBody({
      why: 'x',
      decision: decision(),
      announce: null,
      notes: [`Runbook: ${runbook}`],
      diagnosis: { past: { line: null, runbook, match: 'none', similar: [] } },
    });
    expect(body.split(runbook)).toHaveLength(2);
  });

  it.each([
    ['huge details', { notes: [], details: { blob: 'x'.repeat(200_000) } }],
    ['many long notes', { notes: Array.from({ length: 500 }, () => 'n'.repeat(5000)), details: {} }],
    ['both', { notes: Array.from({ length: 50 }, () => 'n'.repeat(5000)), details: { blob: 'x'.repeat(200_000) } }],
  ])('stays bounded with %s', (_what, { notes, details }) => {
    const d = decision();
    const body = beadBody({
      why: 'x',
      decision: { ...d, finding: { ...d.finding, details } },
      announce: 'a\nb',
      notes,
      diagnosis: null,
    });
    expect(body.length).toBeLessThanOrEqual(BEAD_BODY_MAX);
    expect(CreateBeadInputSchema.safeParse({ title: 't', description: body }).success).toBe(true);
  });

  it('keeps host text on its line: a cause cannot add lines to the bead', () => {
    expect(pastIncidentLine(past({ cause: 'x\n## Fake heading\r\n- fake item' })).split('\n')).toHaveLength(1);
  });
});

describe('the bead is created with the story so far (real thinker, incident phase, create_bead, bd stand-in)', () => {
  let fx: BdFixture;
  beforeEach(async () => {
    fx = await bdFixture();
  });
  afterEach(() => fx.cleanup());

  async function fileBead(withHistory: boolean): Promise<string> {
    const config = ConfigSchema.parse({ stateDir: join(fx.dir, 'state'), services: ['api'] });
    const paths = statePaths(config);
    mkdirSync(paths.stateDir, { recursive: true });
    if (withHistory) {
      writePast(paths.registry, [
        {
          identity: API,
          at: T - 9 * DAY,
          minutes: 6,
          fix: { action: 'restart_service:api.service', result: 'success' },
        },
        {
          identity: API,
          at: T - 4 * DAY,
          minutes: 90,
          fix: { action: 'restart_service:api.service', result: 'failure' },
          gaveUp: true,
          bead: 'argus-3',
          cause: 'port 8080 held by a stale worker',
        },
        {
          identity: API,
          at: T - 1 * DAY,
          minutes: 5,
          fix: { action: 'restart_service:api.service', result: 'success' },
        },
        { identity: API, at: T - 60 * DAY, minutes: 5 },
      ]);
      writeFileSync(
        join(paths.stateDir, 'runbooks.json'),
        JSON.stringify({
          docs_dir: '/srv/docs',
          runbooks: {
            [API]: {
              identity: API,
              file: '/srv/docs/runbooks/service-api-service.md',
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
    }
    const noTool: ExecResult = {
      exitCode: 1,
      signal: null,
      stdout: '',
      stderr: 'no journal here',
      timedOut: false,
      durationMs: 0,
      failed: true,
      spawnError: 'ENOENT',
    };
    const host = createLinuxHost({ root: fx.dir, exec: async () => noTool, now: () => NOW, hostname: () => 'web1' });
    const rt = await createRuntime(config, paths, { log: silentLog(), host, beadsDir: join(fx.dir, 'unused-beads') });
    const records: ProblemRecord[] = [];
    const thinker = createThinker(rt, 'c1', (r) => records.push(r));
    const keeper = createBeadKeeper({ bd: fx.bd(), statePath: paths.beads, now: () => NOW, log: silentLog() });
    const ctx: ActionContext = {
      host,
      config,
      paths,
      log: silentLog(),
      snapshot: null,
      notifier: createLogNotifier({ log: silentLog(), outboxPath: paths.outbox }),
      dryRun: false,
      cycleId: 'c1',
      identity: API,
    };
    const createBead = createCreateBead({ keeper });
    const run =
      () =>
      async (action: string, input: Record<string, unknown>): Promise<ActionResult> => {
        if (action !== 'create_bead') return { result: 'success', reason: action, details: {}, record: null };
        const r = await createBead.execute(CreateBeadInputSchema.parse(input), ctx);
        return { result: r.result, reason: r.reason, details: r.details, record: null };
      };
    const warnings: string[] = [];
    const ports: IncidentPorts = {
      config,
      snapshot: snapshot({ services: [service('api.service', { activeState: 'failed', result: 'exit-code' })] }),
      now: NOW,
      minimal: false,
      dryRun: false,
      run,
      ctxFor: () => ctx,
      judgement: async () => thinker,
      beads: { openBead: (identity) => keeper.beadFor(identity), resolve: async () => null },
      incidents: {},
      recurrence: {},
      record: () => {},
      recordBase: () => ({
        ts: NOW.toISOString(),
        severity: 'info',
        type: 'service',
        bead_id: null,
        host: 'web1',
        identity: API,
        incident_id: INCIDENT,
        source: 'rule',
        cycle_id: 'c1',
      }),
      warn: (w) => warnings.push(w),
    };
    await handleIncidents(ports, [decision()], []);
    expect(warnings).toEqual([]);
    const [bead] = fx.issues();
    expect(bead).toBeDefined();
    // The rca record carries the diagnosis with what the past says.
    expect(records.find((r) => r.kind === 'rca')?.details.diagnosis).toHaveProperty('past');
    return String(bead!.description);
  }

  it('with history: the line with numbers, the runbook and the past incidents, newest first', async () => {
    const body = await fileBead(true);
    expect(body).toContain(
      'Seen 3 times in 30 days; restart_service fixed it 2 of 3 times; Argus gave up 1 of 3 times (last: 2026-03-01).',
    );
    expect(body).toContain('Runbook: /srv/docs/runbooks/service-api-service.md');
    expect(body).toContain(
      [
        'Past incidents of this problem:',
        '- 2026-03-01 00:25 (critical, 5m): restart_service fixed it',
        '- 2026-02-26 00:25 (critical, 90m): Argus gave up; bead argus-3; cause: port 8080 held by a stale worker',
        '- 2026-02-21 00:25 (critical, 6m): restart_service fixed it',
      ].join('\n'),
    );
  });

  it('without history: no line, no runbook, no past incidents', async () => {
    const body = await fileBead(false);
    expect(body).toContain('Why: no automatic remediation exists.');
    expect(body).not.toMatch(/Seen \d|Runbook:|Past incidents/);
  });
});
