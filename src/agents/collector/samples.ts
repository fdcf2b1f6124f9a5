// What the next collection needs to turn counters into rates; the orchestrator persists it between runs.
import { z } from 'zod';

/** At most this many processes are remembered for CPU deltas (the busiest by lifetime ticks are kept). */
export const SAMPLE_PROCS_MAX = 4096;

export const CpuCountersSchema = z.object({
  /** Boot time (btime of /proc/stat): counters from another boot are not compared. */
  btime: z.number(),
  /** Sum of user..steal jiffies of the first /proc/stat line. */
  total: z.number(),
  /** idle + iowait jiffies. */
  idle: z.number(),
});
export type CpuCounters = z.infer<typeof CpuCountersSchema>;

export const SwapIoCountersSchema = z.object({ pswpin: z.number(), pswpout: z.number() });
export type SwapIoCounters = z.infer<typeof SwapIoCountersSchema>;

export const ProcTicksSchema = z.object({
  btime: z.number(),
  /** [pid, startTicks, utime + stime ticks]: pid and start time together identify a process across samples. */
  list: z.array(z.tuple([z.number(), z.number(), z.number()])).max(SAMPLE_PROCS_MAX),
});
export type ProcTicks = z.infer<typeof ProcTicksSchema>;

export const SamplesSchema = z.object({
  /** When the sample was taken, ms since the epoch (host.now()). */
  ts: z.number(),
  cpu: CpuCountersSchema.nullable(),
  swapIo: SwapIoCountersSchema.nullable(),
  procs: ProcTicksSchema.nullable(),
});
export type Samples = z.infer<typeof SamplesSchema>;

/** Seconds between a previous sample and now, or null when there is none or the clock went backwards. */
export function elapsedSec(previous: Samples | null, nowMs: number): number | null {
  if (!previous) return null;
  const sec = (nowMs - previous.ts) / 1000;
  return sec > 0 ? sec : null;
}

/** btime jitters by a second between reads on some kernels; more than that is another boot. */
export function sameBoot(a: number, b: number): boolean {
  return Math.abs(a - b) <= 2;
}
