// The registry and history lines a cycle writes about what it saw and decided (actions are recorded by the gate).
import type { ResolvedIncident } from '../agents/router/route.js';
import type { Decision, Finding } from '../model/finding.js';
import type { HistoryPoint } from '../model/history.js';
import type { ProblemRecord } from '../model/record.js';
import type { Snapshot } from '../model/snapshot.js';

export type RecordBase = (
  f: Finding,
  incidentId: string | null,
) => Pick<
  ProblemRecord,
  'ts' | 'severity' | 'type' | 'host' | 'identity' | 'incident_id' | 'source' | 'cycle_id' | 'bead_id'
>;

export function recordBase(ts: string, host: string, cycleId: string): RecordBase {
  return (f, incidentId) => ({
    ts,
    severity: f.severity,
    type: f.type,
    host,
    identity: f.identity,
    incident_id: incidentId,
    source: f.source,
    cycle_id: cycleId,
    bead_id: null,
  });
}

/** One `detection` per finding (with the router's decision), and a `transition` per open, flap and resolution. */
export function routingRecords(
  decisions: readonly Decision[],
  resolved: readonly ResolvedIncident[],
  base: RecordBase,
): ProblemRecord[] {
  const records: ProblemRecord[] = [];
  for (const d of decisions) {
    const suppressed = d.silencedBy
      ? 'silenced'
      : !d.notify && d.kind !== 'act' && d.kind !== 'ignore'
        ? 'suppressed'
        : null;
    records.push({
      ...base(d.finding, d.incidentId),
      kind: 'detection',
      description: d.finding.description,
      action_taken: null,
      action_result: suppressed,
      details: {
        subject: d.finding.subject,
        decision: d.kind,
        transition: d.transition,
        notify: d.notify,
        reason: d.reason,
        silenced_by: d.silencedBy,
        ...d.finding.details,
      },
    });
    if (d.transition === 'opened' || d.transition === 'flapping') {
      records.push({
        ...base(d.finding, d.incidentId),
        kind: 'transition',
        description: `${d.transition} ${d.finding.identity}`,
        action_taken: null,
        action_result: null,
        details: { transition: d.transition },
      });
    }
  }
  for (const r of resolved) {
    records.push({
      ...base(r.lastFinding, r.incidentId),
      severity: 'info',
      kind: 'transition',
      description: `resolved ${r.identity} after ${r.durationSec}s`,
      action_taken: null,
      action_result: null,
      details: { transition: 'resolved', opened_at: r.openedAt, duration_sec: r.durationSec },
    });
  }
  return records;
}

export function historyPoint(s: Snapshot, cycleId: string, findings: number, durationMs: number): HistoryPoint {
  const disks: Record<string, number> = {};
  const used: Record<string, number> = {};
  const total: Record<string, number> = {};
  for (const d of s.disks ?? []) {
    disks[d.mount] = d.usedPct;
    used[d.mount] = d.usedBytes;
    total[d.mount] = d.usedBytes + d.availBytes;
  }
  const topRss: Record<string, number> = {};
  for (const p of (s.processes?.topByRss ?? []).slice(0, 5)) topRss[`${p.comm}:${p.pid}`] = p.rssBytes;
  return {
    ts: s.ts,
    cycle_id: cycleId,
    mem_pct: s.memory?.effectivePct ?? null,
    swap_pct: s.swap?.usedPct ?? null,
    swap_in_bps: s.swap?.inBytesPerSec ?? null,
    swap_out_bps: s.swap?.outBytesPerSec ?? null,
    cpu_pct: s.cpu?.utilPct ?? null,
    load1: s.cpu?.load1 ?? null,
    disks,
    disk_used: used,
    disk_total: total,
    top_rss: topRss,
    findings,
    ok: true,
    duration_ms: durationMs,
  };
}
