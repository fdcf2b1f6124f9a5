// Stats in the Prometheus text exposition format, and an atomic write into a node_exporter textfile-collector dir.
import { join } from 'node:path';
import type { Stats } from './stats.js';
import { writeTextAtomic } from './write-atomic.js';

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  samples: Array<{ labels: Labels; value: number }>;
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

/**
 * Gauges over the stats window (not counters: a sliding window goes down). Deterministic order: families as
 * below, samples sorted by their labels.
 */
export function toPrometheus(s: Stats): string {
  const windowEnd = s.until ? Date.parse(s.until) : null;
  const families: Family[] = [
    {
      name: 'argus_problems_total',
      help: 'Problems detected in the window, by type and severity.',
      samples: s.by_type_severity.map((r) => ({ labels: { type: r.type, severity: r.severity }, value: r.count })),
    },
    {
      name: 'argus_incidents_total',
      help: 'Incidents opened in the window, by type.',
      samples: Object.entries(s.incidents_by_type).map(([type, value]) => ({ labels: { type }, value })),
    },
    {
      name: 'argus_actions_total',
      help: 'Actions attempted in the window, by action, result and source.',
      samples: s.actions.map((a) => ({ labels: { action: a.action, result: a.result, source: a.source }, value: a.count })),
    },
    {
      name: 'argus_action_success_ratio',
      help: 'Share of successful attempts among successes and failures, by action (0 to 1).',
      samples: s.success_rates
        .filter((r) => r.success + r.failure > 0)
        .map((r) => ({ labels: { action: r.action }, value: r.success / (r.success + r.failure) })),
    },
    { name: 'argus_registry_records', help: 'Registry records in the window.', samples: [{ labels: {}, value: s.records }] },
    {
      name: 'argus_stats_window_start_seconds',
      help: 'Start of the stats window, Unix time.',
      samples: [{ labels: {}, value: Date.parse(s.since) / 1000 }],
    },
    ...(windowEnd === null
      ? []
      : [{ name: 'argus_stats_window_end_seconds', help: 'End of the stats window, Unix time.', samples: [{ labels: {}, value: windowEnd / 1000 }] }]),
  ];
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} gauge`);
    const rows = f.samples.map((x) => `${f.name}${formatLabels(x.labels)} ${formatValue(x.value)}`).sort();
    lines.push(...rows);
  }
  return lines.join('\n') + '\n';
}

/** Write `<dir>/argus.prom` atomically (temp file + rename); returns the path written. */
export function writeTextfile(dir: string, text: string): string {
  const path = join(dir, 'argus.prom');
  writeTextAtomic(path, text);
  return path;
}
