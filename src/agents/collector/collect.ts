// The collector: reads the host into one Snapshot, every reader concurrent and bounded; a failure is a gap.
import type { Config } from '../../config/schema.js';
import type { Host } from '../../host/port.js';
import type { Gap, Snapshot } from '../../model/snapshot.js';
import { readAthena } from './athena.js';
import { bounded, type Outcome } from './bounded.js';
import { readCpu } from './cpu.js';
import { readDisks } from './disks.js';
import { readMemory } from './memory.js';
import { runProbes } from './probes.js';
import { readProcesses } from './processes.js';
import type { Samples } from './samples.js';
import { readSelf } from './self.js';
import { readServices } from './services.js';
import { readSwap } from './swap.js';
import { readTmux } from './tmux.js';

export interface CollectInput {
  host: Host;
  config: Config;
  /** What the previous run returned as `samples` (null on the first run, or when it was lost). */
  previous: Samples | null;
  stateDir: string;
  consecutiveFailures: number;
}

/** Never throws for the host's sake: each section that could not be read is null and named in `gaps`. */
export async function collect(input: CollectInput): Promise<{ snapshot: Snapshot; samples: Samples }> {
  const started = performance.now();
  const { host, config, previous } = input;
  const now = host.now();
  const nowMs = now.getTime();
  const ms = config.collectorTimeoutMs;
  const memoryDir = config.memoryDir;

  const [memory, swap, disks, cpu, services, processes, tmux, probes, athena, self] = await Promise.all([
    bounded(() => readMemory(host), ms),
    bounded(() => readSwap(host, previous, nowMs), ms),
    bounded(() => readDisks(host), ms),
    bounded(() => readCpu(host, previous, nowMs), ms),
    bounded(() => readServices(host, config.services, ms), ms),
    bounded(
      () =>
        readProcesses(host, {
          previous,
          now,
          orphanPattern: config.orphanPattern,
          orphanMinAgeSec: config.orphanMinAgeSec,
        }),
      ms,
    ),
    bounded(() => readTmux(host, config.tmuxSockets, ms), ms),
    bounded(() => runProbes(host, config.probes), ms),
    bounded(async () => (memoryDir === undefined ? null : readAthena(host, memoryDir, now)), ms),
    bounded(() => readSelf(host, input.stateDir, input.consecutiveFailures), ms),
  ]);

  const gaps: Gap[] = [];
  const value = <T>(collector: string, outcome: Outcome<T>): T | null => {
    if (outcome.ok) return outcome.value;
    gaps.push({ collector, error: outcome.error });
    return null;
  };
  const swapValue = value('swap', swap);
  const cpuValue = value('cpu', cpu);
  const processesValue = value('processes', processes);

  const snapshot: Snapshot = {
    ts: now.toISOString(),
    host: config.hostname ?? host.hostname(),
    memory: value('memory', memory),
    swap: swapValue?.swap ?? null,
    disks: value('disks', disks),
    cpu: cpuValue?.cpu ?? null,
    services: value('services', services),
    processes: processesValue?.processes ?? null,
    tmux: value('tmux', tmux),
    probes: value('probes', probes),
    athena: value('athena', athena),
    self: value('self', self) ?? {
      pid: host.pid,
      stateDir: input.stateDir,
      stateFreeBytes: null,
      consecutiveFailures: input.consecutiveFailures,
    },
    gaps: [],
    collectMs: 0,
  };
  // Gaps in reader order, whatever order they were pushed in above.
  const order = ['memory', 'swap', 'disks', 'cpu', 'services', 'processes', 'tmux', 'probes', 'athena', 'self'];
  snapshot.gaps = gaps.sort((a, b) => order.indexOf(a.collector) - order.indexOf(b.collector));
  snapshot.collectMs = Math.round((performance.now() - started) * 10) / 10;
  return {
    snapshot,
    samples: {
      ts: nowMs,
      cpu: cpuValue?.sample ?? null,
      swapIo: swapValue?.sample ?? null,
      procs: processesValue?.sample ?? null,
    },
  };
}
