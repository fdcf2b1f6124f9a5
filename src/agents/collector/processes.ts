// Processes: one pass over /proc/[0-9]*/stat; top consumers by RSS, CPU and swap; orphan candidates.
import { readdirSync } from 'node:fs';
import type { Host } from '../../host/port.js';
import type { ProcessInfo, Processes } from '../../model/snapshot.js';
import { redactSecrets } from '../../model/redact.js';
import { readCgroupMemory } from './cgroup-memory.js';
import { parseSystemStat } from './cpu.js';
import {
  cmdlineText,
  compileOrphanPattern,
  isKernelThread,
  matchesOrphanPattern,
  parseProcStat,
  parseVmSwap,
  type ProcStat,
} from './proc-pid.js';
import {
  CLK_TCK,
  PAGE_SIZE,
  hostPath,
  need,
  parseKbLines,
  readHostText,
  round1,
  tryReadHostText,
  tryReadHostTextSync,
} from './proc-files.js';
import { SAMPLE_PROCS_MAX, elapsedSec, sameBoot, type ProcTicks, type Samples } from './samples.js';

export const TOP_N = 10;
/** Parents that adopt orphans besides PID 1 (PR_SET_CHILD_SUBREAPER: systemd --user, container inits). */
const SUBREAPERS = new Set(['systemd', 'init', 'tini', 'dumb-init', 'docker-init', 'catatonit']);

export interface ProcessesInput {
  previous: Samples | null;
  now: Date;
  orphanPattern: string;
  orphanMinAgeSec: number;
}

interface Row extends ProcStat {
  startedAtMs: number;
  ageSec: number;
  cpuPct: number | null;
  swapBytes: number;
}

function scan(host: Host): ProcStat[] {
  const rows: ProcStat[] = [];
  const buffer = Buffer.allocUnsafe(4096); // a stat line is ~300 bytes
  for (const name of readdirSync(hostPath(host, '/proc'))) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57 || !/^\d+$/.test(name)) continue;
    const text = tryReadHostTextSync(host, `/proc/${name}/stat`, buffer);
    const stat = text === null ? null : parseProcStat(text); // null: it exited between readdir and read
    if (stat) rows.push(stat);
  }
  return rows;
}

/** A process's earlier sample: its start time (with the pid, its identity) and its CPU ticks then. */
interface PriorTicks {
  start: number;
  ticks: number;
}

/**
 * Previous ticks by pid (the start time is compared on lookup: a reused pid is another process), when the previous
 * sample is from this boot. Keyed by number, not a "pid:start" string: two thousand strings a cycle, for nothing.
 */
function previousTicks(previous: Samples | null, btime: number): Map<number, PriorTicks> | null {
  const procs = previous?.procs;
  if (!procs || !sameBoot(procs.btime, btime)) return null;
  const out = new Map<number, PriorTicks>();
  for (const [pid, start, ticks] of procs.list) out.set(pid, { start, ticks });
  return out;
}

function cpuPct(
  p: ProcStat,
  startedAtMs: number,
  nowMs: number,
  previous: Samples | null,
  before: Map<number, PriorTicks> | null,
): number | null {
  const seconds = elapsedSec(previous, nowMs);
  if (seconds === null || !previous) return null;
  const earlier = before?.get(p.pid);
  const prior = earlier?.start === p.startTicks ? earlier.ticks : undefined;
  if (prior !== undefined) return prior <= p.ticks ? round1(((p.ticks - prior) / CLK_TCK / seconds) * 100) : null;
  // Started after the previous sample: its whole life is inside the interval (at least a second, against noise).
  if (startedAtMs > previous.ts) return round1((p.ticks / CLK_TCK / Math.max(1, (nowMs - startedAtMs) / 1000)) * 100);
  return null;
}

function topBy(rows: Row[], key: (r: Row) => number | null): Row[] {
  return rows
    .filter((r) => (key(r) ?? 0) > 0)
    .sort((a, b) => (key(b) ?? 0) - (key(a) ?? 0))
    .slice(0, TOP_N);
}

function sampleOf(rows: Row[], btime: number): ProcTicks {
  const busiest =
    rows.length > SAMPLE_PROCS_MAX ? [...rows].sort((a, b) => b.ticks - a.ticks).slice(0, SAMPLE_PROCS_MAX) : rows;
  return { btime, list: busiest.map((r) => [r.pid, r.startTicks, r.ticks] as [number, number, number]) };
}

/** How many of the top memory users get their cgroup's limit read. */
const CGROUP_READS = 3;

export async function readProcesses(
  host: Host,
  input: ProcessesInput,
): Promise<{ processes: Processes; sample: ProcTicks }> {
  const [meminfoText, statText] = await Promise.all([
    readHostText(host, '/proc/meminfo'),
    readHostText(host, '/proc/stat'),
  ]);
  const meminfo = parseKbLines(meminfoText);
  const memTotal = need(meminfo, 'MemTotal', '/proc/meminfo');
  const swapUsed = (meminfo.get('SwapTotal') ?? 0) - (meminfo.get('SwapFree') ?? 0);
  const btime = parseSystemStat(statText).counters.btime;
  const nowMs = input.now.getTime();
  const stats = scan(host);
  const before = previousTicks(input.previous, btime);

  const byPid = new Map<number, ProcStat>(stats.map((s) => [s.pid, s]));
  const rows: Row[] = [];
  for (const s of stats) {
    if (isKernelThread(s)) continue;
    const startedAtMs = (btime + s.startTicks / CLK_TCK) * 1000;
    rows.push({
      ...s,
      startedAtMs,
      ageSec: Math.max(0, Math.floor((nowMs - startedAtMs) / 1000)),
      cpuPct: cpuPct(s, startedAtMs, nowMs, input.previous, before),
      swapBytes: 0,
    });
  }

  // VmSwap costs one status read per process: only when the host actually has swap in use. Read one at a time into
  // one buffer, like the stat scan: a thousand concurrent promise reads cost twice the CPU (a file handle, an fstat
  // and a thread-pool round trip each) and could run out of file descriptors (EMFILE would read as "no swap").
  if (swapUsed > 0) {
    const buffer = Buffer.allocUnsafe(8192); // a status file is ~1.5 KB
    for (const r of rows) {
      const status = tryReadHostTextSync(host, `/proc/${r.pid}/status`, buffer);
      r.swapBytes = status === null ? 0 : parseVmSwap(status);
    }
  }

  const pattern = compileOrphanPattern(input.orphanPattern);
  const parentComm = (r: Row): string | null => byPid.get(r.ppid)?.comm ?? null;
  const orphanCandidates = rows.filter((r) => {
    if (r.comm !== pattern.comm || r.pid === 1 || r.ageSec < input.orphanMinAgeSec) return false;
    const parent = parentComm(r);
    return r.ppid === 1 || parent === null || SUBREAPERS.has(parent);
  });

  const topByRss = topBy(rows, (r) => r.rssPages);
  const topByCpu = topBy(rows, (r) => r.cpuPct);
  const topBySwap = swapUsed > 0 ? topBy(rows, (r) => r.swapBytes) : [];

  // cmdline (which takes the target's mm lock) is read only for the processes reported.
  const cmdlines = new Map<number, string | null>();
  const wanted = new Set([...topByRss, ...topByCpu, ...topBySwap, ...orphanCandidates].map((r) => r.pid));
  await Promise.all(
    [...wanted].map(async (pid) => cmdlines.set(pid, await tryReadHostText(host, `/proc/${pid}/cmdline`))),
  );

  // A hog's share is stated against the limit that binds it: its own cgroup's (a unit's MemoryMax) when that is tighter
  // than the host. Three files a process, read for the top memory users only.
  const cgroups = new Map<number, ProcessInfo['cgroupMemory']>();
  await Promise.all(
    topByRss.slice(0, CGROUP_READS).map(async (r) => {
      const cg = await readCgroupMemory(host, r.pid).catch(() => null);
      if (cg && cg.limitBytes < memTotal)
        cgroups.set(r.pid, { limitBytes: cg.limitBytes, usageBytes: cg.usageBytes, usedPct: cg.usedPct });
    }),
  );

  const info = (r: Row): ProcessInfo => ({
    pid: r.pid,
    ppid: r.ppid,
    comm: r.comm,
    // Redacted here, where host text enters: every later sink (registry, beads, MCP, Telegram, prompts) sees it clean.
    cmdline: redactSecrets(cmdlineText(cmdlines.get(r.pid) ?? null, r.comm)),
    rssBytes: r.rssPages * PAGE_SIZE,
    memPct: memTotal > 0 ? round1(((r.rssPages * PAGE_SIZE) / memTotal) * 100) : 0,
    cpuPct: r.cpuPct,
    swapBytes: r.swapBytes,
    startTicks: r.startTicks,
    startedAt: new Date(r.startedAtMs).toISOString(),
    ageSec: r.ageSec,
    ...(cgroups.has(r.pid) ? { cgroupMemory: cgroups.get(r.pid) } : {}),
  });

  return {
    processes: {
      total: stats.length,
      topByRss: topByRss.map(info),
      topByCpu: topByCpu.map(info),
      topBySwap: topBySwap.map(info),
      orphans: orphanCandidates
        .filter((r) => matchesOrphanPattern(cmdlines.get(r.pid) ?? '', pattern))
        .map((r) => ({ ...info(r), parentComm: parentComm(r) })),
    },
    sample: sampleOf(rows, btime),
  };
}
