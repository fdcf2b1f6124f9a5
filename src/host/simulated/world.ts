// The simulated machine: its starting description (zod, as written in a scenario) and the mutable state it becomes.
import { z } from 'zod';

const MB = 1024 * 1024;
const GB = 1024 * MB;

export const SimServiceSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9:_.@-]{1,200}$/),
  /** active; failed (crashed); stopped (an administrator stopped it: inactive, Result=success); missing (not-found). */
  state: z.enum(['active', 'failed', 'stopped', 'missing']).default('active'),
  /** Whether `systemctl restart` brings it back. */
  revives: z.boolean().default(true),
});

export const SimProcessSchema = z.strictObject({
  pid: z.number().int().min(3).max(4_194_304),
  ppid: z.number().int().min(0).default(1),
  comm: z.string().min(1).max(15),
  /** argv joined by single spaces (as ps shows it). */
  cmdline: z.string().min(1),
  rssMB: z.number().min(0).default(50),
  swapMB: z.number().min(0).default(0),
  /** Minutes it has been running when it appears. */
  ageMin: z.number().min(0).default(60),
  /** Grows by this many MB per minute (a leak). */
  leakMBPerMin: z.number().default(0),
  /** Ignores SIGTERM (only SIGKILL ends it). */
  ignoresTerm: z.boolean().default(false),
  /** Runs in its own cgroup with this memory limit (a unit's MemoryMax), MB. */
  cgroupLimitMB: z.number().positive().optional(),
});

export const SimFileSchema = z.strictObject({
  /** Safelist directory of the disk: tmp, var/tmp or var/log (rotated logs must be named *.log.N.gz). */
  dir: z.enum(['tmp', 'var/tmp', 'var/log']).default('tmp'),
  /** Nested directories below `dir` (created, as old as the file). */
  subdir: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}(\/[A-Za-z0-9._-]{1,64}){0,7}$/)
    .optional(),
  name: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/),
  /**
   * file (sparse, sizeMB); fifo (a special file, never removed); symlink-outside: a symlink to an old victim file outside
   * the safelist (victims/<name>), the link a racer or a careless user leaves — the victim must survive.
   */
  kind: z.enum(['file', 'fifo', 'symlink-outside']).default('file'),
  sizeMB: z.number().min(0),
  ageDays: z.number().min(0),
});

export const SimDiskSchema = z.strictObject({
  mount: z.string().regex(/^\/[A-Za-z0-9._/-]*$/),
  sizeGB: z.number().positive(),
  /** Used space outside the listed files, GB (the listed files add to it). */
  usedGB: z.number().min(0),
  fillGBPerHour: z.number().default(0),
  files: z.array(SimFileSchema).default([]),
});

export const SimTmuxSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/),
  windows: z.number().int().min(1).default(1),
});

export const WorldSpecSchema = z.strictObject({
  memTotalMB: z.number().positive().default(16_384),
  /** Memory in use that no listed process accounts for (kernel, caches that cannot be dropped), MB. */
  baseUsedMB: z.number().min(0).default(1024),
  swapTotalMB: z.number().min(0).default(4096),
  cores: z.number().int().min(1).default(2),
  /** CPU utilisation, percent of all cores. */
  cpuPct: z.number().min(0).max(100).default(5),
  load1: z.number().min(0).default(0.3),
  /** Swap-in and swap-out rates, MB/s. */
  swapInMBps: z.number().min(0).default(0),
  swapOutMBps: z.number().min(0).default(0),
  services: z.array(SimServiceSchema).default([]),
  processes: z.array(SimProcessSchema).default([]),
  disks: z.array(SimDiskSchema).default([{ mount: '/', sizeGB: 100, usedGB: 40, fillGBPerHour: 0, files: [] }]),
  tmux: z.array(SimTmuxSchema).default([]),
  /** A Telegram chat the alerts go to (a simulated Bot API at https://telegram.sim); up at the start. Off: alerts are logged. */
  telegram: z.boolean().default(false),
  /** HTTP probe answers by URL (status code; 0 = connection refused). Unlisted URLs answer 200. */
  probes: z.record(z.string(), z.number().int().min(0).max(599)).default({}),
});
export type WorldSpec = z.infer<typeof WorldSpecSchema>;
export type SimServiceSpec = z.infer<typeof SimServiceSchema>;
export type SimProcessSpec = z.infer<typeof SimProcessSchema>;
export type SimFileSpec = z.input<typeof SimFileSchema>;

export interface SimService {
  name: string;
  state: 'active' | 'failed' | 'stopped' | 'missing';
  revives: boolean;
  nRestarts: number;
  invocation: number;
  activeSinceMs: number;
  /** Restarts asked of systemctl (what the world saw Argus do). */
  restartsAsked: number;
}

export interface SimProcess {
  pid: number;
  ppid: number;
  comm: string;
  argv: string[];
  rssBytes: number;
  swapBytes: number;
  startMs: number;
  leakBytesPerMin: number;
  ignoresTerm: boolean;
  ticks: number;
  /** Its own cgroup's memory limit (null: none of its own). */
  cgroupLimitBytes: number | null;
}

export interface SimFile {
  dir: string;
  name: string;
  /** Real path of the (sparse) file under the sim root. */
  path: string;
  sizeBytes: number;
}

export interface SimDisk {
  mount: string;
  sizeBytes: number;
  otherUsedBytes: number;
  fillBytesPerMin: number;
  files: SimFile[];
}

/** The live machine. The simulated host reads and changes it; the timeline changes it between cycles. */
export interface World {
  memTotalBytes: number;
  baseUsedBytes: number;
  swapTotalBytes: number;
  cores: number;
  cpuPct: number;
  load1: number;
  swapInBytesPerSec: number;
  swapOutBytesPerSec: number;
  services: Map<string, SimService>;
  processes: Map<number, SimProcess>;
  disks: SimDisk[];
  tmux: Map<string, { name: string; windows: number; createdMs: number }>;
  probes: Record<string, number>;
  /** The simulated chat: whether its Bot API answers, and every message it accepted (the sim time and the text). */
  telegram: { up: boolean; messages: Array<{ atMs: number; text: string }> } | null;
  /** Cumulative counters (/proc/stat, /proc/vmstat). */
  counters: { cpuTotal: number; cpuIdle: number; pswpin: number; pswpout: number };
  /** Processes signalled by Argus (pid → signal), for reports. */
  killed: Array<{ pid: number; comm: string; signal: string; atMs: number }>;
}

export const unitOf = (name: string): string => (/\.[a-z]+$/.test(name) ? name : `${name}.service`);

export function toProcess(p: SimProcessSpec, nowMs: number): SimProcess {
  return {
    pid: p.pid,
    ppid: p.ppid,
    comm: p.comm,
    argv: p.cmdline.split(' ').filter(Boolean),
    rssBytes: p.rssMB * MB,
    swapBytes: p.swapMB * MB,
    startMs: nowMs - p.ageMin * 60_000,
    leakBytesPerMin: p.leakMBPerMin * MB,
    ignoresTerm: p.ignoresTerm,
    ticks: 100,
    cgroupLimitBytes: p.cgroupLimitMB === undefined ? null : p.cgroupLimitMB * MB,
  };
}

export function toService(s: SimServiceSpec, nowMs: number): SimService {
  return {
    name: unitOf(s.name),
    state: s.state,
    revives: s.revives,
    nRestarts: 0,
    invocation: 1,
    activeSinceMs: nowMs - 3_600_000,
    restartsAsked: 0,
  };
}

/** The world at t = 0 (files are created on disk by the host, which knows the root). */
export function createWorld(spec: WorldSpec, nowMs: number): World {
  return {
    memTotalBytes: spec.memTotalMB * MB,
    baseUsedBytes: spec.baseUsedMB * MB,
    swapTotalBytes: spec.swapTotalMB * MB,
    cores: spec.cores,
    cpuPct: spec.cpuPct,
    load1: spec.load1,
    swapInBytesPerSec: spec.swapInMBps * MB,
    swapOutBytesPerSec: spec.swapOutMBps * MB,
    services: new Map(spec.services.map((s) => [unitOf(s.name), toService(s, nowMs)])),
    processes: new Map(spec.processes.map((p) => [p.pid, toProcess(p, nowMs)])),
    disks: spec.disks.map((d) => ({
      mount: d.mount,
      sizeBytes: d.sizeGB * GB,
      otherUsedBytes: d.usedGB * GB,
      fillBytesPerMin: (d.fillGBPerHour * GB) / 60,
      files: [],
    })),
    tmux: new Map(spec.tmux.map((t) => [t.name, { name: t.name, windows: t.windows, createdMs: nowMs - 3_600_000 }])),
    probes: { ...spec.probes },
    telegram: spec.telegram ? { up: true, messages: [] } : null,
    counters: { cpuTotal: 1_000_000, cpuIdle: 950_000, pswpin: 0, pswpout: 0 },
    killed: [],
  };
}

export function memoryUsedBytes(w: World): number {
  let used = w.baseUsedBytes;
  for (const p of w.processes.values()) used += p.rssBytes;
  return Math.min(used, w.memTotalBytes);
}

export function swapUsedBytes(w: World): number {
  let used = 0;
  for (const p of w.processes.values()) used += p.swapBytes;
  return Math.min(used, w.swapTotalBytes);
}

/** Advance continuous processes (leaks, disk fill, CPU and swap counters) by `minutes`. */
export function advanceWorld(w: World, minutes: number): void {
  if (minutes <= 0) return;
  for (const p of w.processes.values()) {
    p.rssBytes = Math.max(0, p.rssBytes + p.leakBytesPerMin * minutes);
    p.ticks += Math.round(((w.cpuPct / 100) * w.cores * 100 * minutes * 60) / Math.max(1, w.processes.size));
  }
  for (const d of w.disks) d.otherUsedBytes = Math.max(0, d.otherUsedBytes + d.fillBytesPerMin * minutes);
  const ticks = w.cores * 100 * 60 * minutes;
  w.counters.cpuTotal += ticks;
  w.counters.cpuIdle += Math.round(ticks * (1 - w.cpuPct / 100));
  w.counters.pswpin += Math.round((w.swapInBytesPerSec * 60 * minutes) / 4096);
  w.counters.pswpout += Math.round((w.swapOutBytesPerSec * 60 * minutes) / 4096);
}
