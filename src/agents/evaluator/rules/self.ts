// Self rules: Argus's own health: free space for its state, consecutive failed cycles, collectors that left gaps.
import type { Finding } from '../../../model/finding.js';
import type { Snapshot } from '../../../model/snapshot.js';
import { fmtBytes, makeFinding } from '../format.js';
import type { RuleContext } from '../state.js';

/** Consecutive failed cycles that raise the self-alert. */
export const CYCLE_FAILURES_CRITICAL = 3;

export function selfRule(s: Snapshot, ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const free = s.self.stateFreeBytes;
  const minFree = ctx.config.thresholds.stateMinFreeMB * 1e6;
  if (free !== null && free < minFree) {
    out.push(
      makeFinding('self', 'state-disk', 'critical', `Argus state filesystem nearly full: ${fmtBytes(free)} free under ${s.self.stateDir}`, {
        stateDir: s.self.stateDir,
        freeBytes: free,
        minFreeBytes: minFree,
      }),
    );
  }
  const failures = s.self.consecutiveFailures;
  if (failures >= CYCLE_FAILURES_CRITICAL) {
    out.push(makeFinding('self', 'cycle-failures', 'critical', `Argus: ${failures} consecutive failed cycles`, { consecutiveFailures: failures }));
  }
  const seen = new Set<string>();
  for (const gap of s.gaps) {
    if (seen.has(gap.collector)) continue;
    seen.add(gap.collector);
    out.push(
      makeFinding('self', `collector:${gap.collector}`, 'info', `Collector ${gap.collector} left a gap: ${gap.error}`, {
        collector: gap.collector,
        error: gap.error,
      }),
    );
  }
  return out;
}
