// Memory rule: the effective (tighter of host and cgroup) usage, with the top consumer as the likely hog.
import type { Finding } from '../../../model/finding.js';
import type { Snapshot } from '../../../model/snapshot.js';
import { fmtBytes, fmtPct, makeFinding, pctSeverity, procSummary } from '../format.js';
import { track, type RuleContext } from '../state.js';
import { memoryShare } from '../../../model/memory-share.js';

export function memoryRule(s: Snapshot, ctx: RuleContext): Finding[] {
  const m = s.memory;
  if (m === null) return [];
  const band = ctx.config.thresholds.memory;
  const value = m.effectivePct;
  const active = track(
    ctx,
    'memory:host',
    { fires: value >= band.fire, clears: value < band.clear },
    ctx.config.confirmCycles.memory,
  );
  if (!active) return [];
  const binding = m.cgroup !== null && m.cgroup.usedPct >= m.usedPct ? 'cgroup' : 'host';
  const top = s.processes?.topByRss[0];
  const hog = top === undefined ? null : procSummary(top);
  const where =
    binding === 'cgroup' && m.cgroup !== null
      ? `of the cgroup limit (${fmtBytes(m.cgroup.limitBytes - m.cgroup.usageBytes)} left of ${fmtBytes(m.cgroup.limitBytes)})`
      : `(${fmtBytes(m.availableBytes)} available of ${fmtBytes(m.totalBytes)})`;
  const hogText =
    top === undefined ? '' : `; top: ${top.comm} (pid ${top.pid}, ${fmtBytes(top.rssBytes)}, ${memoryShare(top)})`;
  return [
    makeFinding('memory', 'host', pctSeverity(value, band.fire), `Memory at ${fmtPct(value)} ${where}${hogText}`, {
      usedPct: value,
      hostPct: m.usedPct,
      cgroupPct: m.cgroup?.usedPct ?? null,
      binding,
      limitBytes: binding === 'cgroup' ? (m.cgroup?.limitBytes ?? null) : m.totalBytes,
      availableBytes: m.availableBytes,
      hog,
      fire: band.fire,
      clear: band.clear,
    }),
  ];
}
