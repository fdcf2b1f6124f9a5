import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../../src/agents/executor/action.js';
import { createCreateBead } from '../../../src/agents/executor/actions/create-bead.js';
import { createBeadKeeper } from '../../../src/agents/executor/beads.js';
import { statePaths } from '../../../src/config/load.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { ActionDeniedError } from '../../../src/errors.js';
import type { Bd } from '../../../src/host/bd.js';
import { createLinuxHost } from '../../../src/host/linux.js';
import { silentLog } from '../../../src/log.js';
import { CreateBeadInputSchema } from '../../../src/model/action.js';
import { createLogNotifier } from '../../../src/notify/log-notifier.js';
import { bdFixture, type BdFixture } from '../../support/bd-standin/fixture.js';

describe('create_bead action', () => {
  let fx: BdFixture;
  let stateDir: string;
  const NOW = new Date('2026-05-01T12:00:00Z');
  const setup = (bd: Bd, identity: string | null = 'service:nginx.service') => {
    const config = ConfigSchema.parse({ stateDir });
    const paths = statePaths(config);
    const keeper = createBeadKeeper({ bd, statePath: paths.beads, now: () => NOW, log: silentLog() });
    const ctx: ActionContext = {
      host: createLinuxHost({ now: () => NOW }),
      config,
      paths,
      log: silentLog(),
      snapshot: null,
      notifier: createLogNotifier({ log: silentLog(), outboxPath: paths.outbox }),
      dryRun: false,
      cycleId: 'c1',
      identity,
    };
    return { action: createCreateBead({ keeper }), ctx, keeper };
  };

  beforeEach(async () => {
    fx = await bdFixture();
    stateDir = mkdtempSync(join(tmpdir(), 'argus-'));
  });
  afterEach(() => {
    fx.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('files one bead for the problem identity and returns its id; comments on recurrence', async () => {
    const { action, ctx } = setup(fx.bd());
    const input = CreateBeadInputSchema.parse({
      title: 'nginx down after 3 restarts',
      description: 'journal: bind failed',
      severity: 'critical',
    });
    await action.guard(input, ctx);
    expect(await action.execute(input, ctx)).toMatchObject({
      result: 'success',
      beadId: 'argus-1',
      details: { status: 'created' },
    });
    expect(await action.execute(input, ctx)).toMatchObject({
      result: 'success',
      beadId: 'argus-1',
      details: { status: 'commented' },
    });
    expect(fx.issues()).toHaveLength(1);
    expect(fx.issues()[0]).toMatchObject({
      title: '[argus] service: nginx down after 3 restarts',
      labels: ['argus', 'service'],
      priority: 0,
    });
  });

  it('uses a manual identity derived from the title when there is none', async () => {
    const { action, ctx } = setup(fx.bd(), null);
    const input = { title: 'Look at the backups', description: 'weekly job missing', type: 'backup' };
    const first = await action.execute(input, ctx);
    expect(first.details.identity).toMatch(/^manual:[0-9a-f]{12}$/);
    expect((await action.execute(input, ctx)).details.identity).toBe(first.details.identity);
    expect(fx.issues()).toHaveLength(1);
    expect(fx.issues()[0]).toMatchObject({ labels: ['argus', 'backup'], priority: 1 });
  });

  it.each([
    ['a label list injection', 'disk,urgent'],
    ['a leading dash', '-x'],
    ['spaces', 'two words'],
    ['shell metacharacters', '$(reboot)'],
  ])('refuses a type with %s', async (_why, type) => {
    const { action, ctx } = setup(fx.bd());
    await expect(action.guard({ title: 't', description: 'd', type }, ctx)).rejects.toBeInstanceOf(ActionDeniedError);
  });

  it('refuses a title that is only control characters', async () => {
    const { action, ctx } = setup(fx.bd());
    await expect(action.guard({ title: '\u0000\u001b ', description: 'd' }, ctx)).rejects.toThrow(/title is empty/);
  });

  it('reports a kept request as a failure with pending:true when bd is missing, then the keeper files it', async () => {
    const { action, ctx } = setup(fx.missingBd());
    const outcome = await action.execute({ title: 'disk full', description: 'd' }, ctx);
    expect(outcome).toMatchObject({
      result: 'failure',
      reason: 'bd unavailable: request kept, retried next cycle',
      details: { pending: true },
      beadId: null,
    });
    const { keeper } = setup(fx.bd());
    expect(await keeper.retryPending()).toEqual({ done: 1, remaining: 0 });
    expect(keeper.beadFor('service:nginx.service')).toBe('argus-1');
  });
});
