// One line of history.jsonl: compact per-cycle metrics for trends, the chronicler and the dashboard.
import { z } from 'zod';

export const HistoryPointSchema = z.object({
  ts: z.string(),
  cycle_id: z.string(),
  mem_pct: z.number().nullable(),
  swap_pct: z.number().nullable(),
  swap_in_bps: z.number().nullable(),
  swap_out_bps: z.number().nullable(),
  cpu_pct: z.number().nullable(),
  load1: z.number().nullable(),
  /** mount → used % */
  disks: z.record(z.string(), z.number()),
  /** mount → used bytes, for time-to-full predictions */
  disk_used: z.record(z.string(), z.number()).optional(),
  /** mount → total bytes */
  disk_total: z.record(z.string(), z.number()).optional(),
  /** Top processes by RSS: `comm:pid` → RSS bytes (leak suspects). */
  top_rss: z.record(z.string(), z.number()).optional(),
  findings: z.number(),
  ok: z.boolean(),
  duration_ms: z.number(),
});
export type HistoryPoint = z.infer<typeof HistoryPointSchema>;
