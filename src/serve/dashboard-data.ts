// Everything the dashboard shows, as one JSON document: the health now, the charts' columns, the incidents.
// Host text (unit names, mounts, descriptions) travels as JSON strings and is put on the page with textContent only.
import { statSync } from 'node:fs';
import type { StatePaths } from '../config/load.js';
import { readFleetView, type FleetView } from '../fleet/view.js';
import { ApprovalStore, approvalsDir } from '../state/approvals.js';
import { readHistory, type HistorySeries } from './history.js';
import { incidentsInWindow, type IncidentSpan, type IncidentWindow } from './incidents.js';
import { readServeState } from './state.js';

export const RANGES = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type Range = keyof typeof RANGES;
export const isRange = (v: unknown): v is Range => typeof v === 'string' && Object.hasOwn(RANGES, v);

export interface DashboardData {
  generatedAt: string;
  host: string | null;
  range: Range;
  /** The window charted, Unix seconds. */
  from: number;
  to: number;
  /** STALE, FAILING, NEVER or OK, and the sentence `argus status` prints. */
  freshness: { verdict: string; line: string; ageSec: number | null; lastAttemptAt: string | null };
  intervalSec: number;
  now: NowView | null;
  openIncidents: Array<{ identity: string; severity: string; openedAt: string | null }>;
  series: HistorySeries;
  incidents: IncidentSpan[];
  recurring: Array<{ identity: string; opened: number }>;
  /** The fleet receiver's view (hosts, fleet incidents, host links), or null on a host that runs no receiver. */
  fleet: FleetView | null;
  /** Requests waiting for a person's answer in Telegram (the Solicitor), oldest first; the page only shows them. */
  approvals: PendingApproval[];
}

export interface PendingApproval {
  kind: string;
  summary: string;
  identity: string | null;
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
}

/** The Solicitor's requests still waiting for an answer (pending and not expired). Nothing when it never asked. */
export function pendingApprovals(stateDir: string, now: Date): PendingApproval[] {
  return new ApprovalStore(approvalsDir(stateDir))
    .list()
    .filter((a) => a.status === 'pending' && Date.parse(a.expiresAt) > now.getTime())
    .map((a) => ({
      kind: a.kind,
      summary: a.summary,
      identity: a.identity,
      requestedBy: a.requestedBy,
      createdAt: a.createdAt,
      expiresAt: a.expiresAt,
    }));
}

/** The snapshot reduced to what the page shows (no command lines, no process lists). */
export interface NowView {
  ts: string;
  memory: { usedPct: number; effectivePct: number; totalBytes: number; cgroupPct: number | null } | null;
  swap: { usedPct: number; totalBytes: number; inBps: number | null; outBps: number | null } | null;
  cpu: { utilPct: number | null; load1: number; load5: number; load15: number; cores: number } | null;
  disks: Array<{ mount: string; usedPct: number; availBytes: number; inodesPct: number }>;
  services: Array<{ unit: string; state: string; up: boolean }>;
  probes: Array<{ name: string; ok: boolean; latencyMs: number; status: number | null }>;
  tmux: Array<{ name: string; socket: string; attached: boolean }>;
  gaps: string[];
}

/**
 * The charts' columns and the incidents per range, kept until history.jsonl or the registry changes (a cycle every
 * few minutes) or the minute turns: page views and refreshes in between read no file. One per server.
 */
export class DashboardCache {
  private readonly entries = new Map<Range, { key: string; series: HistorySeries; window: IncidentWindow }>();

  async get(
    paths: StatePaths,
    range: Range,
    fromMs: number,
    toMs: number,
    cores: number | null,
  ): Promise<{ series: HistorySeries; window: IncidentWindow }> {
    const stamp = (path: string): string => {
      try {
        const st = statSync(path);
        return `${st.size}:${st.mtimeMs}`;
      } catch {
        return '-';
      }
    };
    const key = `${stamp(paths.history)}|${stamp(paths.registry)}|${Math.floor(toMs / 60_000)}|${cores}`;
    const hit = this.entries.get(range);
    if (hit?.key === key) return hit;
    const [series, window] = await Promise.all([
      readHistory(paths.history, fromMs, toMs + 60_000, cores),
      incidentsInWindow(paths.registry, fromMs, toMs + 60_000),
    ]);
    this.entries.set(range, { key, series, window });
    return { series, window };
  }
}

export async function dashboardData(
  paths: StatePaths,
  intervalSec: number,
  range: Range,
  now: Date,
  cache: DashboardCache = new DashboardCache(),
): Promise<DashboardData> {
  const state = readServeState(paths, intervalSec, now);
  const s = state.snapshot;
  const toMs = now.getTime();
  const fromMs = toMs - RANGES[range];
  const { series, window } = await cache.get(paths, range, fromMs, toMs, s?.cpu?.cores ?? null);
  const f = state.freshness;
  const openNow = new Set(state.openIncidents.map((i) => i.identity));
  return {
    generatedAt: now.toISOString(),
    host: s?.host ?? null,
    range,
    from: Math.round(fromMs / 1000),
    to: Math.round(toMs / 1000),
    freshness: {
      verdict: f.verdict,
      line: f.line,
      ageSec: f.ageSec === null ? null : Math.round(f.ageSec),
      lastAttemptAt: f.lastAttemptAt,
    },
    intervalSec,
    now: s
      ? {
          ts: s.ts,
          memory: s.memory
            ? {
                usedPct: s.memory.usedPct,
                effectivePct: s.memory.effectivePct,
                totalBytes: s.memory.totalBytes,
                cgroupPct: s.memory.cgroup?.usedPct ?? null,
              }
            : null,
          swap: s.swap
            ? {
                usedPct: s.swap.usedPct,
                totalBytes: s.swap.totalBytes,
                inBps: s.swap.inBytesPerSec,
                outBps: s.swap.outBytesPerSec,
              }
            : null,
          cpu: s.cpu
            ? {
                utilPct: s.cpu.utilPct,
                load1: s.cpu.load1,
                load5: s.cpu.load5,
                load15: s.cpu.load15,
                cores: s.cpu.cores,
              }
            : null,
          disks: (s.disks ?? []).map((d) => ({
            mount: d.mount,
            usedPct: d.usedPct,
            availBytes: d.availBytes,
            inodesPct: d.inodesPct,
          })),
          services: (s.services ?? []).map((u) => ({
            unit: u.unit,
            state: `${u.activeState}/${u.subState}`,
            up: u.activeState === 'active',
          })),
          probes: (s.probes ?? []).map((p) => ({ name: p.name, ok: p.ok, latencyMs: p.latencyMs, status: p.status })),
          tmux: (s.tmux ?? []).map((t) => ({ name: t.name, socket: t.socket, attached: t.attached })),
          gaps: s.gaps.map((g) => g.collector),
        }
      : null,
    openIncidents: state.openIncidents.map((i) => ({
      identity: i.identity,
      severity: i.severity ?? 'unknown',
      openedAt: i.openedAt ?? null,
    })),
    series,
    // An incident the registry never saw resolve but incidents.json no longer holds (state reset, a lost record)
    // is not open: its span ends at its last record.
    incidents: window.incidents.map((i) =>
      i.resolvedAt === null && !openNow.has(i.identity) ? { ...i, resolvedAt: i.lastSeenAt } : i,
    ),
    recurring: window.recurring,
    fleet: readFleetView(paths.fleetGroups, paths.fleetHosts),
    approvals: pendingApprovals(paths.stateDir, now),
  };
}
