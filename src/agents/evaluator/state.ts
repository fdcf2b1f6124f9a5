// Evaluator memory between cycles: confirmation streaks, hysteresis and orphan streaks, one entry per identity.
import { z } from 'zod';
import { shiftIso } from '../../model/clock-step.js';
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
  /** identity → its last observed level (disk bytes used) and when: how fast it is moving. */
  levels: z
    .record(z.string(), z.object({ value: z.number(), at: z.string(), rate: z.number().nullable().optional() }))
    .default({}),
  /** identity → ISO times an event was seen (a unit restarted between looks), kept for a day. */
  events: z.record(z.string(), z.array(z.string())).default({}),
});
export type EvaluatorState = z.infer<typeof EvaluatorStateSchema>;

export function emptyEvaluatorState(): EvaluatorState {
  return { conditions: {}, orphans: {}, levels: {}, events: {} };
}

/** What a rule works with during one evaluation: copies of the state, owned by this call only. */
export interface RuleContext {
  config: Config;
  ts: string;
  conditions: Record<string, Condition>;
  orphans: Record<string, OrphanStreak>;
  levels: Record<string, { value: number; at: string; rate?: number | null }>;
  events: Record<string, string[]>;
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
  for (const [identity, times] of Object.entries(ctx.events)) {
    const kept = times.filter((t) => now - Date.parse(t) <= DAY_MS);
    if (kept.length) ctx.events[identity] = kept;
    else delete ctx.events[identity];
  }
  for (const [identity, l] of Object.entries(ctx.levels)) {
    const at = Date.parse(l.at);
    if (Number.isNaN(at) || now - at > DAY_MS) delete ctx.levels[identity];
  }
}

/** Note an event at this cycle's time; returns how many of its events fall within the last `windowMs`. */
export function noteEvent(ctx: RuleContext, identity: string, windowMs: number): number {
  const now = Date.parse(ctx.ts);
  const times = [...(ctx.events[identity] ?? []).filter((t) => now - Date.parse(t) < DAY_MS), ctx.ts].slice(-50);
  ctx.events[identity] = times;
  return times.filter((t) => now - Date.parse(t) < windowMs).length;
}

/** How many of an identity's events fall within the last `windowMs`. */
export function countEvents(ctx: RuleContext, identity: string, windowMs: number): number {
  const now = Date.parse(ctx.ts);
  return (ctx.events[identity] ?? []).filter((t) => now - Date.parse(t) < windowMs).length;
}

/** The last value recorded for an identity, replaced by this one. */
export function swapLevel(ctx: RuleContext, identity: string, value: number): number | null {
  const prev = ctx.levels[identity]?.value ?? null;
  ctx.levels[identity] = { value, at: ctx.ts };
  return prev;
}

/**
 * Record a level; return its rate of change per second since the previous observation and the rate recorded then
 * (null: no earlier level, or the clock did not move forward).
 */
export function rateOf(
  ctx: RuleContext,
  identity: string,
  value: number,
): { rate: number | null; previousRate: number | null } {
  const prev = ctx.levels[identity];
  const dt = prev ? (Date.parse(ctx.ts) - Date.parse(prev.at)) / 1000 : 0;
  const rate = prev && dt > 0 ? (value - prev.value) / dt : null;
  ctx.levels[identity] = { value, at: ctx.ts, rate };
  return { rate, previousRate: prev?.rate ?? null };
}

/** The state with every stored time moved back by `ms` (the wall clock was set back; see model/clock-step.ts). */
export function shiftEvaluatorState(state: EvaluatorState, ms: number): EvaluatorState {
  const map = <T extends object>(rec: Record<string, T>, f: (v: T) => T): Record<string, T> =>
    Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, f(v)]));
  return {
    conditions: map(state.conditions, (c) => ({ ...c, lastSeen: shiftIso(c.lastSeen, ms) })),
    orphans: map(state.orphans, (o) => ({ ...o, lastSeen: shiftIso(o.lastSeen, ms) })),
    levels: map(state.levels, (l) => ({ ...l, at: shiftIso(l.at, ms) })),
    events: map(state.events, (times) => times.map((t) => shiftIso(t, ms))),
  };
}
