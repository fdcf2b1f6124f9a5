// Athena's memory directory: the newest entry's mtime tells when Athena last wrote memory.
import { lstat, opendir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Host } from '../../host/port.js';
import type { Athena } from '../../model/snapshot.js';
import { hostPath } from './proc-files.js';

/** A directory with more entries than this is sampled, not listed: the cycle stays bounded. */
export const ATHENA_MAX_ENTRIES = 10_000;

export async function readAthena(host: Host, dir: string, now: Date): Promise<Athena> {
  const shown = resolve(dir);
  const absolute = hostPath(host, shown);
  const missing: Athena = { dir: shown, exists: false, latestFile: null, latestMtime: null, ageSec: null };
  let handle;
  try {
    handle = await opendir(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return missing;
    throw new Error(`cannot list ${shown} (${code ?? (error as Error).message})`, { cause: error });
  }
  let latestFile: string | null = null;
  let latestMs = -Infinity;
  let seen = 0;
  try {
    for await (const entry of handle) {
      if (++seen > ATHENA_MAX_ENTRIES) break;
      const s = await lstat(join(absolute, entry.name)).catch(() => null); // removed meanwhile
      if (s && s.mtimeMs > latestMs) {
        latestMs = s.mtimeMs;
        latestFile = entry.name;
      }
    }
  } finally {
    await handle.close().catch(() => undefined); // breaking out of the loop closes it already
  }
  if (latestFile === null) return { ...missing, exists: true };
  return {
    dir: shown,
    exists: true,
    latestFile,
    latestMtime: new Date(latestMs).toISOString(),
    ageSec: Math.max(0, Math.floor((now.getTime() - latestMs) / 1000)),
  };
}
