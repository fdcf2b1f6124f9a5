// A process's memory share, stated against the limit that binds it: its own cgroup's limit when it has one that is
// tighter than the host (a unit's MemoryMax), else the host's memory. One wording wherever a hog is named.
import { fmtBytes } from './bytes.js';
import type { ProcessInfo } from './snapshot.js';

export function memoryShare(p: Pick<ProcessInfo, 'memPct' | 'cgroupMemory'>): string {
  const cg = p.cgroupMemory;
  if (cg)
    return `${cg.usedPct.toFixed(1)}% of its cgroup limit (${fmtBytes(cg.usageBytes)} of ${fmtBytes(cg.limitBytes)})`;
  return `${p.memPct.toFixed(1)}% of memory`;
}
