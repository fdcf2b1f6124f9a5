// Process facts from /proc (under host.root) for the executor's guards: stat fields, argv[0], ancestry.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseProcStat, type ProcStat } from '../../host/procfs.js';

export { PF_KTHREAD, isKernelThread, type ProcStat } from '../../host/procfs.js';

/** The stat of a live (possibly zombie) process, or null when there is no such process. */
export async function readProcStat(root: string, pid: number): Promise<ProcStat | null> {
  try {
    return parseProcStat(await readFile(join(root, 'proc', String(pid), 'stat'), 'utf8'));
  } catch {
    return null;
  }
}

/** argv[0] from /proc/PID/cmdline ('' for kernel threads or when unreadable). */
export async function readArgv0(root: string, pid: number): Promise<string> {
  try {
    const raw = await readFile(join(root, 'proc', String(pid), 'cmdline'));
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
  } catch {
    return '';
  }
}

/** The PPid chain of `pid` (its parent, grandparent … up to PID 1), bounded. */
export async function ancestorsOf(root: string, pid: number, maxDepth = 128): Promise<number[]> {
  const chain: number[] = [];
  let current = pid;
  for (let i = 0; i < maxDepth; i++) {
    const s = await readProcStat(root, current);
    if (!s || s.ppid <= 0 || chain.includes(s.ppid)) break;
    chain.push(s.ppid);
    if (s.ppid === 1) break;
    current = s.ppid;
  }
  return chain;
}
