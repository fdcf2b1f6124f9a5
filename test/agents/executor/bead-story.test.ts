import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/agents/executor/action.js';
import { createCreateBead } from '../../../src/agents/executor/actions/create-bead.js';
import { beadChange, closeReason, tellOpenBead } from '../../../src/agents/executor/bead-story.js';
import { createBeadKeeper } from '../../../src/agents/executor/beads.js';
import { statePaths } from '../../../src/config/load.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { createLinuxHost } from '../../../src/host/linux.js';
import { silentLog } from '../../../src/log.js';
import { CreateBeadInputSchema, type ActionResult } from '../../../src/model/action.js';
import type { Decision } from '../../../src/model/finding.js';
import { createLogNotifier } from '../../../src/notify/log-notifier.js';
import { bdFixture, type BdFixture } from '../../support/bd-standin/fixture.js';

const NOW = new Date('2026-03-02T00:25:00Z');

const decision = (over: Partial<Decision> = {}): Decision => ({
  identity: 'service:api.service',
  incidentId: 'service:api.service#20260302T001000Z',
  kind: 'act',
  transition: 'ongoing',
  notify: false,
  reason: '',
  silencedBy: null,
  openedAt: '2026-03-02T00:10:00.000Z',
  finding: {
    identity: 'service:api.service',
    type: 'service',
    subject: 'api.service',
    severity: 'critical',
    description: 'Service api.service failed (result: exit-code)',
    source: 'rule',
    details: {},
  },
  ...over,
});

const GAVE_UP = {
  key: 'gave_up' as const,
  text: 'Gave up restarting: api.service is crash-looping: each restart came up and died again; Argus tries again after 01:20 UTC.',
};

describe('what an open bead hears (beadChange)', () => {
  it.each([
    ['Argus gave up this cycle', 'ongoing', GAVE_UP, 'gave_up'],
    ['cleaning was not enough', 'ongoing', { key: 'not_enough' as const, text: '' }, 'not_enough'],
    ['it got worse', 'worse', null, 'worse'],
    ['it started flapping', 'flapping', null, 'flapping'],
    ['a steady cycle', 'ongoing', null, null],
    ['a reminder', 'renotify', null, null],
    ['the opening (the bead itself says it)', 'opened', null, null],
  ] as const)('%s → %s', (_why, transition, announce, expected) => {
    expect(beadChange({ transition }, announce)).toBe(expected);
  });
});

describe('the ticket updater on a real bd (stand-in)', () => {
  let fx: BdFixture;
  beforeEach(async () => {
    fx = await bdFixture();
  });
  afterEach(() => fx.cleanup());

  function setup() {
    const config = ConfigSchema.parse({ stateDir: fx.dir });
    const paths = statePaths(config);
    const keeper = createBeadKeeper({ bd: fx.bd(), statePath: paths.beads, now: () => NOW, log: silentLog() });
    const ctx: ActionContext = {
      host: createLinuxHost({ now: () => NOW }),
      config,
      paths,
      log: silentLog(),
      snapshot: null,
      notifier: createLogNotifier({ log: silentLog(), outboxPath: paths.outbox }),
      dryRun: false,
      cycleId: 'c1',
      identity: 'service:api.service',
    };
    const action = createCreateBead({ keeper });
    const calls: string[] = [];
    // The gate's create_bead, minus the gate's bookkeeping: the same action and keeper the cycle uses.
    const run = async (name: string, input: Record<string, unknown>): Promise<ActionResult> => {
      calls.push(name);
      const parsed = CreateBeadInputSchema.parse(input);
      const r = await action.execute(parsed, ctx);
      return { result: r.result, reason: r.reason, details: r.details, record: null };
    };
    return { keeper, run, calls };
  }

  it('comments once when Argus gives up (with a fresh diagnosis), not on steady cycles, and closes with the time to recover', async () => {
    const { keeper, run, calls } = setup();
    await run('create_bead', {
      title: 'Service api.service failed (result: exit-code)',
      description: 'Why: opened 3 times in 24 h.',
      type: 'service',
      severity: 'critical',
    });
    const diagnose = async () => ({
      diagnosis: {} as never,
      rca: null,
      notes: [
        "Diagnosis (deterministic): api.service is failed; its journal says: api.service: Failed with result 'exit-code'.",
      ],
    });

    expect(await tellOpenBead(decision(), null, [], { run, diagnose, now: NOW })).toBeNull();
    const said = await tellOpenBead(decision(), GAVE_UP, ['restart_service:api.service: skipped — backoff'], {
      run,
      diagnose,
      now: NOW,
    });
    expect(said).toContain('open for 15m');
    expect(await tellOpenBead(decision({ transition: 'ongoing' }), null, [], { run, diagnose, now: NOW })).toBeNull();

    const [bead] = fx.issues();
    expect(calls).toEqual(['create_bead', 'create_bead']);
    expect(bead!.comments).toHaveLength(1);
    const comment = bead!.comments[0]!.text;
    expect(comment).toContain('Argus gave up on service:api.service');
    expect(comment).toContain('crash-looping: each restart came up and died again');
    expect(comment).toContain("its journal says: api.service: Failed with result 'exit-code'");
    expect(comment).not.toContain('Recurrence');

    const closed = await keeper.resolve(
      'service:api.service',
      closeReason({
        identity: 'service:api.service',
        incidentId: 'service:api.service#20260302T001000Z',
        durationSec: 2100,
        lastFinding: { description: 'Service api.service failed (result: exit-code)' },
      }),
    );
    expect(closed.status).toBe('closed');
    expect(fx.issues()[0]).toMatchObject({
      status: 'closed',
      close_reason: expect.stringContaining('back to normal after 35m (time to recover'),
    });
  });
});
