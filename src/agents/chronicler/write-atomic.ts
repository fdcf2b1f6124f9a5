// Atomic text writes for files other users read (docs, node_exporter textfiles): temp file in the same dir, fsync, rename.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Like state/atomic.ts's writer, but world-readable (0644) and with a dot-prefixed temp name that does not end in the
 * target's extension, so a collector scanning `*.prom` never reads a half-written file.
 */
export function writeTextAtomic(path: string, text: string, mode = 0o644): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
