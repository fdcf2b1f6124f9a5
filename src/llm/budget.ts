// LLM spending and health: tokens and cost per call, a daily cost cap, back-off after API failures, a disk guard.
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonState, writeJsonAtomic } from '../state/atomic.js';
import type { Log } from '../log.js';
import type { ModelFailure } from './client.js';

/** Claude Haiku 4.5 list prices (USD per million tokens): $1 input, $5 output. An estimate: no caching, no batch discount. */
export const HAIKU_INPUT_USD_PER_MTOK = 1;
export const HAIKU_OUTPUT_USD_PER_MTOK = 5;
export const DEFAULT_DAILY_USD = 1;
/** Below this much free space on the state filesystem the model is skipped (seed ARG: "disk space guard"). */
export const MIN_FREE_BYTES = 100 * 1024 * 1024;

const MIN = 60_000;
/** Back-off after a failure: 5 min (5xx, timeout, network), 15 min (429), doubling per consecutive failure, at most 2 h. */
export const BACKOFF_BASE_MS = 5 * MIN;
export const BACKOFF_RATE_LIMIT_MS = 15 * MIN;
export const BACKOFF_MAX_MS = 120 * MIN;

export const LlmStateSchema = z.object({
  /** UTC day the day_* counters belong to (YYYY-MM-DD). */
  day: z.string(),
  day_cost_usd: z.number(),
  day_input_tokens: z.number(),
  day_output_tokens: z.number(),
  day_calls: z.number(),
  total_cost_usd: z.number(),
  total_calls: z.number(),
  backoff_until: z.string().nullable(),
  /** Consecutive failures: the back-off doubles with each. */
  backoff_level: z.number().int().min(0),
  last_failure: z
    .object({ ts: z.string(), kind: z.string(), status: z.number().nullable(), detail: z.string() })
    .nullable(),
  last_success: z.string().nullable(),
});
export type LlmState = z.infer<typeof LlmStateSchema>;

export type BudgetVerdict = { ok: true } | { ok: false; reason: 'budget' | 'backoff' | 'low_disk'; detail: string };

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
}

export interface LlmBudget {
  readonly dailyUsd: number;
  /** May a model call be made now? `freeBytes`: free space on the state filesystem (null: unknown, not checked). */
  canCall(now: Date, freeBytes?: number | null): BudgetVerdict;
  /** Record one call's tokens; returns its estimated cost. */
  recordUsage(usage: TokenUsage, now: Date): number;
  recordSuccess(now: Date): void;
  /** Record an API failure and start (or lengthen) the back-off; returns when calls may resume. */
  recordFailure(failure: Pick<ModelFailure, 'kind' | 'status' | 'retryAfterSec' | 'detail'>, now: Date): Date;
  read(now: Date): LlmState;
}

export function costUsd(usage: TokenUsage): number {
  return (usage.input_tokens * HAIKU_INPUT_USD_PER_MTOK + usage.output_tokens * HAIKU_OUTPUT_USD_PER_MTOK) / 1_000_000;
}

export function llmStatePath(stateDir: string): string {
  return join(stateDir, 'llm_state.json');
}

/** ARGUS_LLM_DAILY_USD (default 1.00); a bad value falls back to the default rather than lifting the cap. */
export function dailyUsdFromEnv(env: Record<string, string | undefined>): number {
  const text = env.ARGUS_LLM_DAILY_USD?.trim();
  if (!text) return DEFAULT_DAILY_USD;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : DEFAULT_DAILY_USD;
}

export interface LlmBudgetOptions {
  /** llm_state.json (see llmStatePath). */
  path: string;
  dailyUsd?: number;
  minFreeBytes?: number;
  log?: Log;
}

const dayOf = (now: Date) => now.toISOString().slice(0, 10);

function fresh(now: Date): LlmState {
  return {
    day: dayOf(now),
    day_cost_usd: 0,
    day_input_tokens: 0,
    day_output_tokens: 0,
    day_calls: 0,
    total_cost_usd: 0,
    total_calls: 0,
    backoff_until: null,
    backoff_level: 0,
    last_failure: null,
    last_success: null,
  };
}

/** The state is re-read on every check: the cycle and the MCP server may share one state dir. */
export function createLlmBudget(options: LlmBudgetOptions): LlmBudget {
  const dailyUsd = options.dailyUsd ?? DEFAULT_DAILY_USD;
  const minFree = options.minFreeBytes ?? MIN_FREE_BYTES;

  const read = (now: Date): LlmState => {
    const state = readJsonState(
      options.path,
      LlmStateSchema,
      () => fresh(now),
      (reason) => options.log?.warn({ reason }, 'llm_state.json unreadable; starting fresh'),
    );
    if (state.day !== dayOf(now)) {
      return { ...state, day: dayOf(now), day_cost_usd: 0, day_input_tokens: 0, day_output_tokens: 0, day_calls: 0 };
    }
    return state;
  };
  const update = (now: Date, change: (s: LlmState) => LlmState): LlmState => {
    const next = change(read(now));
    writeJsonAtomic(options.path, next);
    return next;
  };

  return {
    dailyUsd,
    read,
    canCall(now, freeBytes) {
      if (freeBytes !== undefined && freeBytes !== null && freeBytes < minFree) {
        const mb = (n: number) => `${Math.floor(n / 1024 / 1024)} MB`;
        return {
          ok: false,
          reason: 'low_disk',
          detail: `only ${mb(freeBytes)} free on the state filesystem (< ${mb(minFree)}): model skipped`,
        };
      }
      const state = read(now);
      if (state.day_cost_usd >= dailyUsd) {
        return {
          ok: false,
          reason: 'budget',
          detail: `daily LLM cost cap reached: $${state.day_cost_usd.toFixed(4)} spent of $${dailyUsd.toFixed(2)} (ARGUS_LLM_DAILY_USD); LLM use stopped until 00:00 UTC`,
        };
      }
      if (state.backoff_until && Date.parse(state.backoff_until) > now.getTime()) {
        const why = state.last_failure
          ? ` after ${state.last_failure.kind}${state.last_failure.status ? ` (${state.last_failure.status})` : ''}`
          : '';
        return { ok: false, reason: 'backoff', detail: `backing off${why} until ${state.backoff_until}` };
      }
      return { ok: true };
    },
    recordUsage(usage, now) {
      const cost = costUsd(usage);
      update(now, (s) => ({
        ...s,
        day_cost_usd: s.day_cost_usd + cost,
        day_input_tokens: s.day_input_tokens + usage.input_tokens,
        day_output_tokens: s.day_output_tokens + usage.output_tokens,
        day_calls: s.day_calls + 1,
        total_cost_usd: s.total_cost_usd + cost,
        total_calls: s.total_calls + 1,
      }));
      return cost;
    },
    recordSuccess(now) {
      update(now, (s) => ({ ...s, backoff_level: 0, backoff_until: null, last_success: now.toISOString() }));
    },
    recordFailure(failure, now) {
      const next = update(now, (s) => {
        const level = s.backoff_level + 1;
        const base = failure.kind === 'rate_limit' ? BACKOFF_RATE_LIMIT_MS : BACKOFF_BASE_MS;
        let ms = Math.min(base * 2 ** (level - 1), BACKOFF_MAX_MS);
        if (failure.retryAfterSec !== null) ms = Math.max(ms, Math.min(failure.retryAfterSec * 1000, BACKOFF_MAX_MS));
        return {
          ...s,
          backoff_level: level,
          backoff_until: new Date(now.getTime() + ms).toISOString(),
          last_failure: {
            ts: now.toISOString(),
            kind: failure.kind,
            status: failure.status,
            detail: failure.detail.slice(0, 500),
          },
        };
      });
      return new Date(next.backoff_until!);
    },
  };
}
