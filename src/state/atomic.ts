// Atomic JSON state files: write a temp file, fsync, rename. A crash leaves the old or the new file, never half.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';

export interface AtomicWriteOptions {
  /** File mode of the new file (default 0600: state is private). */
  mode?: number;
  /**
   * A dot-prefixed temp name that does not end in the target's extension, for directories other programs scan
   * (node_exporter reads `*.prom`; it must never see a half-written file).
   */
  hiddenTemp?: boolean;
}

export function writeFileAtomic(path: string, text: string, options: AtomicWriteOptions = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = options.hiddenTemp ? join(dir, `.${basename(path)}.${process.pid}.tmp`) : `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', options.mode ?? 0o600);
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
