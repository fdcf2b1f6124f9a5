// The evaluator: a Snapshot plus the previous evaluator state → Findings, by deterministic rules. Pure: no I/O, no clock.
import type { Config } from '../../config/schema.js';
import type { Finding } from '../../model/finding.js';
import type { Snapshot } from '../../model/snapshot.js';
import { athenaRule } from './rules/athena.js';
import { cpuRule } from './rules/cpu.js';
import { diskRule } from './rules/disk.js';
import { memoryRule } from './rules/memory.js';
import { orphansRule } from './rules/orphans.js';
import { probeRule } from './rules/probe.js';
import { selfRule } from './rules/self.js';
import { serviceRule } from './rules/service.js';
import { swapRule } from './rules/swap.js';
import { pruneStale, type EvaluatorState, type RuleContext } from './state.js';

export { EvaluatorStateSchema, emptyEvaluatorState, type EvaluatorState } from './state.js';

type Rule = (s: Snapshot, ctx: RuleContext) => Finding[];

/** In report order: Argus itself first (a full state disk matters most), then services, resources, the rest. */
const RULES: readonly Rule[] = [
  selfRule,
  serviceRule,
  diskRule,
  memoryRule,
  swapRule,
  cpuRule,
  orphansRule,
  probeRule,
  athenaRule,
];

/**
 * Run every rule on one Snapshot. The input state is not modified; the returned state is the next one.
 * A null section (collector gap) yields no finding from its rule and leaves that rule's state as it was.
 */
export function evaluate(
  snapshot: Snapshot,
  state: EvaluatorState,
  config: Config,
): { findings: Finding[]; state: EvaluatorState } {
  const ctx: RuleContext = {
    config,
    ts: snapshot.ts,
    conditions: { ...state.conditions },
    orphans: { ...state.orphans },
    levels: { ...state.levels },
    events: { ...state.events },
    touched: new Set(),
  };
  const findings = RULES.flatMap((rule) => rule(snapshot, ctx));
  pruneStale(ctx);
  return {
    findings,
    state: { conditions: ctx.conditions, orphans: ctx.orphans, levels: ctx.levels, events: ctx.events },
  };
}

/** Whether the rule owning `identity` had data in this Snapshot (false = a gap: neither firing nor healthy). */
export function isObserved(snapshot: Snapshot, identity: string): boolean {
  const s = snapshot;
  if (identity === 'swap:thrashing')
    return s.swap !== null && s.swap.inBytesPerSec !== null && s.swap.outBytesPerSec !== null;
  if (identity === 'cpu:util') return s.cpu !== null && s.cpu.utilPct !== null;
  const type = identity.slice(0, identity.indexOf(':'));
  switch (type) {
    case 'disk':
      return s.disks !== null;
    case 'memory':
      return s.memory !== null;
    case 'swap':
      return s.swap !== null;
    case 'cpu':
      return s.cpu !== null;
    case 'service':
    case 'restart':
      return s.services !== null;
    case 'process':
      return s.processes !== null;
    case 'probe':
      return s.probes !== null;
    case 'athena':
      return s.athena !== null;
    case 'tmux':
      return s.tmux !== null;
    default:
      return true;
  }
}

/** The router's `seen` set: of the given identities (e.g. its open incidents), those observed in this Snapshot. */
export function seenIdentities(snapshot: Snapshot, identities: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  for (const id of identities) if (isObserved(snapshot, id)) seen.add(id);
  return seen;
}
