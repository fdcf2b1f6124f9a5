// Self rule: collectors that left gaps in this Snapshot.
import type { Finding } from '../../../model/finding.js';
import type { Snapshot } from '../../../model/snapshot.js';
import { makeFinding } from '../format.js';

/**
 * Argus's own blindness — a nearly full or unwritable state filesystem, failed cycles — is not a finding: a cycle
 * that cannot write cannot route, record or alert. It is owned by src/orchestrator/self-health.ts, which alerts
 * straight to Telegram. What is left here: the collectors that left gaps in this Snapshot.
 */
export function selfRule(s: Snapshot): Finding[] {
  const out: Finding[] = [];
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
