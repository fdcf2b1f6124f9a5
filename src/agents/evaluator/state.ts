// Evaluator memory between cycles: confirmation streaks, hysteresis and orphan streaks, one entry per identity.
import { z } from 'zod';
import type { Config } from '../../config/schema.js';

export const ConditionSchema = z.object({
  /** Consecutive observed cycles the fire condition has held. */
  streak: z.number().int().min(0),
  /** Fired (confirmed) and not yet below the clear threshold. */
  active: z.boolean(),
  /** Snapshot ts of the last cycle this condition was observed (a gap leaves it untouched). */
  lastSeen: z.string(),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const OrphanStreakSchema = z.object({ streak: z.number().int().min(1), lastSeen: z.string() });
export type OrphanStreak = z.infer<typeof OrphanStreakSchema>;

export const EvaluatorStateSchema = z.object({
  /** identity → condition; only conditions with a streak or an active state are kept. */
  conditions: z.record(z.string(), ConditionSchema).default({}),
  /** `pid:startTicks` → streak of the orphans seen in the last observed cycle. */
  orphans: z.record(z.string(), OrphanStreakSchema).default({}),
});
export type EvaluatorState = z.infer<typeof EvaluatorStateSchema>;

export function emptyEvaluatorState(): EvaluatorState {
  return { conditions: {}, orphans: {} };
}

/** What a rule works with during one evaluation: copies of the state, owned by this call only. */
export interface RuleContext {
  config: Config;
  ts: string;
  conditions: Record<string, Condition>;
  orphans: Record<string, OrphanStreak>;
  /** Identities advanced this cycle (a second observation of the same identity in one cycle is ignored). */
  touched: Set<string>;
}

/** A condition's observation this cycle: at/over the fire threshold, and under the clear threshold. */
export interface Observation {
  fires: boolean;
  clears: boolean;
}

/**
 * Advance one condition by one observed cycle and say whether it is active.
 * Fires after `confirm` consecutive cycles over `fire`; once active it stays active until `clears`.
 * Call it only when the value is known: a gap must leave the condition as it was.
 */
export function track(ctx: RuleContext, identity: string, obs: Observation, confirm: number): boolean {
  const prev = ctx.conditions[identity];
  if (ctx.touched.has(identity)) return prev?.active ?? false;
  ctx.touched.add(identity);
  let streak = 0;
  let active = false;
  if (obs.fires) {
    streak = (prev?.streak ?? 0) + 1;
    active = (prev?.active ?? false) || streak >= confirm;
  } else if (prev?.active === true && !obs.clears) {
    streak = prev.streak;
    active = true;
  }
  if (streak === 0 && !active) delete ctx.conditions[identity];
  else ctx.conditions[identity] = { streak, active, lastSeen: ctx.ts };
  return active;
}

/** Forget the conditions a rule owns that were not observed although the rule's section was present (e.g. an unmounted disk). */
export function sweep(ctx: RuleContext, owns: (identity: string) => boolean): void {
  for (const identity of Object.keys(ctx.conditions)) {
    if (owns(identity) && !ctx.touched.has(identity)) delete ctx.conditions[identity];
  }
}

const DAY_MS = 86_400_000;

/** Keep state bounded: drop conditions not observed for a day (a long gap). */
export function pruneStale(ctx: RuleContext): void {
  const now = Date.parse(ctx.ts);
  if (Number.isNaN(now)) return;
  for (const [identity, c] of Object.entries(ctx.conditions)) {
    const seen = Date.parse(c.lastSeen);
    if (Number.isNaN(seen) || now - seen > DAY_MS) delete ctx.conditions[identity];
  }
}
