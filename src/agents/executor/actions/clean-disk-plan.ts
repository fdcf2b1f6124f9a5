// clean_disk's plan: walk the hard-coded safelist (lstat only) and list the files old enough and safe to remove.
import { lstat, readdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { StatePaths } from '../../../config/load.js';
import { openFileKeys } from '../proc.js';

/** Which files of a root may go: everything old (tmp, caches), rotated `*.log.N.gz`, or Argus's own `argus.log.N`. */
export type SafelistRule = 'tmp' | 'cache' | 'rotated-log' | 'argus-log';

export interface SafelistRoot {
  path: string;
  rule: SafelistRule;
}

const CACHE_DIRS = ['pip', 'npm', 'yarn', 'go-build'];
/** Top-level entries of /tmp that belong to running services or X sessions: never walked. */
const TMP_RESERVED = /^(systemd-private-|\.X11-unix$|\.ICE-unix$|\.XIM-unix$|\.font-unix$|\.Test-unix$|tmux-\d+$|snap-private-tmp$)/;

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

export interface PlanLimits {
  minAgeDays: number;
  maxEntries?: number;
  maxDepth?: number;
  /** Subtrees never touched (Argus's state dir). */
  exclude?: readonly string[];
}

export interface Candidate {
  path: string;
  root: string;
  size: number;
  mtimeMs: number;
  dev: bigint;
  ino: bigint;
}

export interface OldDir {
  path: string;
  root: string;
  depth: number;
}

export interface Plan {
  candidates: Candidate[];
  /** Directories that were old when seen: removed afterwards only if empty. Deepest first. */
  oldDirs: OldDir[];
  skipped: { symlink: number; special: number; otherFs: number; open: number; young: number; notMatching: number; reserved: number; error: number };
  rootsWalked: string[];
  truncated: boolean;
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

/** Walk the roots and decide file by file. Read-only. */
export async function planCleanDisk(roots: readonly SafelistRoot[], procRoot: string, nowMs: number, limits: PlanLimits): Promise<Plan> {
  const maxEntries = limits.maxEntries ?? 200_000;
  const maxDepth = limits.maxDepth ?? 32;
  const cutoff = nowMs - limits.minAgeDays * 86_400_000;
  const exclude = new Set<string>();
  for (const e of limits.exclude ?? []) exclude.add(await realpath(e).catch(() => e));
  const open = await openFileKeys(procRoot);
  const plan: Plan = {
    candidates: [],
    oldDirs: [],
    skipped: { symlink: 0, special: 0, otherFs: 0, open: 0, young: 0, notMatching: 0, reserved: 0, error: 0 },
    rootsWalked: [],
    truncated: false,
  };
  let seen = 0;
  for (const r of roots) {
    // The root itself may be reached through a symlink (e.g. /var/tmp); nothing below it is followed.
    const rootPath = await realpath(r.path).catch(() => null);
    if (!rootPath || exclude.has(rootPath)) continue;
    const rootStat = await lstat(rootPath, { bigint: true }).catch(() => null);
    if (!rootStat?.isDirectory()) continue;
    plan.rootsWalked.push(rootPath);
    const stack: Array<{ dir: string; depth: number }> = [{ dir: rootPath, depth: 1 }];
    const dirs: OldDir[] = [];
    while (stack.length > 0) {
      const { dir, depth } = stack.pop()!;
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        plan.skipped.error++;
        continue;
      }
      for (const name of names) {
        if (++seen > maxEntries) {
          plan.truncated = true;
          break;
        }
        const path = join(dir, name);
        if (exclude.has(path) || (r.rule === 'tmp' && depth === 1 && TMP_RESERVED.test(name))) {
          plan.skipped.reserved++;
          continue;
        }
        const st = await lstat(path, { bigint: true }).catch(() => null);
        if (!st) {
          plan.skipped.error++;
          continue;
        }
        if (st.isSymbolicLink()) plan.skipped.symlink++;
        else if (st.dev !== rootStat.dev) plan.skipped.otherFs++;
        else if (st.isDirectory()) {
          if (depth >= maxDepth) plan.truncated = true;
          else {
            stack.push({ dir: path, depth: depth + 1 });
            if (r.rule !== 'argus-log' && Number(st.mtimeMs) < cutoff) dirs.push({ path, root: rootPath, depth });
          }
        } else if (!st.isFile()) plan.skipped.special++;
        else if (!matches(r.rule, name, depth)) plan.skipped.notMatching++;
        else if (Number(st.mtimeMs) >= cutoff) plan.skipped.young++;
        else if (open.has(`${st.dev}:${st.ino}`)) plan.skipped.open++;
        else plan.candidates.push({ path, root: rootPath, size: Number(st.size), mtimeMs: Number(st.mtimeMs), dev: st.dev, ino: st.ino });
      }
      if (plan.truncated && seen > maxEntries) break;
    }
    plan.oldDirs.push(...dirs.sort((a, b) => b.depth - a.depth));
    if (seen > maxEntries) break;
  }
  return plan;
}
