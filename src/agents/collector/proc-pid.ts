// Per-process procfs parsing: /proc/PID/stat fields, cmdline text, VmSwap, and the orphan pattern.
import { basename } from 'node:path';

export { isKernelThread, parseProcStat, type ProcStat } from '../../host/procfs.js';

/** The NUL-separated argv as words; a trailing NUL is not an empty argument. */
export function cmdlineArgs(raw: string): string[] {
  const args = raw.split('\0');
  if (args.length > 0 && args[args.length - 1] === '') args.pop();
  return args;
}

const CMDLINE_MAX = 1000;

/** argv joined with spaces (as ps shows it), bounded; `[comm]` when empty (kernel thread, zombie). */
export function cmdlineText(raw: string | null, comm: string): string {
  const text = cmdlineArgs(raw ?? '').join(' ');
  if (text === '') return `[${comm}]`;
  return text.length > CMDLINE_MAX ? `${text.slice(0, CMDLINE_MAX)}…` : text;
}

/** VmSwap of /proc/PID/status, bytes (0 when absent: kernel threads). */
export function parseVmSwap(status: string): number {
  const m = /^VmSwap:\s+(\d+)\s*kB/m.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

export interface OrphanPattern {
  /** The comm a candidate must have (first word's basename, truncated to the kernel's 15 characters). */
  comm: string;
  /** The pattern with its first word reduced to a basename. */
  prefix: string;
}

export function compileOrphanPattern(pattern: string): OrphanPattern {
  const [first = '', ...rest] = pattern.trim().split(/\s+/);
  const name = basename(first);
  return { comm: name.slice(0, 15), prefix: [name, ...rest].join(' ') };
}

/** `/usr/bin/node --test a.js` matches `node --test`: argv0 is compared by basename, the rest as a prefix. */
export function matchesOrphanPattern(raw: string, pattern: OrphanPattern): boolean {
  const [argv0, ...rest] = cmdlineArgs(raw);
  if (argv0 === undefined) return false;
  return [basename(argv0), ...rest].join(' ').startsWith(pattern.prefix);
}
