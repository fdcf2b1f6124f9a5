import fs from 'node:fs';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { costUsd, createLlmBudget, dailyUsdFromEnv, llmStatePath, type LlmBudget } from '../../src/llm/budget.js';

const T0 = new Date('2026-03-01T12:00:00Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const failure = (kind: 'server' | 'rate_limit' | 'timeout', retryAfterSec: number | null = null) => ({
  kind,
  status: null,
  retryAfterSec,
  detail: 'x',
});

let dir: string;
let budget: LlmBudget;
beforeEach(() => {
  dir = fs.mkdtempSync(`${os.tmpdir()}/argus-`);
  budget = createLlmBudget({ path: llmStatePath(dir) });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('LLM budget', () => {
  it('prices Haiku 4.5 at $1 in / $5 out per MTok', () => {
    expect(costUsd({ input_tokens: 1_000_000, output_tokens: 0 })).toBe(1);
    expect(costUsd({ input_tokens: 0, output_tokens: 1_000_000 })).toBe(5);
  });

  it('records usage in llm_state.json and stops at the daily cap, until the next UTC day', () => {
    const capped = createLlmBudget({ path: llmStatePath(dir), dailyUsd: 0.01 });
    expect(capped.canCall(T0)).toEqual({ ok: true });
    capped.recordUsage({ input_tokens: 5000, output_tokens: 1000 }, T0); // $0.01
    const saved = JSON.parse(fs.readFileSync(llmStatePath(dir), 'utf8'));
    expect(saved).toMatchObject({ day: '2026-03-01', day_calls: 1, day_input_tokens: 5000, day_output_tokens: 1000 });
    expect(capped.canCall(at(1))).toMatchObject({ ok: false, reason: 'budget' });
    expect(capped.canCall(new Date('2026-03-02T00:00:01Z'))).toEqual({ ok: true });
    expect(capped.read(new Date('2026-03-02T00:00:01Z'))).toMatchObject({ day_cost_usd: 0, total_calls: 1 });
  });

  it('backs off 5 min after a 5xx, doubling to at most 2 h, reset by a success', () => {
    const until = [1, 2, 3, 4, 5, 6].map(() => budget.recordFailure(failure('server'), T0).getTime() - T0.getTime());
    expect(until.map((ms) => ms / 60_000)).toEqual([5, 10, 20, 40, 80, 120]);
    expect(budget.canCall(at(119))).toMatchObject({ ok: false, reason: 'backoff' });
    expect(budget.canCall(at(121))).toEqual({ ok: true });
    budget.recordSuccess(at(121));
    expect(budget.recordFailure(failure('timeout'), at(122)).getTime() - at(122).getTime()).toBe(5 * 60_000);
  });

  it('backs off 15 min after a 429, longer when retry-after asks', () => {
    expect(budget.recordFailure(failure('rate_limit'), T0).getTime() - T0.getTime()).toBe(15 * 60_000);
    budget.recordSuccess(T0);
    expect(budget.recordFailure(failure('rate_limit', 3600), T0).getTime() - T0.getTime()).toBe(60 * 60_000);
    expect(budget.canCall(at(30))).toMatchObject({
      ok: false,
      reason: 'backoff',
      detail: expect.stringContaining('rate_limit'),
    });
  });

  it('skips the model under 100 MB free on the state filesystem', () => {
    expect(budget.canCall(T0, 99 * 1024 * 1024)).toMatchObject({ ok: false, reason: 'low_disk' });
    expect(budget.canCall(T0, 101 * 1024 * 1024)).toEqual({ ok: true });
    expect(budget.canCall(T0, null)).toEqual({ ok: true });
  });

  it('a corrupt state file starts fresh instead of failing', () => {
    fs.writeFileSync(llmStatePath(dir), '{not json');
    expect(budget.canCall(T0)).toEqual({ ok: true });
    budget.recordUsage({ input_tokens: 1, output_tokens: 1 }, T0);
    expect(budget.read(T0).day_calls).toBe(1);
  });

  it.each([
    [undefined, 1],
    ['2.5', 2.5],
    ['0', 0],
    ['-3', 1],
    ['lots', 1],
  ])('ARGUS_LLM_DAILY_USD=%s → %s', (text, usd) => {
    expect(dailyUsdFromEnv({ ARGUS_LLM_DAILY_USD: text })).toBe(usd);
  });
});
