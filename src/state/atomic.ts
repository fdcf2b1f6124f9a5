// Atomic JSON state files: write a temp file, fsync, rename. A crash leaves the old or the new file, never half.
// A failed write (ENOSPC, a short write, EIO) throws, removes its temp file and leaves the old file in place.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { ArgusError } from '../errors.js';

/** The file-system calls the writer makes: a port, so tests can inject a short write or a full disk. */
export interface WriterFs {
  open(path: string, mode: number): number;
  /** Like `fs.writeSync(fd, buffer, offset, length)`: returns how many bytes were written, which may be fewer. */
  write(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsync(fd: number): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
}

export const NODE_WRITER_FS: WriterFs = {
  open: (path, mode) => openSync(path, 'w', mode),
  write: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length),
  fsync: (fd) => fsyncSync(fd),
  close: (fd) => closeSync(fd),
  rename: (from, to) => renameSync(from, to),
  unlink: (path) => unlinkSync(path),
};

export interface AtomicWriteOptions {
  /** File mode of the new file (default 0600: state is private). */
  mode?: number;
  /**
   * A dot-prefixed temp name that does not end in the target's extension, for directories other programs scan
   * (node_exporter reads `*.prom`; it must never see a half-written file).
   */
  hiddenTemp?: boolean;
  /** The file-system calls (tests inject failures here). */
  fs?: WriterFs;
}

/**
 * Write every byte of `buffer` to `fd`, looping on short writes. A write that makes no progress twice in a row is a
 * failure (a full disk can answer 0 instead of ENOSPC), never a silently truncated file.
 */
export function writeAll(fs: Pick<WriterFs, 'write'>, fd: number, buffer: Uint8Array): void {
  let offset = 0;
  let stalls = 0;
  while (offset < buffer.length) {
    const n = fs.write(fd, buffer, offset, buffer.length - offset);
    if (n > 0) {
      offset += n;
      stalls = 0;
    } else if (++stalls >= 2) {
      throw new ArgusError('short_write', `wrote ${offset} of ${buffer.length} bytes: no space left?`);
    }
  }
}

export function writeFileAtomic(path: string, text: string, options: AtomicWriteOptions = {}): void {
  const fs = options.fs ?? NODE_WRITER_FS;
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = options.hiddenTemp ? join(dir, `.${basename(path)}.${process.pid}.tmp`) : `${path}.${process.pid}.tmp`;
  const fd = fs.open(tmp, options.mode ?? 0o600);
  let renamed = false;
  try {
    try {
      writeAll(fs, fd, Buffer.from(text, 'utf8'));
      fs.fsync(fd);
    } finally {
      fs.close(fd);
    }
    fs.rename(tmp, path);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        fs.unlink(tmp);
      } catch {
        // Already gone; nothing else to clean.
      }
    }
  }
}

export function writeJsonAtomic(path: string, value: unknown, options: AtomicWriteOptions = {}): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, options);
}

/**
 * Read a JSON state file; a missing, unparsable or invalid file yields the fallback (state is a cache of
 * the past, and a bad file must never stop a cycle). `onInvalid` hears about the bad ones.
 */
export function readJsonState<T>(
  path: string,
  schema: z.ZodType<T>,
  fallback: () => T,
  onInvalid?: (reason: string) => void,
): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onInvalid?.(`${path}: ${(error as Error).message}`);
    return fallback();
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    onInvalid?.(`${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  } catch (error) {
    onInvalid?.(`${path}: ${(error as Error).message}`);
  }
  return fallback();
}
