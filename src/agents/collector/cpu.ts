// CPU: utilisation from /proc/stat against the previous sample, load average, core count and uptime.
import type { Host } from '../../host/port.js';
import type { Cpu } from '../../model/snapshot.js';
import { readHostText, round1 } from './proc-files.js';
import { elapsedSec, sameBoot, type CpuCounters, type Samples } from './samples.js';

/** The aggregate "cpu" line, the cpuN count and btime of /proc/stat. */
export function parseSystemStat(text: string): { counters: CpuCounters; cores: number } {
  let cores = 0;
  let btime: number | null = null;
  let fields: number[] | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu ')) fields = line.trim().split(/\s+/).slice(1).map(Number);
    else if (/^cpu\d/.test(line)) cores++;
    else if (line.startsWith('btime ')) btime = Number(line.slice(6).trim());
  }
  if (!fields || fields.length < 4 || fields.some((n) => !Number.isFinite(n)))
    throw new Error('/proc/stat has no cpu line');
  if (btime === null || !Number.isFinite(btime)) throw new Error('/proc/stat has no btime');
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return {
    counters: { btime, total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait },
    cores: Math.max(cores, 1),
  };
}

function utilisation(now: CpuCounters, before: CpuCounters | null): number | null {
  if (!before || !sameBoot(now.btime, before.btime)) return null;
  const total = now.total - before.total;
  const idle = now.idle - before.idle;
  if (total <= 0 || idle < 0) return null;
  return round1(Math.min(100, Math.max(0, ((total - idle) / total) * 100)));
}

export async function readCpu(
  host: Host,
  previous: Samples | null,
  nowMs: number,
): Promise<{ cpu: Cpu; sample: CpuCounters }> {
  const [statText, loadText, uptimeText] = await Promise.all([
    readHostText(host, '/proc/stat'),
    readHostText(host, '/proc/loadavg'),
    readHostText(host, '/proc/uptime'),
  ]);
  const { counters, cores } = parseSystemStat(statText);
  const [load1 = NaN, load5 = NaN, load15 = NaN] = loadText.trim().split(/\s+/).map(Number);
  const uptimeSec = Number(uptimeText.trim().split(/\s+/)[0]);
  if (![load1, load5, load15].every(Number.isFinite))
    throw new Error(`/proc/loadavg is unreadable: "${loadText.trim()}"`);
  if (!Number.isFinite(uptimeSec)) throw new Error(`/proc/uptime is unreadable: "${uptimeText.trim()}"`);
  const before = elapsedSec(previous, nowMs) === null ? null : (previous?.cpu ?? null);
  return {
    cpu: {
      cores,
      utilPct: utilisation(counters, before),
      load1,
      load5,
      load15,
      load1PerCore: Math.round((load1 / cores) * 100) / 100,
      uptimeSec: Math.floor(uptimeSec),
    },
    sample: counters,
  };
}
