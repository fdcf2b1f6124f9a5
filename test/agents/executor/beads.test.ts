import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBeadKeeper, type BeadRequest } from '../../../src/agents/executor/beads.js';
import type { Bd } from '../../../src/host/bd.js';
import { silentLog } from '../../../src/log.js';
import { bdFixture, type BdFixture } from '../../support/bd-standin/fixture.js';

const request = (over: Partial<BeadRequest> = {}): BeadRequest => ({
  identity: 'service:nginx.service',
  type: 'service',
  title: 'nginx.service is down',
  description: 'Restarted 3 times; still failing.\nLast log: bind() failed',
  severity: 'critical',
  ...over,
});

describe('bead keeper', () => {
  let fx: BdFixture;
  let statePath: string;
  const keeper = (bd: Bd) =>
    createBeadKeeper({ bd, statePath, now: () => new Date('2026-05-01T12:00:00Z'), log: silentLog() });

  beforeEach(async () => {
    fx = await bdFixture();
    statePath = join(fx.dir, 'beads.json');
  });
  afterEach(() => fx.cleanup());

  it('creates one bead per identity and comments on recurrence', async () => {
    const k = keeper(fx.bd());
    expect(await k.ensure(request())).toMatchObject({ status: 'created', beadId: 'argus-1' });
    expect(await k.ensure(request({ description: 'fourth failure' }))).toMatchObject({
      status: 'commented',
      beadId: 'argus-1',
    });
    expect(
      await k.ensure(request({ identity: 'disk:/', type: 'disk', title: '/ at 97%', severity: 'info' })),
    ).toMatchObject({
      status: 'created',
      beadId: 'argus-2',
    });
    const [nginx, disk] = fx.issues();
    expect(nginx).toMatchObject({
      title: '[argus] service: nginx.service is down',
      issue_type: 'bug',
      priority: 0,
      labels: ['argus', 'service'],
      external_ref: 'argus:service:nginx.service',
      metadata: { identity: 'service:nginx.service' },
      description: 'Restarted 3 times; still failing.\nLast log: bind() failed',
    });
    expect(nginx?.comments.map((c) => c.text)).toEqual([expect.stringContaining('fourth failure')]);
    expect(disk).toMatchObject({ priority: 2, labels: ['argus', 'disk'] });
    expect(fx.commands().filter((c) => c === 'create')).toHaveLength(2);
    expect(k.beadFor('service:nginx.service')).toBe('argus-1');
  });

  it('finds an open bead by external ref when the state cache is gone', async () => {
    await keeper(fx.bd()).ensure(request());
    statePath = join(fx.dir, 'fresh-state.json');
    expect(await keeper(fx.bd({ BD_JSON_ENVELOPE: '1' })).ensure(request())).toMatchObject({
      status: 'commented',
      beadId: 'argus-1',
    });
    expect(fx.commands()).toEqual(['list', 'create', 'list', 'comment']);
  });

  it('closes the bead on resolve and forgets it; a new occurrence files a new bead', async () => {
    const k = keeper(fx.bd());
    await k.ensure(request());
    expect(await k.resolve('service:nginx.service', 'healthy for 2 cycles')).toMatchObject({
      status: 'closed',
      beadId: 'argus-1',
    });
    expect(fx.issues()[0]).toMatchObject({ status: 'closed', close_reason: 'healthy for 2 cycles' });
    expect(k.beadFor('service:nginx.service')).toBeNull();
    expect(await k.resolve('service:nginx.service', 'again')).toMatchObject({ status: 'none' });
    expect(await k.ensure(request())).toMatchObject({ status: 'created', beadId: 'argus-2' });
  });

  it('keeps requests while bd is missing or failing, and files them once it is back', async () => {
    expect(await keeper(fx.missingBd()).ensure(request())).toMatchObject({ status: 'pending', beadId: null });
    expect(
      await keeper(fx.bd({ BD_STANDIN_FAIL: '1' })).ensure(request({ identity: 'disk:/', type: 'disk' })),
    ).toMatchObject({
      status: 'pending',
    });
    expect(await keeper(fx.missingBd()).ensure(request({ description: 'newer diagnostics' }))).toMatchObject({
      status: 'pending',
    });
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { pending: Array<{ request: BeadRequest }> };
    expect(state.pending.map((p) => p.request.identity)).toEqual(['disk:/', 'service:nginx.service']);
    expect(fx.issues()).toEqual([]);

    expect(await keeper(fx.missingBd()).retryPending()).toEqual({ done: 0, remaining: 2 });
    const back = keeper(fx.bd());
    expect(await back.retryPending()).toEqual({ done: 2, remaining: 0 });
    expect(fx.issues().map((i) => [i.id, i.external_ref, i.description])).toEqual([
      ['argus-1', 'argus:disk:/', expect.any(String)],
      ['argus-2', 'argus:service:nginx.service', 'newer diagnostics'],
    ]);
    expect(await back.retryPending()).toEqual({ done: 0, remaining: 0 });
    expect(await back.ensure(request())).toMatchObject({ status: 'commented', beadId: 'argus-2' });
  });

  it('keeps a close while bd is down and closes on retry', async () => {
    await keeper(fx.bd()).ensure(request());
    expect(await keeper(fx.missingBd()).resolve('service:nginx.service', 'recovered')).toMatchObject({
      status: 'pending',
      beadId: 'argus-1',
    });
    expect(await keeper(fx.bd()).retryPending()).toEqual({ done: 1, remaining: 0 });
    expect(fx.issues()[0]).toMatchObject({ status: 'closed', close_reason: 'recovered' });
  });
});
