// Single instance: an exclusive lock file holding the owner's PID; a stale lock of a dead process is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Lock {
  release(): void;
}

export class LockHeldError extends Error {
  constructor(readonly ownerPid: number) {
    super(`another Argus cycle is running (pid ${ownerPid})`);
    this.name = 'LockHeldError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(path: string, pid = process.pid): Lock {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return {
        release: () => {
          try {
            if (readFileSync(path, 'utf8').trim() === String(pid)) unlinkSync(path);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner = NaN;
      try {
        owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      } catch {
        // vanished between open and read: retry
      }
      if (Number.isInteger(owner) && owner > 0 && owner !== pid && alive(owner)) throw new LockHeldError(owner);
      // Stale (dead owner, garbage, or ourselves after a crash): remove and retry.
      try {
        unlinkSync(path);
      } catch {
        // someone else removed it first
      }
    }
  }
  throw new LockHeldError(-1);
}
