// A compact view of a Snapshot for a prompt: the numbers that matter, the top consumers, what is down. Host text inside.
import type { ProcessInfo, Snapshot } from '../model/snapshot.js';

const MB = 1024 * 1024;
const proc = (p: ProcessInfo) => ({
  pid: p.pid,
  comm: p.comm,
  cmdline: p.cmdline.slice(0, 200),
  rssMB: Math.round(p.rssBytes / MB),
  memPct: p.memPct,
  cpuPct: p.cpuPct,
  swapMB: Math.round(p.swapBytes / MB),
  ageSec: p.ageSec,
});

/** Put it in a host_data block (hostJson): process names, command lines and unit names come from the host. */
export function summarizeSnapshot(s: Snapshot, top = 5): Record<string, unknown> {
  return {
    ts: s.ts,
    host: s.host,
    memory: s.memory && { usedPct: s.memory.usedPct, effectivePct: s.memory.effectivePct, totalMB: Math.round(s.memory.totalBytes / MB), cgroup: s.memory.cgroup },
    swap: s.swap && { usedPct: s.swap.usedPct, usedMB: Math.round(s.swap.usedBytes / MB), inBytesPerSec: s.swap.inBytesPerSec, outBytesPerSec: s.swap.outBytesPerSec },
    cpu: s.cpu && { cores: s.cpu.cores, utilPct: s.cpu.utilPct, load1: s.cpu.load1, load1PerCore: s.cpu.load1PerCore },
    disks: s.disks?.map((d) => ({ mount: d.mount, usedPct: d.usedPct, availMB: Math.round(d.availBytes / MB), inodesPct: d.inodesPct })) ?? null,
    services: s.services?.map((u) => ({ unit: u.unit, activeState: u.activeState, subState: u.subState, result: u.result, nRestarts: u.nRestarts })) ?? null,
    processes: s.processes && {
      total: s.processes.total,
      topByRss: s.processes.topByRss.slice(0, top).map(proc),
      topByCpu: s.processes.topByCpu.slice(0, top).map(proc),
      topBySwap: s.processes.topBySwap.slice(0, top).map(proc),
      orphans: s.processes.orphans.slice(0, top).map(proc),
    },
    tmux: s.tmux?.map((t) => ({ name: t.name, windows: t.windows, attached: t.attached })) ?? null,
    failingProbes: s.probes?.filter((p) => !p.ok).map((p) => ({ name: p.name, status: p.status, error: p.error })) ?? null,
    gaps: s.gaps,
  };
}
