// Atomic JSON state files: write a temp file, fsync, rename. A crash leaves the old or the new file, never half.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';

export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
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
