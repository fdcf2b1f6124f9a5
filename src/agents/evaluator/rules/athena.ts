// Athena rule: the memory directory missing, or idle longer than thresholds.athenaIdleHours (0 disables); info only.
import type { Finding } from '../../../model/finding.js';
import type { Snapshot } from '../../../model/snapshot.js';
import { fmtDuration, makeFinding } from '../format.js';
import type { RuleContext } from '../state.js';

export function athenaRule(s: Snapshot, ctx: RuleContext): Finding[] {
  const a = s.athena;
  const idleHours = ctx.config.thresholds.athenaIdleHours;
  if (a === null || idleHours <= 0) return [];
  const details = {
    dir: a.dir,
    exists: a.exists,
    latestFile: a.latestFile,
    latestMtime: a.latestMtime,
    ageSec: a.ageSec,
    idleHours,
  };
  if (!a.exists)
    return [makeFinding('athena', 'memory', 'info', `Athena memory directory ${a.dir} does not exist`, details)];
  if (a.ageSec !== null && a.ageSec > idleHours * 3600) {
    return [
      makeFinding('athena', 'memory', 'info', `Athena memory idle for ${fmtDuration(a.ageSec)} (${a.dir})`, details),
    ];
  }
  return [];
}
