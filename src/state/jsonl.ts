// Append-only JSONL files that stay valid at every instant: one write per batch, torn tails repaired on start.
import { closeSync, createReadStream, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Append records as whole lines in a single write(2) on an O_APPEND descriptor, so a crash leaves at most
 * one torn final line, which `repairJsonl` removes on the next start.
 */
export function appendJsonl(path: string, records: readonly unknown[]): void {
  if (records.length === 0) return;
  mkdirSync(dirname(path), { recursive: true });
  const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const fd = openSync(path, 'a', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

export interface RepairResult {
  repaired: boolean;
  /** Bytes cut from the end (an incomplete last line). */
  truncatedBytes: number;
}

/**
 * If the file does not end with a newline, the last line is a torn write: cut it. Every complete line
 * before it is kept. Reads only the tail, so it is cheap on a large registry.
 */
export function repairJsonl(path: string): RepairResult {
  if (!existsSync(path)) return { repaired: false, truncatedBytes: 0 };
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { repaired: false, truncatedBytes: 0 };
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return { repaired: false, truncatedBytes: 0 };
    // Scan backwards for the last newline.
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const n = readSync(fd, chunk, 0, end - start, start);
      const idx = chunk.subarray(0, n).lastIndexOf(0x0a);
      if (idx >= 0) {
        const keep = start + idx + 1;
        ftruncateSync(fd, keep);
        return { repaired: true, truncatedBytes: size - keep };
      }
      end = start;
    }
    ftruncateSync(fd, 0);
    return { repaired: true, truncatedBytes: size };
  } finally {
    closeSync(fd);
  }
}

/** Stream the lines of a JSONL file as parsed values, skipping lines that are not valid JSON. */
export async function* readJsonl(path: string): AsyncGenerator<unknown> {
  if (!existsSync(path)) return;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    try {
      yield JSON.parse(line);
    } catch {
      // A torn line not yet repaired: skip it.
    }
  }
}
