// Argus's own health: PID, free space where its state lives, and how many cycles failed in a row.
import { dirname, resolve } from 'node:path';
import type { Host } from '../../host/port.js';
import type { Self } from '../../model/snapshot.js';

/** Free bytes for an unprivileged writer on the filesystem of `dir` (or its nearest existing parent); null if unknown. */
export async function stateFreeBytes(host: Host, dir: string): Promise<number | null> {
  let path = resolve(dir);
  for (;;) {
    try {
      const s = await host.statfs(path);
      return s.blocksAvail * s.blockSize;
    } catch (error) {
      const parent = dirname(path);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === path) return null;
      path = parent;
    }
  }
}

export async function readSelf(host: Host, stateDir: string, consecutiveFailures: number): Promise<Self> {
  return { pid: host.pid, stateDir, stateFreeBytes: await stateFreeBytes(host, stateDir), consecutiveFailures };
}
