// The log action: one escaped line per observation, rotation at the size limit, escalation by identity repeats.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogAction, recentRecords } from '../../../src/agents/executor/actions/log.js';
import { createGate } from '../../../src/agents/executor/gate.js';
import { sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
afterEach(() => sb.cleanup());

function gateAt(clock: { t: number }, maxBytes?: number) {
  sb.ctx.host = { ...sb.ctx.host, now: () => new Date(clock.t) };
  return createGate([createLogAction({ maxBytes })], {
    registry: sb.registry,
    now: () => new Date(clock.t),
    host: 'testhost',
  });
}

describe('log', () => {
  it('appends "- <ts> [identity] observation" with newlines and control characters escaped', async () => {
    sb = sandbox();
    const clock = { t: Date.parse('2026-02-19T10:00:00Z') };
    const r = await gateAt(clock).run(
      {
        action: 'log',
        input: { observation: 'disk filling\n- 2026 [x] forged\u0007' },
        source: 'llm',
        identity: 'disk:/',
      },
      sb.ctx,
    );
    expect(r.result, r.reason).toBe('success');
    const text = readFileSync(sb.ctx.paths.observations, 'utf8');
    expect(text).toBe('- 2026-02-19T10:00:00.000Z [disk:/] disk filling - 2026 [x] forged\\u0007\n');
  });

  it('escalates on the third observation of the same identity within the window, not by text', async () => {
    sb = sandbox({ config: { dedupWindowSec: 3600 } });
    const clock = { t: Date.parse('2026-02-19T10:00:00Z') };
    const gate = gateAt(clock);
    const log = (identity: string, observation: string) =>
      gate.run({ action: 'log', input: { observation }, source: 'rule', identity }, sb.ctx);
    expect((await log('memory:host', 'same text')).details).toMatchObject({ repeats: 1, escalate: false });
    expect((await log('disk:/', 'same text')).details).toMatchObject({ repeats: 1, escalate: false });
    clock.t += 60_000;
    expect((await log('memory:host', 'different words')).details).toMatchObject({ repeats: 2, escalate: false });
    clock.t += 60_000;
    expect((await log('memory:host', 'yet another')).details).toMatchObject({ repeats: 3, escalate: true });
    // Outside the window the count starts again.
    clock.t += 2 * 3600_000;
    expect((await log('memory:host', 'later')).details).toMatchObject({ repeats: 1, escalate: false });
  });

  it('rotates at the size limit, keeping three old files', async () => {
    sb = sandbox();
    const clock = { t: Date.parse('2026-02-19T10:00:00Z') };
    const gate = gateAt(clock, 200);
    for (let i = 0; i < 12; i++) {
      await gate.run(
        { action: 'log', input: { observation: `observation number ${i} ${'x'.repeat(80)}` }, source: 'rule' },
        sb.ctx,
      );
    }
    const p = sb.ctx.paths.observations;
    expect([p, `${p}.1`, `${p}.2`, `${p}.3`].map(existsSync)).toEqual([true, true, true, true]);
    expect(existsSync(`${p}.4`)).toBe(false);
    expect(readFileSync(p, 'utf8')).toContain('observation number 11');
    expect(readFileSync(p, 'utf8').length).toBeLessThanOrEqual(200);
  });

  it('reads the registry from its end across chunk boundaries', async () => {
    sb = sandbox();
    const clock = { t: Date.parse('2026-02-19T10:00:00Z') };
    const gate = gateAt(clock);
    for (let i = 0; i < 30; i++) {
      clock.t += 1000;
      await gate.run({ action: 'log', input: { observation: `o${i}` }, source: 'rule', identity: 'cpu:host' }, sb.ctx);
    }
    const since = Date.parse('2026-02-19T10:00:20Z');
    const tail = recentRecords(sb.ctx.paths.registry, since, 97);
    expect(tail).toHaveLength(11); // seconds 20 … 30
    expect(tail.every((r) => Date.parse(r.ts) >= since)).toBe(true);
  });
});
