// One compact view of a Snapshot: the numbers that matter, the top consumers, what is down. Used in prompts (inside a
// host_data block) and by get_status (as a tool result). Host text (process names, command lines, unit names, probe
// errors) passes through `text`, so a caller that shows it outside a host_data block can clean it.
import type { ProcessInfo, Snapshot } from './snapshot.js';

const MB = 1024 * 1024;

export interface SummaryOptions {
  /** Processes per top list (default 5). */
  top?: number;
  /** Applied to every piece of host text (default: as it is). */
  text?: (s: string) => string;
  /** Now, for `ageSec` (how old the snapshot is); absent: no age. */
  now?: Date;
}

export function summarizeSnapshot(s: Snapshot, options: SummaryOptions = {}): Record<string, unknown> {
  const top = options.top ?? 5;
  const text = options.text ?? ((t: string) => t);
  const proc = (p: ProcessInfo) => ({
    pid: p.pid,
    comm: text(p.comm),
    cmdline: text(p.cmdline.slice(0, 200)),
    rssMB: Math.round(p.rssBytes / MB),
    memPct: p.memPct,
    cpuPct: p.cpuPct,
    swapMB: Math.round(p.swapBytes / MB),
    ageSec: p.ageSec,
  });
  return {
    ts: s.ts,
    ...(options.now ? { ageSec: Math.round((options.now.getTime() - Date.parse(s.ts)) / 1000) } : {}),
    host: s.host,
    memory: s.memory && {
      usedPct: s.memory.usedPct,
      effectivePct: s.memory.effectivePct,
      totalMB: Math.round(s.memory.totalBytes / MB),
      availableMB: Math.round(s.memory.availableBytes / MB),
      cgroup: s.memory.cgroup,
    },
    swap: s.swap && {
      usedPct: s.swap.usedPct,
      usedMB: Math.round(s.swap.usedBytes / MB),
      inBytesPerSec: s.swap.inBytesPerSec,
      outBytesPerSec: s.swap.outBytesPerSec,
    },
    cpu: s.cpu && { cores: s.cpu.cores, utilPct: s.cpu.utilPct, load1: s.cpu.load1, load1PerCore: s.cpu.load1PerCore },
    disks:
      s.disks?.map((d) => ({
        mount: d.mount,
        usedPct: d.usedPct,
        availMB: Math.round(d.availBytes / MB),
        inodesPct: d.inodesPct,
      })) ?? null,
    // Only what is not running: a healthy unit adds nothing a reader needs.
    services: s.services && {
      total: s.services.length,
      notActive: s.services
        .filter((u) => u.activeState !== 'active')
        .map((u) => ({
          unit: text(u.unit),
          activeState: u.activeState,
          subState: u.subState,
          result: u.result,
          nRestarts: u.nRestarts,
        })),
    },
    processes: s.processes && {
      total: s.processes.total,
      topByRss: s.processes.topByRss.slice(0, top).map(proc),
      topByCpu: s.processes.topByCpu.slice(0, top).map(proc),
      topBySwap: s.processes.topBySwap.slice(0, top).map(proc),
      orphans: s.processes.orphans.slice(0, top).map(proc),
    },
    tmux: s.tmux?.map((t) => ({ name: text(t.name), windows: t.windows, attached: t.attached })) ?? null,
    failingProbes:
      s.probes
        ?.filter((p) => !p.ok)
        .map((p) => ({ name: text(p.name), status: p.status, error: p.error === null ? null : text(p.error) })) ?? null,
    gaps: s.gaps,
  };
}
