// The Snapshot: everything one cycle knows about the host. Nothing downstream re-reads the machine.
import { z } from 'zod';

export const MemorySchema = z.object({
  totalBytes: z.number(),
  availableBytes: z.number(),
  /** Host view: (total - MemAvailable) / total. */
  usedPct: z.number(),
  cgroup: z
    .object({
      version: z.union([z.literal(1), z.literal(2)]),
      limitBytes: z.number(),
      usageBytes: z.number(),
      usedPct: z.number(),
    })
    .nullable(),
  /** The tighter of the host and the cgroup view: the one that decides when the OOM killer comes. */
  effectivePct: z.number(),
});
export type Memory = z.infer<typeof MemorySchema>;

export const SwapSchema = z.object({
  totalBytes: z.number(),
  usedBytes: z.number(),
  usedPct: z.number(),
  /** Bytes per second swapped in/out since the previous sample; null on the first sample. */
  inBytesPerSec: z.number().nullable(),
  outBytesPerSec: z.number().nullable(),
});
export type Swap = z.infer<typeof SwapSchema>;

export const DiskSchema = z.object({
  mount: z.string(),
  device: z.string(),
  fstype: z.string(),
  totalBytes: z.number(),
  usedBytes: z.number(),
  availBytes: z.number(),
  /** As df computes it: used / (used + avail), rounded up. */
  usedPct: z.number(),
  inodesTotal: z.number(),
  inodesUsed: z.number(),
  inodesPct: z.number(),
});
export type Disk = z.infer<typeof DiskSchema>;

export const CpuSchema = z.object({
  cores: z.number(),
  /** Busy % over the interval since the previous sample; null on the first sample. */
  utilPct: z.number().nullable(),
  load1: z.number(),
  load5: z.number(),
  load15: z.number(),
  load1PerCore: z.number(),
  uptimeSec: z.number(),
});
export type Cpu = z.infer<typeof CpuSchema>;

export const ServiceSchema = z.object({
  unit: z.string(),
  loadState: z.string(),
  activeState: z.string(),
  subState: z.string(),
  result: z.string(),
  nRestarts: z.number(),
  mainPid: z.number(),
  activeEnterTimestamp: z.string(),
});
export type Service = z.infer<typeof ServiceSchema>;

export const ProcessInfoSchema = z.object({
  pid: z.number(),
  ppid: z.number(),
  comm: z.string(),
  cmdline: z.string(),
  rssBytes: z.number(),
  memPct: z.number(),
  /** Average CPU % since the previous sample (null when the process is new or no sample exists). */
  cpuPct: z.number().nullable(),
  swapBytes: z.number(),
  /** Start time in clock ticks since boot (field 22 of /proc/PID/stat): with the PID, the identity of a process. */
  startTicks: z.number(),
  startedAt: z.string(),
  ageSec: z.number(),
  /** The memory limit of the process's own cgroup, when it has one (read for the top memory users only). */
  cgroupMemory: z.object({ limitBytes: z.number(), usageBytes: z.number(), usedPct: z.number() }).nullable().optional(),
});
export type ProcessInfo = z.infer<typeof ProcessInfoSchema>;

export const ProcessesSchema = z.object({
  total: z.number(),
  topByRss: z.array(ProcessInfoSchema),
  topByCpu: z.array(ProcessInfoSchema),
  topBySwap: z.array(ProcessInfoSchema),
  /** Processes matching the orphan pattern whose parent is gone (reparented to PID 1 or a subreaper). */
  orphans: z.array(ProcessInfoSchema.extend({ parentComm: z.string().nullable() })),
});
export type Processes = z.infer<typeof ProcessesSchema>;

export const TmuxSessionSchema = z.object({
  socket: z.string(),
  name: z.string(),
  windows: z.number(),
  createdAt: z.string(),
  attached: z.boolean(),
});
export type TmuxSession = z.infer<typeof TmuxSessionSchema>;

export const ProbeResultSchema = z.object({
  name: z.string(),
  url: z.string(),
  ok: z.boolean(),
  status: z.number().nullable(),
  expectStatus: z.number(),
  latencyMs: z.number(),
  error: z.string().nullable(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;

export const AthenaSchema = z.object({
  dir: z.string(),
  exists: z.boolean(),
  latestFile: z.string().nullable(),
  latestMtime: z.string().nullable(),
  ageSec: z.number().nullable(),
});
export type Athena = z.infer<typeof AthenaSchema>;

export const SelfSchema = z.object({
  pid: z.number(),
  stateDir: z.string(),
  stateFreeBytes: z.number().nullable(),
  consecutiveFailures: z.number(),
});
export type Self = z.infer<typeof SelfSchema>;

export const GapSchema = z.object({ collector: z.string(), error: z.string() });
export type Gap = z.infer<typeof GapSchema>;

export const SnapshotSchema = z.object({
  ts: z.string(),
  host: z.string(),
  /** Each section is null when its collector failed or timed out; `gaps` says why. */
  memory: MemorySchema.nullable(),
  swap: SwapSchema.nullable(),
  disks: z.array(DiskSchema).nullable(),
  cpu: CpuSchema.nullable(),
  services: z.array(ServiceSchema).nullable(),
  processes: ProcessesSchema.nullable(),
  tmux: z.array(TmuxSessionSchema).nullable(),
  probes: z.array(ProbeResultSchema).nullable(),
  athena: AthenaSchema.nullable(),
  self: SelfSchema,
  gaps: z.array(GapSchema),
  collectMs: z.number(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;
