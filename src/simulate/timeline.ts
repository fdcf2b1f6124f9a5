// The timeline: applies a scenario's events to the world as the fake clock passes them, and keeps ongoing ones going.
import type { SimulatedHost } from '../host/simulated/host.js';
import { advanceWorld, memoryUsedBytes, toProcess, unitOf, type World } from '../host/simulated/world.js';
import type { SimEvent } from './scenario.js';

const MB = 1024 * 1024;

interface Flap {
  service: string;
  everyMin: number;
  nextAt: number;
  until: number;
}
interface Spike {
  pid: number;
  revertAt: number;
  rssBytes: number;
}
interface Wave {
  pid: number;
  low: number;
  high: number;
  period: number;
  jitter: number;
  t0: number;
  until: number;
}

/** Deterministic noise in [0, 1) for minute m: the same scenario always replays the same. */
function noise(m: number): number {
  const r = Math.sin(m * 12.9898 + 78.233) * 43_758.5453;
  return r - Math.floor(r);
}

export interface Timeline {
  /** Move the world to minute `m`: continuous change since the last call, then every event due. */
  advanceTo(m: number): void;
}

export function createTimeline(events: readonly SimEvent[], host: SimulatedHost): Timeline {
  const world: World = host.world;
  const pending = [...events].sort((a, b) => a.t - b.t);
  const flaps: Flap[] = [];
  const spikes: Spike[] = [];
  const waves: Wave[] = [];
  let last = 0;

  const service = (name: string) => {
    const s = world.services.get(unitOf(name));
    if (!s) throw new Error(`event names service ${name}, which is not in the world`);
    return s;
  };
  const proc = (pid: number) => world.processes.get(pid);

  function apply(e: SimEvent, m: number): void {
    switch (e.type) {
      case 'service_dies':
        service(e.service).state = 'failed';
        return;
      case 'service_stopped':
        service(e.service).state = 'stopped';
        return;
      case 'service_recovers': {
        const s = service(e.service);
        s.state = 'active';
        s.invocation++;
        s.activeSinceMs = host.now().getTime();
        return;
      }
      case 'service_revives':
        service(e.service).revives = e.revives;
        return;
      case 'telegram':
        if (!world.telegram) throw new Error('a telegram event needs world.telegram: true');
        world.telegram.up = e.up;
        return;
      case 'clock_jump':
        host.jumpClock(e.minutes);
        return;
      case 'service_auto_restarts': {
        // systemd's Restart= brought it back between two looks: up at both, with a new PID and NRestarts + 1.
        const s = service(e.service);
        s.state = 'active';
        s.nRestarts += e.times;
        s.invocation += e.times;
        s.activeSinceMs = host.now().getTime();
        return;
      }
      case 'service_flaps':
        flaps.push({ service: e.service, everyMin: e.everyMin, nextAt: e.t, until: e.until ?? Infinity });
        return;
      case 'disk_fills':
      case 'disk_used': {
        const d = world.disks.find((x) => x.mount === e.mount);
        if (!d) throw new Error(`event names disk ${e.mount}, which is not in the world`);
        if (e.type === 'disk_fills') d.fillBytesPerMin = (e.gbPerHour * 1024 * MB) / 60;
        else d.otherUsedBytes = e.usedGB * 1024 * MB;
        return;
      }
      case 'files_appear':
        for (const f of e.files) host.addFile(e.mount, f);
        return;
      case 'leak': {
        const p = proc(e.pid);
        if (p) p.leakBytesPerMin = e.mbPerMin * MB;
        return;
      }
      case 'set_memory': {
        const p = proc(e.pid);
        if (p) {
          p.rssBytes = e.rssMB * MB;
          if (e.swapMB !== undefined) p.swapBytes = e.swapMB * MB;
        }
        return;
      }
      case 'memory_spike': {
        const p = proc(e.pid);
        if (p) {
          spikes.push({ pid: e.pid, revertAt: m + e.durationMin, rssBytes: p.rssBytes });
          p.rssBytes = e.rssMB * MB;
        }
        return;
      }
      case 'memory_wave':
        waves.push({
          pid: e.pid,
          low: e.lowPct,
          high: e.highPct,
          period: e.periodMin,
          jitter: e.jitterPct,
          t0: e.t,
          until: e.until ?? Infinity,
        });
        return;
      case 'swap_storm':
        world.swapInBytesPerSec = e.inMBps * MB;
        world.swapOutBytesPerSec = e.outMBps * MB;
        return;
      case 'processes_start':
        for (const p of e.processes) world.processes.set(p.pid, toProcess(p, host.now().getTime()));
        return;
      case 'process_exits':
        world.processes.delete(e.pid);
        return;
      case 'cpu':
        world.cpuPct = e.cpuPct;
        if (e.load1 !== undefined) world.load1 = e.load1;
        return;
      case 'probe':
        world.probes[e.url] = e.status;
        return;
      case 'tmux':
        for (const name of e.start) world.tmux.set(name, { name, windows: 1, createdMs: host.now().getTime() });
        for (const name of e.end) world.tmux.delete(name);
        return;
    }
  }

  function ongoing(m: number): void {
    for (const f of flaps) {
      while (f.nextAt <= m && f.nextAt < f.until) {
        service(f.service).state = 'failed';
        f.nextAt += f.everyMin;
      }
    }
    for (let i = spikes.length - 1; i >= 0; i--) {
      const s = spikes[i]!;
      if (s.revertAt > m) continue;
      const p = proc(s.pid);
      if (p) p.rssBytes = s.rssBytes;
      spikes.splice(i, 1);
    }
    for (const w of waves) {
      const p = proc(w.pid);
      if (!p || m < w.t0 || m >= w.until) continue;
      const phase = 0.5 - 0.5 * Math.cos((2 * Math.PI * (m - w.t0)) / w.period);
      const pct = Math.min(w.high, Math.max(w.low, w.low + (w.high - w.low) * phase + (noise(m) - 0.5) * 2 * w.jitter));
      const others = memoryUsedBytes(world) - p.rssBytes;
      p.rssBytes = Math.max(0, (pct / 100) * world.memTotalBytes - others);
    }
  }

  return {
    advanceTo(m: number): void {
      advanceWorld(world, m - last);
      last = m;
      while (pending.length > 0 && pending[0]!.t <= m) apply(pending.shift()!, m);
      ongoing(m);
    },
  };
}
