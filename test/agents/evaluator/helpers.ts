// Shared helpers for evaluator tests: a parsed config and a runner over a sequence of snapshots.
import { evaluate, emptyEvaluatorState, type EvaluatorState } from '../../../src/agents/evaluator/evaluate.js';
import { ConfigSchema, type Config } from '../../../src/config/schema.js';
import type { Finding } from '../../../src/model/finding.js';
import type { Snapshot } from '../../../src/model/snapshot.js';

export function config(over: Record<string, unknown> = {}): Config {
  return ConfigSchema.parse(over);
}

/** Evaluate the snapshots in order, 5 minutes apart; return each cycle's findings and the final state. */
export function runCycles(
  snaps: Snapshot[],
  cfg: Config = config(),
  start: EvaluatorState = emptyEvaluatorState(),
): { perCycle: Finding[][]; state: EvaluatorState } {
  let state = start;
  const perCycle: Finding[][] = [];
  const t0 = Date.parse('2026-02-19T10:00:00.000Z');
  snaps.forEach((s, i) => {
    const r = evaluate({ ...s, ts: new Date(t0 + i * 300_000).toISOString() }, state, cfg);
    state = r.state;
    perCycle.push(r.findings);
  });
  return { perCycle, state };
}

/** The finding with this identity in a cycle, or undefined. */
export function find(findings: Finding[] | undefined, identity: string): Finding | undefined {
  return (findings ?? []).find((f) => f.identity === identity);
}

/** Per cycle, the severity of `identity` or '-' when absent: easy to read in a table. */
export function trace(perCycle: Finding[][], identity: string): string[] {
  return perCycle.map((fs) => find(fs, identity)?.severity ?? '-');
}
