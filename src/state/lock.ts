// Single instance: exactly one holder of `argus.lock`, whatever the timing. See docs/architecture.md "A lock that holds".
//
// Taking the lock: the content (pid, process start time, a random id) is written to a private temp file first and
// then link()ed to the lock name — link fails with EEXIST when the name exists, so the lock appears with its whole
// content in one step and nobody ever reads a half-written lock.
// Taking over a stale lock (its owner is dead): contenders race to link() the stale lock to a name derived from its
// content (`argus.lock.reap-<hash>`). Only one link can succeed; the winner checks through that name that it holds
// the very lock it judged stale, unlinks the lock and retries the normal take. A contender that arrives late links
// a newer lock instead, sees other content and backs off.
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, openSync, closeSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseProcStat } from '../host/procfs.js';
import { NODE_WRITER_FS, writeAll } from './atomic.js';

export interface Lock {
  /** The lock file's text, as written. */
  readonly content: string;
  release(): void;
}

export class LockHeldError extends Error {
  constructor(readonly ownerPid: number) {
    super(ownerPid > 0 ? `another Argus cycle is running (pid ${ownerPid})` : 'another Argus process is taking the lock');
    this.name = 'LockHeldError';
  }
}

/** What a lock file says about its owner. */
export interface LockOwner {
  pid: number;
  /** Start time of the owner in clock ticks after boot (/proc/PID/stat field 22): a reused PID is not the owner. */
  startTicks: number | null;
  startedAt: string | null;
  id: string | null;
}

/** A reaper that stalled this long between its link and its unlink is taken for dead. */
const REAP_STALE_MS = 10_000;
const ATTEMPTS = 200;

export function parseLock(text: string): LockOwner | null {
  const legacy = /^\s*(\d+)\s*$/.exec(text);
  if (legacy) return { pid: Number(legacy[1]), startTicks: null, startedAt: null, id: null };
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(\w+)\s+(.+)$/.exec(line.trim());
    if (m) fields.set(m[1]!, m[2]!);
  }
  const pid = Number(fields.get('pid'));
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const ticks = Number(fields.get('ticks'));
  return { pid, startTicks: Number.isFinite(ticks) ? ticks : null, startedAt: fields.get('started') ?? null, id: fields.get('id') ?? null };
}

function startTicksOf(pid: number): number | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.startTicks ?? null;
  } catch {
    return null;
  }
}

/** Alive and the same process that wrote the lock (not a later process that got its PID). */
export function ownerAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.startTicks === null) return true;
  const ticks = startTicksOf(owner.pid);
  return ticks === null || ticks === owner.startTicks;
}

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

const readOrNull = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

const unlinkQuiet = (path: string): void => {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
};

/** Write `text` to a new private file (all bytes or an error; no file left on failure). */
function writeNewFile(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o600);
  let written = false;
  try {
    writeAll(NODE_WRITER_FS, fd, Buffer.from(text, 'utf8'));
    written = true;
  } finally {
    closeSync(fd);
    if (!written) unlinkQuiet(path);
  }
}

/** Remove the stale lock whose text is `stale`, unless someone else got there first. */
function reap(path: string, stale: string): void {
  const reapName = `${path}.reap-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
  try {
    linkSync(path, reapName);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      // Another contender is reaping; if it died half-way, its reap name is old: clear it for the next round.
      try {
        if (Date.now() - lstatSync(reapName).ctimeMs > REAP_STALE_MS) unlinkQuiet(reapName);
      } catch {
        // gone meanwhile
      }
    }
    return;
  }
  // We own reapName: it is a second name of whatever the lock was at link time.
  if (readOrNull(reapName) === stale) unlinkQuiet(path);
  unlinkQuiet(reapName);
}

export interface LockOptions {
  /** Process start time of this process (tests of PID reuse pass another). Default: read from /proc/self/stat. */
  startTicks?: number | null;
  now?: () => Date;
}

/** Take the lock or throw LockHeldError (a live owner) — or the file system's error (a full or read-only disk). */
export function acquireLock(path: string, options: LockOptions = {}): Lock {
  mkdirSync(dirname(path), { recursive: true });
  const pid = process.pid;
  const ticks = options.startTicks === undefined ? startTicksOf(pid) : options.startTicks;
  const id = randomBytes(8).toString('hex');
  const content = `pid ${pid}\nstarted ${(options.now?.() ?? new Date()).toISOString()}\nticks ${ticks ?? '?'}\nid ${id}\n`;
  const tmp = `${path}.${pid}.${id}.tmp`;
  writeNewFile(tmp, content);
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        linkSync(tmp, path);
        return {
          content,
          release: () => {
            if (readOrNull(path) === content) unlinkQuiet(path);
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readOrNull(path);
      if (current === null) continue; // released between our link and read: try again
      const owner = parseLock(current);
      if (owner && ownerAlive(owner)) throw new LockHeldError(owner.pid);
      // Dead owner, a reused PID, or text that is no lock at all: stale.
      reap(path, current);
      if (attempt > 2) sleepSync(1 + (attempt % 5));
    }
    throw new LockHeldError(-1);
  } finally {
    unlinkQuiet(tmp);
  }
}
