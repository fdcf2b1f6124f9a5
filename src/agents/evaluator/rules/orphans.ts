// Orphan rule: processes matching the orphan pattern whose parent is gone, confirmed per process (pid + start time).
import type { Finding } from '../../../model/finding.js';
import type { Snapshot } from '../../../model/snapshot.js';
import { fmtDuration, makeFinding } from '../format.js';
import type { OrphanStreak, RuleContext } from '../state.js';

export function orphanKey(pid: number, startTicks: number): string {
  return `${pid}:${startTicks}`;
}

export function orphansRule(s: Snapshot, ctx: RuleContext): Finding[] {
  if (s.processes === null) return []; // unknown: keep the streaks as they are
  const confirm = ctx.config.confirmCycles.process;
  const minAge = ctx.config.orphanMinAgeSec;
  const next: Record<string, OrphanStreak> = {};
  const confirmed: Array<Record<string, unknown>> = [];
  for (const o of s.processes.orphans) {
    if (o.ageSec < minAge) continue;
    const key = orphanKey(o.pid, o.startTicks);
    if (next[key] !== undefined) continue;
    const streak = (ctx.orphans[key]?.streak ?? 0) + 1;
    next[key] = { streak, lastSeen: ctx.ts };
    if (streak >= confirm) {
      confirmed.push({
        pid: o.pid,
        startTicks: o.startTicks,
        comm: o.comm,
        cmdline: o.cmdline,
        ageSec: o.ageSec,
        ppid: o.ppid,
        parentComm: o.parentComm,
        rss: o.rssBytes,
        streak,
      });
    }
  }
  ctx.orphans = next; // an orphan not seen this cycle is gone (or was reaped): its streak ends
  if (confirmed.length === 0) return [];
  const oldest = Math.max(...confirmed.map((o) => o.ageSec as number));
  const noun = confirmed.length === 1 ? 'process' : 'processes';
  return [
    makeFinding(
      'process',
      'orphans',
      'warning',
      `${confirmed.length} orphaned '${ctx.config.orphanPattern}' ${noun} (oldest ${fmtDuration(oldest)})`,
      { pattern: ctx.config.orphanPattern, minAgeSec: minAge, orphans: confirmed },
    ),
  ];
}
