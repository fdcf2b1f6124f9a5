// Read the registry's records in a time window fast: seek to the window's start, skip lines by their leading "ts".
//
// problems.jsonl is appended in time order (each record is `{"ts":"<ISO>",…}`, ts first), so the start of a window
// is found by a binary search over byte offsets instead of reading the whole file; a line outside the window is
// skipped by its ts prefix before any JSON.parse, and only records inside the window are parsed and validated.
// Appends from concurrent writers (a cycle, the MCP server) can be out of order by a little: the search starts
// SLACK_MS early and the exact check is made on every record.
import { existsSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { ProblemRecordSchema, type ProblemRecord } from '../model/record.js';
import { segmentsFor } from './registry-segments.js';

const SLACK_MS = 3_600_000;
const CHUNK = 1 << 20;
/** `{"ts":"` then 24 characters of ISO time. */
const TS_PREFIX = '{"ts":"';
const ISO_LEN = 24;

/** The ts of the first whole line at or after `offset` (+Infinity when it has none: search earlier), or null at the end. */
function tsAfter(fd: number, offset: number, size: number): { at: number; ms: number } | null {
  let start = offset;
  if (offset > 0) {
    const buf = Buffer.alloc(4096);
    start = -1;
    for (let pos = offset; pos < size; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n <= 0) break;
      const nl = buf.subarray(0, n).indexOf(0x0a);
      if (nl >= 0) {
        start = pos + nl + 1;
        break;
      }
      pos += n;
    }
    if (start < 0 || start >= size) return null;
  }
  const head = Buffer.alloc(TS_PREFIX.length + ISO_LEN);
  const text = head.subarray(0, readSync(fd, head, 0, head.length, start)).toString('latin1');
  const ms = text.startsWith(TS_PREFIX) ? Date.parse(text.slice(TS_PREFIX.length)) : NaN;
  return { at: start, ms: Number.isFinite(ms) ? ms : Infinity };
}

/** A byte offset at or before the first record with ts ≥ fromMs (0 when unsure). */
export function windowStart(fd: number, size: number, fromMs: number): number {
  let lo = 0;
  let hi = size;
  while (hi - lo > 64 * 1024) {
    const mid = Math.floor((lo + hi) / 2);
    const probe = tsAfter(fd, mid, size);
    if (probe === null || probe.ms >= fromMs) hi = mid;
    else lo = mid;
  }
  return lo;
}

/**
 * Whole lines from `offset` (a partial first line is dropped unless offset is 0), read in large chunks. Each chunk is
 * an await: a long scan inside a server (MCP, `argus serve`) lets other requests run between chunks.
 */
async function* linesFrom(handle: FileHandle, offset: number, size: number): AsyncGenerator<string> {
  const buf = Buffer.alloc(CHUNK);
  // A chunk can end inside a multi-byte character: the decoder keeps the partial bytes for the next chunk.
  const decoder = new StringDecoder('utf8');
  let pos = offset;
  let rest = '';
  let first = offset > 0;
  while (pos < size) {
    const { bytesRead: n } = await handle.read(buf, 0, Math.min(CHUNK, size - pos), pos);
    if (n <= 0) break;
    pos += n;
    const text = rest + decoder.write(buf.subarray(0, n));
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (first) {
        first = false;
        continue;
      }
      if (line) yield line;
    }
  }
  // A last line without its newline is a torn write until repair: not a record yet.
}

/**
 * Records with fromMs ≤ ts < toMs, oldest first, each validated, across the registry's monthly segments
 * (registry-segments.ts) and the current file. Bounded memory: one chunk and one line at a time.
 */
export async function* recordsInWindow(path: string, fromMs = -Infinity, toMs = Infinity): AsyncGenerator<{ r: ProblemRecord; ms: number }> {
  for (const file of segmentsFor(path, fromMs)) yield* recordsInFile(file, fromMs, toMs);
}

async function* recordsInFile(path: string, fromMs: number, toMs: number): AsyncGenerator<{ r: ProblemRecord; ms: number }> {
  if (!existsSync(path)) return;
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const start = Number.isFinite(fromMs) ? windowStart(handle.fd, size, fromMs - SLACK_MS) : 0;
    for await (const line of linesFrom(handle, start, size)) {
      let ms = NaN;
      if (line.startsWith(TS_PREFIX)) {
        ms = Date.parse(line.slice(TS_PREFIX.length, TS_PREFIX.length + ISO_LEN));
        if (ms < fromMs || ms >= toMs) continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      const parsed = ProblemRecordSchema.safeParse(value);
      if (!parsed.success) continue;
      const t = Number.isFinite(ms) ? ms : Date.parse(parsed.data.ts);
      if (t >= fromMs && t < toMs) yield { r: parsed.data, ms: t };
    }
  } finally {
    await handle.close();
  }
}
