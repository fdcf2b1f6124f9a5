// Memory: the host view from /proc/meminfo and, when containerised, the cgroup view; the tighter one decides.
import type { Host } from '../../host/port.js';
import type { Memory } from '../../model/snapshot.js';
import { readCgroupMemory } from './cgroup-memory.js';
import { need, parseKbLines, readHostText, round1 } from './proc-files.js';

/** MemAvailable, or its pre-3.14 approximation. */
function available(meminfo: Map<string, number>): number {
  const v = meminfo.get('MemAvailable');
  if (v !== undefined) return v;
  return (meminfo.get('MemFree') ?? 0) + (meminfo.get('Buffers') ?? 0) + (meminfo.get('Cached') ?? 0);
}

export async function readMemory(host: Host): Promise<Memory> {
  const [text, cgroup] = await Promise.all([readHostText(host, '/proc/meminfo'), readCgroupMemory(host)]);
  const meminfo = parseKbLines(text);
  const totalBytes = need(meminfo, 'MemTotal', '/proc/meminfo');
  const availableBytes = available(meminfo);
  const usedPct = totalBytes > 0 ? round1(((totalBytes - availableBytes) / totalBytes) * 100) : 0;
  return {
    totalBytes,
    availableBytes,
    usedPct,
    cgroup,
    effectivePct: Math.max(usedPct, cgroup?.usedPct ?? 0),
  };
}
