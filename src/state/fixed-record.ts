// A small JSON record in a file of fixed size, rewritten in place: it keeps working when the disk is full.
//
// The file is created once at its full size while there is space; later writes overwrite blocks the file already
// owns, so they need no new space (ext4, xfs, tmpfs). One write of RECORD_BYTES at offset 0: a crash mid-write can
// tear it, and a torn record reads as missing (the caller then falls back to its atomic state file).
import { closeSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import { NODE_WRITER_FS, writeAll, writeFileAtomic } from './atomic.js';

export const RECORD_BYTES = 512;

export function readFixedRecord<T>(path: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Write `value` in place (creating the file at full size the first time). Throws only when it could not. */
export function writeFixedRecord(path: string, value: unknown): void {
  const json = JSON.stringify(value);
  if (Buffer.byteLength(json) > RECORD_BYTES - 1) throw new Error(`record of ${Buffer.byteLength(json)} bytes exceeds ${RECORD_BYTES - 1}`);
  const padded = Buffer.alloc(RECORD_BYTES, 0x20);
  padded.write(json, 0, 'utf8');
  padded[RECORD_BYTES - 1] = 0x0a;
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    writeFileAtomic(path, padded.toString('utf8'));
    return;
  }
  try {
    writeAll(NODE_WRITER_FS, fd, padded);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
