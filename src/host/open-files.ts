// Which files are in use: any process's executable, open descriptors, cwd, or mapped files (read under host.root).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface InUse {
  /** `dev:ino` of every executable, open file and cwd. */
  keys: Set<string>;
  /** Inode numbers of mapped files. Matched without the device: maps encodes it differently from stat on some filesystems
   * (overlayfs, btrfs), and a collision only keeps a file. */
  mappedInodes: Set<bigint>;
  /** False when the deadline cut the scan short: the sets are then not the whole truth and nothing may be removed. */
  complete: boolean;
  processes: number;
}

/** Inode numbers of the file-backed lines of /proc/PID/maps (`addr perms offset maj:min inode path`). */
export function parseMapsInodes(text: string): bigint[] {
  const out: bigint[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5 || !/^[0-9a-f]+:[0-9a-f]+$/i.test(f[3]!) || !/^\d+$/.test(f[4]!)) continue;
    const ino = BigInt(f[4]!);
    if (ino !== 0n) out.push(ino);
  }
  return out;
}

/** True when `st` (dev, ino) is in use by some process as seen by this scan. */
export function isInUse(inUse: InUse, dev: bigint, ino: bigint): boolean {
  return inUse.keys.has(`${dev}:${ino}`) || inUse.mappedInodes.has(ino);
}

async function addStat(keys: Set<string>, path: string): Promise<void> {
  try {
    const st = await stat(path, { bigint: true });
    keys.add(`${st.dev}:${st.ino}`);
  } catch {
    // gone meanwhile, a socket/pipe/anon inode, or not ours to read
  }
}

/**
 * Scan /proc/[0-9]* once: exe, cwd, fd/* (stat follows each link to its file) and maps. Processes that vanish
 * or cannot be read are passed over; after `timeoutMs` the scan stops and says so (`complete: false`).
 */
export async function scanInUse(procRoot: string, timeoutMs: number): Promise<InUse> {
  const deadline = performance.now() + timeoutMs;
  const inUse: InUse = { keys: new Set(), mappedInodes: new Set(), complete: true, processes: 0 };
  const procDir = join(procRoot, 'proc');
  let pids: string[];
  try {
    pids = (await readdir(procDir)).filter((e) => /^\d+$/.test(e));
  } catch {
    return { ...inUse, complete: false }; // no /proc: nothing can be known to be unused
  }
  for (const pid of pids) {
    if (performance.now() > deadline) {
      inUse.complete = false;
      break;
    }
    const dir = join(procDir, pid);
    inUse.processes++;
    await addStat(inUse.keys, join(dir, 'exe'));
    await addStat(inUse.keys, join(dir, 'cwd'));
    const fds = await readdir(join(dir, 'fd')).catch(() => [] as string[]);
    await Promise.all(fds.map((fd) => addStat(inUse.keys, join(dir, 'fd', fd))));
    const maps = await readFile(join(dir, 'maps'), 'utf8').catch(() => '');
    for (const ino of parseMapsInodes(maps)) inUse.mappedInodes.add(ino);
  }
  return inUse;
}
