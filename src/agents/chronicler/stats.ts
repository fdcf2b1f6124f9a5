// Registry statistics for dashboards (ARG-009): counts by type, severity, action and result; rates; hourly and daily buckets.
import { z } from 'zod';
import { forEachRecordInWindow } from '../../state/registry-window.js';
import { BoundedMap, TimeKeys, cmp, increment, parseAction, round, sortedRecord } from './util.js';

const BucketSchema = z.object({
  key: z.string(),
  detections: z.number().int(),
  incidents: z.number().int(),
  actions: z.number().int(),
});
export type Bucket = z.infer<typeof BucketSchema>;

export const StatsSchema = z.object({
  since: z.string(),
  until: z.string().nullable(),
  records: z.number().int(),
  detections: z.number().int(),
  incidents: z.number().int(),
  by_type: z.record(z.string(), z.number().int()),
  by_severity: z.record(z.string(), z.number().int()),
  by_type_severity: z.array(z.object({ type: z.string(), severity: z.string(), count: z.number().int() })),
  incidents_by_type: z.record(z.string(), z.number().int()),
  actions: z.array(z.object({ action: z.string(), result: z.string(), source: z.string(), count: z.number().int() })),
  success_rates: z.array(
    z.object({
      action: z.string(),
      success: z.number().int(),
      failure: z.number().int(),
      success_pct: z.number().nullable(),
    }),
  ),
  hourly: z.array(BucketSchema),
  daily: z.array(BucketSchema),
});
export type Stats = z.infer<typeof StatsSchema>;

export interface StatsInput {
  registryPath: string;
  since: Date;
  until?: Date;
  /** Cap on distinct keys per map (memory stays bounded). */
  maxKeys?: number;
}

/** One streaming pass over the registry. Detections count as problems (the seed's one-line-per-detection registry). */
export async function stats(input: StatsInput): Promise<Stats> {
  const from = input.since.getTime();
  const to = input.until?.getTime() ?? Number.POSITIVE_INFINITY;
  const max = input.maxKeys ?? 10_000;
  const byType: Record<string, number> = {};
  const bySeverity: Record<string, number> = {};
  const typeSeverity: Record<string, number> = {};
  const incidentsByType: Record<string, number> = {};
  const actions = new BoundedMap<string, number>(max);
  const hourly = new BoundedMap<string, Bucket>(max);
  const daily = new BoundedMap<string, Bucket>(max);
  const keys = new TimeKeys();
  let detections = 0;
  let incidents = 0;

  // The buckets of the previous record's hour and day: records come in time order, so nearly always these again.
  let hourKey = '';
  let dayKey = '';
  let buckets: Array<Bucket | undefined> = [];

  const records = await forEachRecordInWindow(input.registryPath, from, to, (r, ms) => {
    const hour = keys.hour(ms);
    const day = keys.day(ms);
    if (hour !== hourKey || day !== dayKey) {
      [hourKey, dayKey] = [hour, day];
      buckets = [hourly.upsert(hour, () => bucket(hour)), daily.upsert(day, () => bucket(day))];
    }
    if (r.kind === 'detection') {
      detections++;
      increment(byType, r.type);
      increment(bySeverity, r.severity);
      increment(typeSeverity, `${r.type}\u0000${r.severity}`);
      for (const b of buckets) if (b) b.detections++;
    }
    if (r.kind === 'transition' && r.details.transition === 'opened') {
      incidents++;
      increment(incidentsByType, r.type);
      for (const b of buckets) if (b) b.incidents++;
    }
    if (r.action_taken && (r.kind === 'action' || (r.kind === 'detection' && r.action_result))) {
      const key = `${parseAction(r.action_taken).action}\u0000${r.action_result ?? 'unknown'}\u0000${r.source}`;
      const n = actions.upsert(key, () => 0);
      if (n !== undefined) actions.map.set(key, n + 1);
      for (const b of buckets) if (b) b.actions++;
    }
  });

  const actionRows = [...actions.map.entries()]
    .map(([k, count]) => {
      const [action = '', result = '', source = ''] = k.split('\u0000');
      return { action, result, source, count };
    })
    .sort((a, b) => cmp(a.action, b.action) || cmp(a.result, b.result) || cmp(a.source, b.source));
  const rates = new Map<string, { success: number; failure: number }>();
  for (const a of actionRows) {
    const r = rates.get(a.action) ?? { success: 0, failure: 0 };
    if (a.result === 'success') r.success += a.count;
    if (a.result === 'failure') r.failure += a.count;
    rates.set(a.action, r);
  }
  return {
    since: input.since.toISOString(),
    until: input.until?.toISOString() ?? null,
    records,
    detections,
    incidents,
    by_type: sortedRecord(byType),
    by_severity: sortedRecord(bySeverity),
    by_type_severity: Object.entries(typeSeverity)
      .map(([k, count]) => {
        const [type = '', severity = ''] = k.split('\u0000');
        return { type, severity, count };
      })
      .sort((a, b) => cmp(a.type, b.type) || cmp(a.severity, b.severity)),
    incidents_by_type: sortedRecord(incidentsByType),
    actions: actionRows,
    success_rates: [...rates.entries()]
      .sort((a, b) => cmp(a[0], b[0]))
      .map(([action, r]) => ({
        action,
        ...r,
        success_pct: r.success + r.failure ? round((100 * r.success) / (r.success + r.failure), 1) : null,
      })),
    hourly: [...hourly.map.values()].sort((a, b) => cmp(a.key, b.key)),
    daily: [...daily.map.values()].sort((a, b) => cmp(a.key, b.key)),
  };
}

function bucket(key: string): Bucket {
  return { key, detections: 0, incidents: 0, actions: 0 };
}
