// Append-only JSONL files that stay valid at every instant: one write per batch, torn tails repaired on start.
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NODE_WRITER_FS, writeAll, type WriterFs } from './atomic.js';
import { lineBlocks } from './line-reader.js';

/**
 * Append records as whole lines in a single write(2) on an O_APPEND descriptor, so a crash leaves at most
 * one torn final line, which `repairJsonl` removes on the next start. A write that fails part-way (a full disk)
 * throws after cutting its own partial bytes off again, so the file still ends with a complete line.
 */
export function appendJsonl(path: string, records: readonly unknown[], fs: Pick<WriterFs, 'write'> = NODE_WRITER_FS): void {
  if (records.length === 0) return;
  mkdirSync(dirname(path), { recursive: true });
  const bytes = Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8');
  const fd = openSync(path, 'a', 0o600);
  try {
    const before = fstatSync(fd).size;
    try {
      writeAll(fs, fd, bytes);
    } catch (error) {
      // Undo our partial line, unless another writer appended after it (then repair on start cuts what is torn).
      const size = fstatSync(fd).size;
      if (size > before && size < before + bytes.length) ftruncateSync(fd, before);
      throw error;
    }
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
 * If the file does not end with a newline, the last line is either a complete record that lacks only its newline
 * (the newline is added) or a torn write (it is cut). Every complete line before it is kept. Reads only the tail,
 * so it is cheap on a large registry.
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
      if (idx >= 0) return finishTail(fd, start + idx + 1, size);
      end = start;
    }
    return finishTail(fd, 0, size);
  } finally {
    closeSync(fd);
  }
}

/** The tail from `keep` to `size` has no newline: keep it if it is one whole JSON record, else cut it. */
function finishTail(fd: number, keep: number, size: number): RepairResult {
  const tailBytes = size - keep;
  if (tailBytes <= MAX_RECORD_BYTES) {
    const tail = Buffer.alloc(tailBytes);
    readSync(fd, tail, 0, tailBytes, keep);
    if (isWholeRecord(tail.toString('utf8'))) {
      writeSync(fd, '\n', size);
      return { repaired: true, truncatedBytes: 0 };
    }
  }
  ftruncateSync(fd, keep);
  return { repaired: true, truncatedBytes: tailBytes };
}

/** Records are JSON objects on one line; a longer tail is not one of ours. */
const MAX_RECORD_BYTES = 1024 * 1024;

function isWholeRecord(text: string): boolean {
  if (!text.startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Stream the lines of a JSONL file as parsed values, skipping lines that are not valid JSON. Lines end at `\n`, `\r\n`
 * or a lone `\r` and the last line needs no newline (as `readline` splits them); read in large chunks as bytes.
 */
export async function* readJsonl(path: string): AsyncGenerator<unknown> {
  if (!existsSync(path)) return;
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    for await (const block of lineBlocks(handle, { from: 0, to: size, tail: true })) {
      for (let start = 0; start < block.length; ) {
        let end = block.indexOf(0x0a, start);
        if (end < 0) end = block.length;
        const text = end > start ? block.toString('utf8', start, end) : '';
        start = end + 1;
        if (!text) continue;
        if (!text.includes('\r')) {
          const value = parseLine(text);
          if (value !== undefined) yield value;
          continue;
        }
        for (const part of text.split('\r')) {
          const value = part ? parseLine(part) : undefined;
          if (value !== undefined) yield value;
        }
      }
    }
  } finally {
    await handle.close();
  }
}

/** A line's JSON value, or undefined for a torn line not yet repaired (JSON has no undefined). */
function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
