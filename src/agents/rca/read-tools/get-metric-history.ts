// get_metric_history: one metric over time from history.jsonl, downsampled, with min/max/avg/last.
import { z } from 'zod';
import { HistoryPointSchema, type HistoryPoint } from '../../../model/history.js';
import { readJsonl } from '../../../state/jsonl.js';
import { defineTool, READ_ONLY } from '../../../tools/define.js';
import { ToolError, type ToolDef } from '../../../tools/tool.js';
import type { ReadToolDeps } from './deps.js';
import { SinceSchema, sinceMs } from './since.js';

const METRICS = [
  'mem_pct',
  'swap_pct',
  'swap_in_bps',
  'swap_out_bps',
  'cpu_pct',
  'load1',
  'disk_pct',
  'disk_used',
  'findings',
  'duration_ms',
] as const;
type Metric = (typeof METRICS)[number];

const InputSchema = z.strictObject({
  metric: z
    .enum(METRICS)
    .describe(
      'mem_pct, swap_pct, swap_in_bps, swap_out_bps, cpu_pct, load1, disk_pct, disk_used (bytes), findings, duration_ms.',
    ),
  since: SinceSchema.default('24h'),
  mount: z.string().min(1).max(4096).default('/').describe('For disk_pct / disk_used: the mount point.'),
  max_points: z.number().int().min(2).max(500).default(100).describe('Downsample to at most this many points.'),
});

function valueOf(p: HistoryPoint, metric: Metric, mount: string): number | null {
  switch (metric) {
    case 'disk_pct':
      return p.disks[mount] ?? null;
    case 'disk_used':
      return p.disk_used?.[mount] ?? null;
    default:
      return p[metric];
  }
}

export function getMetricHistoryTool(deps: ReadToolDeps): ToolDef {
  return defineTool({
    name: 'get_metric_history',
    title: 'Metric history',
    description:
      'How one metric moved over time (one point per monitoring cycle, from history.jsonl): memory %, swap % and swap I/O, ' +
      'CPU %, load, disk % or bytes used for a mount, findings per cycle, cycle duration. Returns downsampled points and ' +
      'min/max/avg/last, to tell a trend (a leak, a disk filling) from a spike. Read-only.',
    input: InputSchema,
    annotations: { title: 'Metric history', ...READ_ONLY },
    async run(input) {
      const from = sinceMs(input.since, deps.host.now());
      if (from === null)
        throw new ToolError(`since: expected "24h", "7d" or an ISO timestamp, got ${JSON.stringify(input.since)}`);
      const points: { ts: string; value: number }[] = [];
      for await (const line of readJsonl(deps.paths.history)) {
        const parsed = HistoryPointSchema.safeParse(line);
        if (!parsed.success || Date.parse(parsed.data.ts) < from) continue;
        const value = valueOf(parsed.data, input.metric, input.mount);
        if (value !== null) points.push({ ts: parsed.data.ts, value });
      }
      const values = points.map((p) => p.value);
      return {
        metric: input.metric,
        ...(input.metric.startsWith('disk_') ? { mount: input.mount } : {}),
        count: points.length,
        stats: values.length
          ? {
              min: Math.min(...values),
              max: Math.max(...values),
              avg: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100,
              first: values[0],
              last: values[values.length - 1],
            }
          : null,
        points: downsample(points, input.max_points),
      };
    },
  });
}

/** Every k-th point, always keeping the newest. */
function downsample<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const step = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % step === 0);
  if (out.length >= max) out.length = max - 1;
  out.push(points[points.length - 1]!);
  return out;
}
