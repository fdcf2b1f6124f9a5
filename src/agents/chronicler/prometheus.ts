// Argus in the Prometheus text exposition format: one renderer for `argus serve` /metrics, `argus stats --prometheus`
// and the node_exporter textfile. Names follow the Prometheus naming guide (base units, `_total` only on counters,
// ratios 0–1) and pass `promtool check metrics`.
import { join } from 'node:path';
import type { Snapshot } from '../../model/snapshot.js';
import type { RegistryCounters } from './counters.js';
import { writeTextAtomic } from './write-atomic.js';

type Labels = Record<string, string>;

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: Array<{ labels: Labels; value: number }>;
}

/** The last cycle as cycle_state.json, self_health.json and the freshness verdict tell it. */
export interface LastCycle {
  /** When the last attempt finished (ok or not), ISO; null when none ran. */
  at: string | null;
  ok: boolean | null;
  durationMs: number | null;
  consecutiveFailures: number;
  /** Recent and worked: the verdict of /healthz and `argus status --check`. */
  fresh: boolean;
  total: number;
}

/** Everything the metrics are made from: state files only, never a collection. */
export interface MetricsInput {
  snapshot: Snapshot | null;
  lastCycle: LastCycle;
  counters: RegistryCounters;
  /** Open incidents (incidents.json), by severity. */
  openIncidents: ReadonlyArray<{ severity?: string | undefined }>;
  /** Model use so far (llm_state.json), null when no model was ever called. */
  llm: { total_calls: number; total_cost_usd: number } | null;
}

/** Escape a label value: backslash, double quote and newline (the text format's rules). */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k]!)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function formatValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  return String(n);
}

/** Families in the given order, samples sorted; a family without samples is left out; one sample per label set. */
export function renderFamilies(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`);
    const rows = new Map<string, string>();
    for (const x of f.samples) {
      const labels = formatLabels(x.labels);
      if (!rows.has(labels)) rows.set(labels, `${f.name}${labels} ${formatValue(x.value)}`);
    }
    lines.push(...[...rows.values()].sort());
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

const one = (value: number | null | undefined): MetricFamily['samples'] =>
  value === null || value === undefined ? [] : [{ labels: {}, value }];
const g = (name: string, help: string, samples: MetricFamily['samples']): MetricFamily => ({
  name,
  help,
  type: 'gauge',
  samples,
});
const c = (name: string, help: string, samples: MetricFamily['samples']): MetricFamily => ({
  name,
  help,
  type: 'counter',
  samples,
});
const seconds = (iso: string | null | undefined): number | null => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms / 1000 : null;
};
const ratio = (pct: number | null | undefined): number | null => (pct === null || pct === undefined ? null : pct / 100);

/** The host as the last snapshot saw it (gauges; nothing when no snapshot exists). */
export function hostFamilies(s: Snapshot | null): MetricFamily[] {
  if (!s) return [];
  const disks = s.disks ?? [];
  const dl = (d: (typeof disks)[number]): Labels => ({ mount: d.mount, device: d.device, fstype: d.fstype });
  const m = s.memory;
  return [
    g('argus_snapshot_timestamp_seconds', 'When the last snapshot was taken, Unix time.', one(seconds(s.ts))),
    g(
      'argus_snapshot_collect_duration_seconds',
      'How long collecting the last snapshot took.',
      one(s.collectMs / 1000),
    ),
    g('argus_snapshot_gaps', 'Collectors that failed in the last snapshot.', one(s.gaps.length)),
    g('argus_memory_total_bytes', 'Host memory.', one(m?.totalBytes)),
    g('argus_memory_available_bytes', 'Host memory available (MemAvailable).', one(m?.availableBytes)),
    g('argus_memory_used_ratio', 'Host memory in use, 0 to 1.', one(ratio(m?.usedPct))),
    g(
      'argus_memory_effective_used_ratio',
      'The tighter of host and cgroup memory use, 0 to 1: what decides when the OOM killer comes.',
      one(ratio(m?.effectivePct)),
    ),
    g('argus_cgroup_memory_limit_bytes', "Argus's cgroup memory limit.", one(m?.cgroup?.limitBytes)),
    g('argus_cgroup_memory_usage_bytes', "Argus's cgroup memory usage.", one(m?.cgroup?.usageBytes)),
    g('argus_swap_total_bytes', 'Swap space.', one(s.swap?.totalBytes)),
    g('argus_swap_used_bytes', 'Swap space in use.', one(s.swap?.usedBytes)),
    g('argus_swap_io_bytes_per_second', 'Swap traffic over the last interval, by direction.', [
      ...(s.swap?.inBytesPerSec == null ? [] : [{ labels: { direction: 'in' }, value: s.swap.inBytesPerSec }]),
      ...(s.swap?.outBytesPerSec == null ? [] : [{ labels: { direction: 'out' }, value: s.swap.outBytesPerSec }]),
    ]),
    g(
      'argus_disk_size_bytes',
      'Filesystem size (used + available to users).',
      disks.map((d) => ({ labels: dl(d), value: d.usedBytes + d.availBytes })),
    ),
    g(
      'argus_disk_used_bytes',
      'Filesystem space in use.',
      disks.map((d) => ({ labels: dl(d), value: d.usedBytes })),
    ),
    g(
      'argus_disk_avail_bytes',
      'Filesystem space available to users.',
      disks.map((d) => ({ labels: dl(d), value: d.availBytes })),
    ),
    g(
      'argus_disk_inodes',
      'Filesystem inodes.',
      disks.map((d) => ({ labels: dl(d), value: d.inodesTotal })),
    ),
    g(
      'argus_disk_inodes_used',
      'Filesystem inodes in use.',
      disks.map((d) => ({ labels: dl(d), value: d.inodesUsed })),
    ),
    g('argus_cpu_cores', 'CPU cores.', one(s.cpu?.cores)),
    g('argus_cpu_utilization_ratio', 'CPU busy over the last interval, 0 to 1.', one(ratio(s.cpu?.utilPct))),
    g('argus_load1', 'Load average over 1 minute.', one(s.cpu?.load1)),
    g('argus_load5', 'Load average over 5 minutes.', one(s.cpu?.load5)),
    g('argus_load15', 'Load average over 15 minutes.', one(s.cpu?.load15)),
    g('argus_uptime_seconds', 'Time since the host booted.', one(s.cpu?.uptimeSec)),
    g(
      'argus_service_up',
      'A watched systemd unit is active (1) or not (0).',
      (s.services ?? []).map((u) => ({ labels: { unit: u.unit }, value: u.activeState === 'active' ? 1 : 0 })),
    ),
    c(
      'argus_service_restarts_total',
      "A watched unit's restarts as systemd counts them (NRestarts).",
      (s.services ?? []).map((u) => ({ labels: { unit: u.unit }, value: u.nRestarts })),
    ),
    g(
      'argus_probe_up',
      'An HTTP probe answered as expected (1) or not (0).',
      (s.probes ?? []).map((p) => ({ labels: { probe: p.name }, value: p.ok ? 1 : 0 })),
    ),
    g(
      'argus_probe_duration_seconds',
      "An HTTP probe's latency.",
      (s.probes ?? []).map((p) => ({ labels: { probe: p.name }, value: p.latencyMs / 1000 })),
    ),
    g('argus_tmux_sessions', 'tmux sessions, by socket.', tmuxBySocket(s)),
    g('argus_processes', 'Processes on the host.', one(s.processes?.total)),
    g(
      'argus_orphan_processes',
      'Processes matching the orphan pattern whose parent is gone.',
      one(s.processes?.orphans.length),
    ),
  ];
}

function tmuxBySocket(s: Snapshot): MetricFamily['samples'] {
  if (!s.tmux) return [];
  const n = new Map<string, number>();
  for (const t of s.tmux) n.set(t.socket, (n.get(t.socket) ?? 0) + 1);
  return [...n].map(([socket, value]) => ({ labels: { socket }, value }));
}

const split = (key: string): string[] => key.split('\u0000');

/** Argus itself: the last cycle, open incidents, and counters over the retained registry. */
export function argusFamilies(input: Omit<MetricsInput, 'snapshot'>): MetricFamily[] {
  const { lastCycle: last, counters } = input;
  const bySeverity = new Map<string, number>();
  for (const i of input.openIncidents)
    bySeverity.set(i.severity ?? 'unknown', (bySeverity.get(i.severity ?? 'unknown') ?? 0) + 1);
  for (const s of ['info', 'warning', 'critical']) if (!bySeverity.has(s)) bySeverity.set(s, 0);
  return [
    g(
      'argus_last_cycle_timestamp_seconds',
      'When the last cycle finished (ok or not), Unix time: alert when it stops moving.',
      one(seconds(last.at)),
    ),
    g(
      'argus_last_cycle_success',
      'The last cycle worked (1) or failed (0).',
      one(last.ok === null ? null : last.ok && last.consecutiveFailures === 0 ? 1 : 0),
    ),
    g(
      'argus_last_cycle_duration_seconds',
      'How long the last cycle took.',
      one(last.durationMs === null ? null : last.durationMs / 1000),
    ),
    g(
      'argus_cycle_fresh',
      'The last cycle is recent and worked (1), the same verdict as /healthz and `argus status --check`.',
      one(last.fresh ? 1 : 0),
    ),
    g('argus_cycle_consecutive_failures', 'Cycles in a row that failed.', one(last.consecutiveFailures)),
    c('argus_cycles_total', 'Cycles run (cycle_state.json).', one(last.total)),
    g(
      'argus_incidents_open',
      'Open incidents, by severity.',
      [...bySeverity].map(([severity, value]) => ({ labels: { severity }, value })),
    ),
    c('argus_registry_records_total', 'Registry records read (every retained month).', one(counters.records)),
    c(
      'argus_detections_total',
      'Findings recorded, by type and severity.',
      [...counters.detections].map(([k, value]) => {
        const [type = '', severity = ''] = split(k);
        return { labels: { type, severity }, value };
      }),
    ),
    c(
      'argus_incidents_opened_total',
      'Incidents opened, by type.',
      [...counters.opened].map(([type, value]) => ({ labels: { type }, value })),
    ),
    c(
      'argus_incidents_resolved_total',
      'Incidents resolved, by type.',
      [...counters.resolved].map(([type, value]) => ({ labels: { type }, value })),
    ),
    c(
      'argus_actions_total',
      'Attempts at the seven actions (alerts and beads included), by action, result and source.',
      [...counters.actions].map(([k, value]) => {
        const [action = '', result = '', source = ''] = split(k);
        return { labels: { action, result, source }, value };
      }),
    ),
    c('argus_model_calls_total', 'Model (Claude) calls made.', one(input.llm?.total_calls ?? 0)),
    c('argus_model_cost_usd_total', 'Estimated model cost so far, US dollars.', one(input.llm?.total_cost_usd ?? 0)),
  ];
}

/** The whole exposition: the host, then Argus. */
export function renderMetrics(input: MetricsInput): string {
  return renderFamilies([...hostFamilies(input.snapshot), ...argusFamilies(input)]);
}

/** Write `<dir>/argus.prom` atomically (temp file + rename); returns the path written. */
export function writeTextfile(dir: string, text: string): string {
  const path = join(dir, 'argus.prom');
  writeTextAtomic(path, text);
  return path;
}
