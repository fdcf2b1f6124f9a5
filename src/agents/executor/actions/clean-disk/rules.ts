// clean_disk's fixed rules: the hard-coded safelist, which names a root may remove, and when a file is old enough.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { StatePaths } from '../../../../config/load.js';

/** Which files of a root may go: everything old (tmp, caches), rotated `*.log.N.gz`, or Argus's own `argus.log.N`. */
export type SafelistRule = 'tmp' | 'cache' | 'rotated-log' | 'argus-log';

export interface SafelistRoot {
  path: string;
  rule: SafelistRule;
}

const CACHE_DIRS = ['pip', 'npm', 'yarn', 'go-build'];
/** Top-level entries of /tmp that belong to running services or X sessions: never walked. */
const TMP_RESERVED =
  /^(systemd-private-|\.X11-unix$|\.ICE-unix$|\.XIM-unix$|\.font-unix$|\.Test-unix$|tmux-\d+$|snap-private-tmp$)/;

/** The safelist of ARG-004. Hard-coded: never taken from configuration. */
export function defaultSafelist(paths: Pick<StatePaths, 'logDir'>, home = homedir()): SafelistRoot[] {
  return [
    { path: '/tmp', rule: 'tmp' },
    { path: '/var/tmp', rule: 'tmp' },
    ...CACHE_DIRS.map((d) => ({ path: join(home, '.cache', d), rule: 'cache' as const })),
    { path: '/var/log', rule: 'rotated-log' },
    { path: paths.logDir, rule: 'argus-log' },
  ];
}

/** An entry of a root that is never looked into nor removed. */
export function isReserved(rule: SafelistRule, name: string, depth: number): boolean {
  return rule === 'tmp' && depth === 1 && TMP_RESERVED.test(name);
}

function matches(rule: SafelistRule, name: string, depth: number): boolean {
  switch (rule) {
    case 'tmp':
    case 'cache':
      return true;
    case 'rotated-log':
      return /\.log\.[0-9]\.gz$/.test(name);
    case 'argus-log':
      return depth === 1 && /^argus\.log\.\d+$/.test(name);
  }
}

export interface AgeClock {
  /** Files changed at or after this instant are young. */
  cutoffMs: number;
  /**
   * False only when the host clock runs far behind the real one (a simulation's fake clock): the kernel stamps
   * ctime from the real clock, which such a clock cannot be compared with, so only mtime ages a file there.
   */
  ctimeComparable: boolean;
  nowMs: number;
}

/** The clock a walk judges ages by: `nowMs` from the host port, `wallMs` the real clock, both read once at its start. */
export function ageClock(nowMs: number, wallMs: number, minAgeDays: number): AgeClock {
  return { cutoffMs: nowMs - minAgeDays * 86_400_000, ctimeComparable: wallMs - nowMs < 3_600_000, nowMs };
}

/**
 * A file's (or directory's) last change: the newer of mtime and ctime. mtime is whatever `cp -p`, `tar x` or
 * utimes(2) set; ctime is stamped by the kernel on every change and cannot be set back.
 */
export function changedMs(t: { mtimeMs: number; ctimeMs: number }, clock: AgeClock): number {
  if (!clock.ctimeComparable && t.ctimeMs > clock.nowMs) return t.mtimeMs;
  return Math.max(t.mtimeMs, t.ctimeMs);
}

export type FileVerdict = 'remove' | 'notMatching' | 'young' | 'open';

/** Whether a regular file may be removed. `inUse`: an executable, mapped or open by some process. */
export function judgeFile(
  rule: SafelistRule,
  name: string,
  depth: number,
  file: { mtimeMs: number; ctimeMs: number; inUse: boolean },
  clock: AgeClock,
): FileVerdict {
  if (!matches(rule, name, depth)) return 'notMatching';
  if (changedMs(file, clock) >= clock.cutoffMs) return 'young';
  if (file.inUse) return 'open';
  return 'remove';
}
