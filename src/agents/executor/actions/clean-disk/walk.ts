// clean_disk's walk: every directory held open by descriptor, every child reached only through it (docs/architecture.md,
// "clean_disk: why the race is impossible"). One walk both plans (dry run) and removes: the decision and the unlink
// use the same directory descriptor, so nothing is re-resolved by path in between.
import { lstat, readdir, realpath, rmdir, stat, unlink } from 'node:fs/promises';
import { openDir, type DirHandle } from '../../../../host/dirfd.js';
import { isInUse, scanInUse, type InUse } from '../../../../host/open-files.js';
import {
  ageClock,
  changedMs,
  isReserved,
  judgeFile,
  type AgeClock,
  type SafelistRoot,
  type SafelistRule,
} from './rules.js';

export interface WalkLimits {
  minAgeDays: number;
  maxEntries?: number;
  maxDepth?: number;
  /** Subtrees never touched (Argus's state dir), matched by (dev, ino). */
  exclude?: readonly string[];
  /** Time allowed for the scan of /proc for files in use; past it nothing is removed. */
  inUseTimeoutMs?: number;
}

export interface Candidate {
  /** For reports only: every operation goes through directory descriptors, never this path. */
  path: string;
  root: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  dev: bigint;
  ino: bigint;
}

export interface OldDir {
  path: string;
  root: string;
  depth: number;
}

export interface Skipped {
  symlink: number;
  special: number;
  otherFs: number;
  /** A mount point on the same filesystem (a bind mount): its own mount ID. */
  mount: number;
  open: number;
  young: number;
  notMatching: number;
  reserved: number;
  /** Changed between readdir and lstat, or between lstat and open (a symlink swapped in): passed over. */
  raced: number;
  error: number;
}

export interface WalkResult {
  /** 'plan': what would go; 'delete': what went. */
  files: Candidate[];
  /** 'plan': old directories (removed if empty afterwards), deepest first; 'delete': the ones removed. */
  dirs: OldDir[];
  skipped: Skipped;
  /** Unlink/rmdir failures in 'delete' mode. */
  errors: number;
  rootsWalked: string[];
  truncated: boolean;
  /** False when the in-use scan did not finish in time: nothing was walked or removed. */
  inUseComplete: boolean;
  /** The largest files kept because they are recent or in use (what fills the disk when cleaning is not enough). */
  largestKept: KeptFile[];
}

export interface KeptFile {
  path: string;
  size: number;
  why: 'young' | 'open';
  /** Age by the newer of mtime and ctime, seconds. */
  ageSec: number;
}

const KEPT_MAX = 5;

/** Keep the KEPT_MAX largest, largest first (a sorted insert into a tiny list: the walk may see 200,000 files). */
function noteKept(list: KeptFile[], file: KeptFile): void {
  if (list.length === KEPT_MAX && list[KEPT_MAX - 1]!.size >= file.size) return;
  const at = list.findIndex((k) => k.size < file.size);
  list.splice(at === -1 ? list.length : at, 0, file);
  if (list.length > KEPT_MAX) list.pop();
}

interface Walk {
  mode: 'plan' | 'delete';
  out: WalkResult;
  seen: number;
  maxEntries: number;
  maxDepth: number;
  clock: AgeClock;
  inUse: InUse;
  excluded: Set<string>;
}

interface Root {
  path: string;
  rule: SafelistRule;
  dev: bigint;
  mountId: number;
}

const RACED = new Set(['ENOENT', 'ELOOP', 'ENOTDIR']);
const key = (x: { dev: bigint; ino: bigint }) => `${x.dev}:${x.ino}`;

/** Walk the roots; in 'delete' mode remove what the rules allow, at the moment it is judged. */
export async function walkSafelist(
  roots: readonly SafelistRoot[],
  procRoot: string,
  nowMs: number,
  limits: WalkLimits,
  mode: 'plan' | 'delete',
): Promise<WalkResult> {
  const out: WalkResult = {
    files: [],
    dirs: [],
    skipped: {
      symlink: 0,
      special: 0,
      otherFs: 0,
      mount: 0,
      open: 0,
      young: 0,
      notMatching: 0,
      reserved: 0,
      raced: 0,
      error: 0,
    },
    errors: 0,
    rootsWalked: [],
    truncated: false,
    inUseComplete: true,
    largestKept: [],
  };
  const clock = ageClock(nowMs, Date.now(), limits.minAgeDays);
  const inUse = await scanInUse(procRoot, limits.inUseTimeoutMs ?? 10_000);
  if (!inUse.complete) return { ...out, inUseComplete: false };
  const excluded = new Set<string>();
  for (const e of limits.exclude ?? []) {
    const st = await stat(e, { bigint: true }).catch(() => null);
    if (st) excluded.add(key(st));
  }
  const w: Walk = {
    mode,
    out,
    seen: 0,
    maxEntries: limits.maxEntries ?? 200_000,
    maxDepth: limits.maxDepth ?? 32,
    clock,
    inUse,
    excluded,
  };
  for (const r of roots) {
    if (w.seen > w.maxEntries) break;
    // The root's own path may go through a symlink (/var/tmp → /tmp); nothing below the root is resolved by path.
    const path = await realpath(r.path).catch(() => null);
    const dir = path ? await openDir(path).catch(() => null) : null;
    if (!path || !dir) continue;
    try {
      if (excluded.has(key(dir))) continue;
      out.rootsWalked.push(path);
      await walkDir(w, { path, rule: r.rule, dev: dir.dev, mountId: dir.mountId }, dir, path, 1);
    } finally {
      await dir.close();
    }
  }
  return out;
}

async function walkDir(w: Walk, root: Root, dir: DirHandle, path: string, depth: number): Promise<void> {
  let names: Buffer[];
  try {
    names = await readdir(dir.at, { encoding: 'buffer' });
  } catch {
    w.out.skipped.error++;
    return;
  }
  for (const name of names) {
    if (++w.seen > w.maxEntries) {
      w.out.truncated = true;
      return;
    }
    const text = name.toString();
    const childPath = `${path}/${text}`;
    if (isReserved(root.rule, text, depth)) {
      w.out.skipped.reserved++;
      continue;
    }
    // lstat of /proc/self/fd/N/name: looked up in this very directory, the last component not followed.
    const st = await lstat(dir.child(name), { bigint: true }).catch(
      (error: NodeJS.ErrnoException) => error.code ?? 'EIO',
    );
    if (typeof st === 'string') w.out.skipped[st === 'ENOENT' ? 'raced' : 'error']++;
    else if (st.isSymbolicLink()) w.out.skipped.symlink++;
    else if (st.dev !== root.dev) w.out.skipped.otherFs++;
    else if (st.isDirectory()) await descend(w, root, dir, name, childPath, depth);
    else if (!st.isFile()) w.out.skipped.special++;
    else {
      const file = {
        mtimeMs: Number(st.mtimeMs),
        ctimeMs: Number(st.ctimeMs),
        inUse: isInUse(w.inUse, st.dev, st.ino),
      };
      const verdict = judgeFile(root.rule, text, depth, file, w.clock);
      if (verdict !== 'remove') {
        w.out.skipped[verdict]++;
        if (verdict === 'young' || verdict === 'open') {
          const ageSec = Math.max(0, Math.round((w.clock.nowMs - changedMs(file, w.clock)) / 1000));
          noteKept(w.out.largestKept, { path: childPath, size: Number(st.size), why: verdict, ageSec });
        }
        continue;
      }
      if (w.mode === 'delete') {
        try {
          await unlink(dir.child(name)); // unlinkat(dirfd, name, 0)
        } catch {
          w.out.errors++;
          continue;
        }
      }
      w.out.files.push({
        path: childPath,
        root: root.path,
        size: Number(st.size),
        mtimeMs: file.mtimeMs,
        ctimeMs: file.ctimeMs,
        dev: st.dev,
        ino: st.ino,
      });
    }
  }
}

/** Open a child directory with O_NOFOLLOW|O_DIRECTORY and walk it if it is on the root's own mount. */
async function descend(
  w: Walk,
  root: Root,
  parent: DirHandle,
  name: Buffer,
  path: string,
  depth: number,
): Promise<void> {
  if (depth >= w.maxDepth) {
    w.out.truncated = true;
    return;
  }
  let dir: DirHandle;
  try {
    dir = await openDir(parent.child(name));
  } catch (error) {
    // A symlink or a file swapped in since the lstat (ELOOP, ENOTDIR), or gone.
    if (RACED.has((error as NodeJS.ErrnoException).code ?? '')) w.out.skipped.raced++;
    else w.out.skipped.error++;
    return;
  }
  try {
    // Judged on the descriptor about to be walked, not on the earlier lstat.
    const skip: keyof Skipped | null =
      dir.dev !== root.dev
        ? 'otherFs'
        : dir.mountId !== root.mountId
          ? 'mount'
          : w.excluded.has(key(dir))
            ? 'reserved'
            : null;
    if (skip) {
      w.out.skipped[skip]++;
      return;
    }
    // Old when first seen (removing its children makes it new again); a process's cwd is never removed.
    const old = root.rule !== 'argus-log' && changedMs(dir, w.clock) < w.clock.cutoffMs && !w.inUse.keys.has(key(dir));
    await walkDir(w, root, dir, path, depth + 1);
    if (!old) return;
    if (w.mode === 'plan') {
      w.out.dirs.push({ path, root: root.path, depth });
      return;
    }
    // Removed only if the name still holds the directory just walked, and only if it is empty now (rmdir).
    const again = await lstat(parent.child(name), { bigint: true }).catch(() => null);
    if (!again?.isDirectory() || key(again) !== key(dir)) return;
    try {
      await rmdir(parent.child(name));
      w.out.dirs.push({ path, root: root.path, depth });
    } catch {
      // not empty, or gone: kept
    }
  } finally {
    await dir.close();
  }
}
