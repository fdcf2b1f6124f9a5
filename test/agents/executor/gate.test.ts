// The gate: check order, per-cycle and rolling budgets, dry run, and exactly one readable audit record per attempt.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ActionContext, ActionDef } from '../../../src/agents/executor/action.js';
import { createGate } from '../../../src/agents/executor/gate.js';
import { ActionDeniedError } from '../../../src/errors.js';
import { KillPidInputSchema, type ActionName } from '../../../src/model/action.js';
import { ProblemRecordSchema } from '../../../src/model/record.js';
import { sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb.cleanup());

interface Spy {
  calls: string[];
  def: ActionDef;
}

/** A stub action that logs every stage it reaches; each stage's behaviour can be overridden. */
function stub(name: ActionName, over: Partial<ActionDef> = {}, schema: z.ZodType = KillPidInputSchema): Spy {
  const calls: string[] = [];
  const def: ActionDef = {
    name,
    schema,
    target: (input) => String((input as { pid?: number }).pid ?? 'x'),
    guard: async (input, ctx) => {
      calls.push('guard');
      await over.guard?.(input, ctx);
    },
    rate: async (input, ctx) => {
      calls.push('rate');
      return over.rate ? over.rate(input, ctx) : { allowed: true, reason: '' };
    },
    execute: async (input, ctx) => {
      calls.push('execute');
      return over.execute ? over.execute(input, ctx) : { result: 'success', reason: 'done', details: { did: 'it' } };
    },
    afterExecute: async () => {
      calls.push('afterExecute');
    },
  };
  return { calls, def };
}

function gateOf(defs: ActionDef[], now = () => new Date('2026-02-19T10:00:00Z'), budgets = {}) {
  return createGate(defs, { registry: sb.registry, now, host: 'testhost', budgets });
}

const req = (input: unknown, action = 'kill_pid') => ({
  action,
  input,
  source: 'rule' as const,
  identity: 'process:4242',
  incidentId: 'inc-1',
});

describe('gate', () => {
  it('runs guard → rate → execute → afterExecute and records one full ProblemRecord', async () => {
    sb = sandbox();
    const s = stub('kill_pid');
    const r = await gateOf([s.def]).run(req({ pid: 4242, reason: 'hog' }), sb.ctx);
    expect(s.calls).toEqual(['guard', 'rate', 'execute', 'afterExecute']);
    expect(r).toMatchObject({ result: 'success', reason: 'done' });
    const records = sb.records();
    expect(records).toHaveLength(1);
    const rec = ProblemRecordSchema.parse(records[0]);
    expect(rec).toMatchObject({
      ts: '2026-02-19T10:00:00.000Z',
      severity: 'info',
      type: 'process',
      description: 'kill_pid 4242: success — done',
      action_taken: 'kill_pid:4242',
      action_result: 'success',
      bead_id: null,
      host: 'testhost',
      kind: 'action',
      identity: 'process:4242',
      incident_id: 'inc-1',
      source: 'rule',
      cycle_id: 'cycle-1',
    });
    expect(rec.details).toMatchObject({ reason: 'done', did: 'it', input: { pid: 4242, reason: 'hog' } });
    expect(r.record).toEqual(records[0]);
  });

  it('refuses an unknown action before anything else', async () => {
    sb = sandbox();
    const s = stub('kill_pid');
    const r = await gateOf([s.def]).run(req({ pid: 1 }, 'exec'), sb.ctx);
    expect(r).toMatchObject({ result: 'refused', reason: '"exec" is not one of the seven allowlisted actions' });
    expect(s.calls).toEqual([]);
    expect(sb.records()[0]).toMatchObject({ action_result: 'refused', severity: 'warning', action_taken: 'exec:?' });
  });

  it.each([
    [{ pid: 'abc', reason: 'x' }, 'kill_pid.pid: expected a number, got string'],
    [{ pid: 1.5, reason: 'x' }, 'kill_pid.pid: expected an integer'],
    [{ pid: 5, reason: 'x', evil: 1 }, 'kill_pid: unexpected field "evil"'],
    [{ pid: 5 }, 'kill_pid.reason: is required'],
    [{ pid: 5, reason: '' }, 'kill_pid.reason: must not be empty'],
    ['5', 'kill_pid: expected an object of named fields'],
  ])('refuses at the schema, naming the field: %j', async (input, reason) => {
    sb = sandbox();
    const s = stub('kill_pid');
    const r = await gateOf([s.def]).run(req(input), sb.ctx);
    expect(r.result).toBe('refused');
    expect(r.reason).toBe(reason);
    expect(s.calls).toEqual([]);
    expect(sb.records()).toHaveLength(1);
  });

  it('a guard denial is refused with its reason; any other guard error is a failure; neither executes', async () => {
    sb = sandbox();
    const denied = stub('kill_pid', {
      guard: async () => Promise.reject(new ActionDeniedError('kill_pid', 'PID 1 is never killed')),
    });
    const broken = stub(
      'kill_tmux',
      { guard: async () => Promise.reject(new Error('boom')) },
      z.object({ pid: z.number() }),
    );
    const gate = gateOf([denied.def, broken.def]);
    const r1 = await gate.run(req({ pid: 1, reason: 'x' }), sb.ctx);
    expect(r1).toMatchObject({ result: 'refused', reason: 'PID 1 is never killed' });
    const r2 = await gate.run(req({ pid: 3 }, 'kill_tmux'), sb.ctx);
    expect(r2.result).toBe('failure');
    expect(r2.reason).toMatch(/boom/);
    expect([...denied.calls, ...broken.calls]).toEqual(['guard', 'guard']);
    expect(sb.records().map((r) => r.description)).toEqual([
      'kill_pid 1: refused — PID 1 is never killed',
      'kill_tmux 3: failure — guard could not decide: boom',
    ]);
  });

  it('holds the per-cycle budget whatever the caller asks, and starts afresh in the next cycle', async () => {
    sb = sandbox();
    const s = stub('kill_pid');
    const gate = gateOf([s.def]);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => gate.run(req({ pid: 100 + i, reason: 'x' }), sb.ctx)),
    );
    expect(results.filter((r) => r.result === 'success')).toHaveLength(5);
    const refused = results.filter((r) => r.result === 'refused');
    expect(refused).toHaveLength(3);
    expect(refused[0]!.reason).toBe('budget of 5 kill_pid per cycle used');
    expect(s.calls.filter((c) => c === 'execute')).toHaveLength(5);
    const next = await gate.run(req({ pid: 200, reason: 'x' }), { ...sb.ctx, cycleId: 'cycle-2' });
    expect(next.result).toBe('success');
    expect(sb.records()).toHaveLength(9);
  });

  it('outside a cycle, the budget is per rolling 5 minutes', async () => {
    sb = sandbox({ cycleId: null });
    const clock = { t: Date.parse('2026-02-19T10:00:00Z') };
    const s = stub('clean_disk', {}, z.object({ reason: z.string() }));
    const gate = gateOf([s.def], () => new Date(clock.t));
    const run = () => gate.run({ action: 'clean_disk', input: { reason: 'x' }, source: 'mcp' }, sb.ctx);
    expect((await run()).result).toBe('success');
    clock.t += 60_000;
    expect((await run()).reason).toBe('budget of 1 clean_disk per 5 minutes used');
    clock.t += 4 * 60_000 + 1;
    expect((await run()).result).toBe('success');
  });

  it('a rate verdict makes it skipped; dry run (ctx or input) records "would" and executes nothing', async () => {
    sb = sandbox();
    const limited = stub(
      'restart_service',
      { rate: async () => ({ allowed: false, reason: 'next attempt after 10:05' }) },
      z.object({ pid: z.number() }),
    );
    const plain = stub('kill_pid');
    const gate = gateOf([limited.def, plain.def]);
    const skipped = await gate.run(req({ pid: 1 }, 'restart_service'), sb.ctx);
    expect(skipped).toMatchObject({ result: 'skipped', reason: 'next attempt after 10:05' });
    const dry1 = await gate.run(req({ pid: 77, reason: 'x', dry_run: true }), sb.ctx);
    const dry2 = await gate.run(req({ pid: 78, reason: 'x' }), { ...sb.ctx, dryRun: true });
    expect([dry1.result, dry1.reason, dry2.result, dry2.reason]).toEqual([
      'dry_run',
      'would kill_pid 77',
      'dry_run',
      'would kill_pid 78',
    ]);
    expect(plain.calls).toEqual(['guard', 'rate', 'guard', 'rate']);
    expect(limited.calls).toEqual(['guard', 'rate']);
    expect(sb.records().map((r) => r.action_result)).toEqual(['skipped', 'dry_run', 'dry_run']);
  });

  it('an execute that throws is a recorded failure with the message as reason', async () => {
    sb = sandbox();
    const s = stub('kill_pid', { execute: async () => Promise.reject(new Error('EPERM: operation not permitted')) });
    const r = await gateOf([s.def]).run(req({ pid: 9, reason: 'x' }), sb.ctx);
    expect(r).toMatchObject({ result: 'failure', reason: 'EPERM: operation not permitted' });
    expect(s.calls).toEqual(['guard', 'rate', 'execute', 'afterExecute']);
    expect(sb.records()[0]).toMatchObject({ severity: 'warning', action_result: 'failure' });
  });

  it('sanitises what the request carried: long strings cut, control characters escaped', async () => {
    sb = sandbox();
    const s = stub('kill_pid');
    const ctx: ActionContext = sb.ctx;
    await gateOf([s.def]).run(req({ pid: 'x\u0000\u001b[31m' + 'A'.repeat(5000), reason: 'r' }), ctx);
    const rec = sb.records()[0]!;
    const input = rec.details.input as { pid: string };
    expect(input.pid.startsWith('x\\u0000\\u001b[31m')).toBe(true);
    expect(input.pid.length).toBeLessThan(260);
    expect(rec.action_taken).not.toContain('\u0000');
  });
});
