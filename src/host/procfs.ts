// /proc/PID/stat, parsed once for every reader (the collector's scan, the executor's guards).

export interface ProcStat {
  pid: number;
  /** Field 2, without the parentheses; may itself hold spaces and parentheses. */
  comm: string;
  /** Field 3, one letter: R S D Z T t X I … */
  state: string;
  ppid: number;
  /** Field 9: PF_* flags (PF_KTHREAD marks a kernel thread). */
  flags: number;
  /** utime + stime (fields 14 + 15), clock ticks. */
  ticks: number;
  /** Field 22: start time in clock ticks after boot; with the PID, the identity of a process. */
  startTicks: number;
  /** Field 24, pages. */
  rssPages: number;
}

/** PF_KTHREAD in /proc/PID/stat `flags`: the task is a kernel thread. */
export const PF_KTHREAD = 0x00200000;

/** Fields are counted after the last ')': a comm with spaces and parentheses cannot shift them. */
/** A kernel thread: kthreadd itself (PID 2), its children, or PF_KTHREAD set. One rule for the collector and kill_pid. */
export function isKernelThread(s: Pick<ProcStat, 'pid' | 'ppid' | 'flags'>): boolean {
  return s.pid === 2 || s.ppid === 2 || (s.flags & PF_KTHREAD) !== 0;
}

export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // rest[0] is field 3 (state): field N is rest[N - 3].
  const pid = Number(text.slice(0, open).trim());
  const state = rest[0];
  const ppid = Number(rest[1]);
  const flags = Number(rest[6]);
  const ticks = Number(rest[11]) + Number(rest[12]);
  const startTicks = Number(rest[19]);
  const rssPages = Number(rest[21]);
  if (!state || !Number.isInteger(pid) || ![ppid, flags, ticks, startTicks, rssPages].every(Number.isFinite))
    return null;
  return { pid, comm: text.slice(open + 1, close), state, ppid, flags, ticks, startTicks, rssPages };
}
