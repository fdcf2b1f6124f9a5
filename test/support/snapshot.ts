// Test builder: a healthy Snapshot with overrides, and small builders for its parts.
import type {
  Disk,
  Memory,
  ProcessInfo,
  Processes,
  ProbeResult,
  Service,
  Snapshot,
  Swap,
} from '../../src/model/snapshot.js';

export const GB = 1e9;

export function memory(over: Partial<Memory> = {}): Memory {
  const pct = over.effectivePct ?? over.usedPct ?? 40;
  const totalBytes = 8 * GB;
  return {
    totalBytes,
    availableBytes: totalBytes * (1 - pct / 100),
    usedPct: pct,
    cgroup: null,
    effectivePct: pct,
    ...over,
  };
}

export function swap(over: Partial<Swap> = {}): Swap {
  return { totalBytes: 2 * GB, usedBytes: 0.1 * GB, usedPct: 5, inBytesPerSec: 0, outBytesPerSec: 0, ...over };
}

export function disk(mount: string, usedPct: number, over: Partial<Disk> = {}): Disk {
  const totalBytes = 100 * GB;
  const usedBytes = (totalBytes * usedPct) / 100;
  return {
    mount,
    device: '/dev/sda1',
    fstype: 'ext4',
    totalBytes,
    usedBytes,
    availBytes: totalBytes - usedBytes,
    usedPct,
    inodesTotal: 1_000_000,
    inodesUsed: 100_000,
    inodesPct: 10,
    ...over,
  };
}

export function service(unit: string, over: Partial<Service> = {}): Service {
  return {
    unit,
    loadState: 'loaded',
    activeState: 'active',
    subState: 'running',
    result: 'success',
    nRestarts: 0,
    mainPid: 1234,
    activeEnterTimestamp: 'Thu 2026-02-19 10:00:00 UTC',
    ...over,
  };
}

export function proc(over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid: 4242,
    ppid: 1,
    comm: 'node',
    cmdline: 'node --test',
    rssBytes: 500e6,
    memPct: 6,
    cpuPct: 1,
    swapBytes: 0,
    startTicks: 100_000,
    startedAt: '2026-02-19T09:00:00.000Z',
    ageSec: 3600,
    ...over,
  };
}

export function orphan(over: Partial<ProcessInfo> & { parentComm?: string | null } = {}): Processes['orphans'][number] {
  const { parentComm = null, ...rest } = over;
  return { ...proc(rest), parentComm };
}

export function processes(over: Partial<Processes> = {}): Processes {
  return { total: 120, topByRss: [], topByCpu: [], topBySwap: [], orphans: [], ...over };
}

export function probe(name: string, ok: boolean, over: Partial<ProbeResult> = {}): ProbeResult {
  return {
    name,
    url: `http://127.0.0.1:8080/${name}`,
    ok,
    status: ok ? 200 : 502,
    expectStatus: 200,
    latencyMs: 12,
    error: null,
    ...over,
  };
}

/** A healthy Snapshot at `ts`; every section present unless overridden (null = a collector gap). */
export function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    ts: '2026-02-19T10:00:00.000Z',
    host: 'testhost',
    memory: memory(),
    swap: swap(),
    disks: [disk('/', 50)],
    cpu: { cores: 4, utilPct: 20, load1: 0.5, load5: 0.5, load15: 0.5, load1PerCore: 0.125, uptimeSec: 86_400 },
    services: [service('nginx.service')],
    processes: processes(),
    tmux: [],
    probes: [],
    athena: null,
    self: { pid: 999, stateDir: '/var/lib/argus', stateFreeBytes: 10 * GB, consecutiveFailures: 0 },
    gaps: [],
    collectMs: 5,
    ...over,
  };
}
