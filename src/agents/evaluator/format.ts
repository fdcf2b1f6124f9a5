// Small helpers shared by the rules: finding construction, severity from a band, human-readable numbers.
import { identityOf, type Finding, type FindingType, type Severity } from '../../model/finding.js';
import type { ProcessInfo } from '../../model/snapshot.js';

export function makeFinding(
  type: FindingType,
  subject: string,
  severity: Severity,
  description: string,
  details: Record<string, unknown>,
): Finding {
  return { identity: identityOf(type, subject), type, subject, severity, description, source: 'rule', details };
}

/** Percent bands: warning at `fire`, critical at or above fire + (100 − fire)/2 (95 % when fire is 90). */
export function pctSeverity(value: number, fire: number): Severity {
  return value >= fire + (100 - fire) / 2 ? 'critical' : 'warning';
}

/** Unbounded ratios (load per core, swap I/O): warning at `fire`, critical at or above `factor` × fire. */
export function ratioSeverity(value: number, fire: number, factor: number): Severity {
  return value >= fire * factor ? 'critical' : 'warning';
}

export { fmtBytes } from '../../model/bytes.js';

export function fmtPct(pct: number): string {
  return `${Math.round(pct)}%`;
}

export function fmtDuration(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m`;
  return `${s}s`;
}

/**
 * The facts about a process a person (and the RCA/executor) needs. All ProcessInfo fields (consumers read it as one),
 * plus the seed's names `name` and `rss` (ARG-005: process name, PID, RSS, %MEM, runtime).
 */
export function procSummary(p: ProcessInfo): ProcessInfo & { name: string; rss: number } {
  return { ...p, name: p.comm, rss: p.rssBytes };
}
