// Read the registry's records in a time window fast: seek to the window's start, skip lines by their leading "ts".
//
// problems.jsonl is appended in time order (each record is `{"ts":"<ISO>",…}`, ts first), so the start of a window
// is found by a binary search over byte offsets instead of reading the whole file; a line outside the window is
// skipped by its ts prefix before any JSON.parse, and only records inside the window are parsed and validated (by
// record-check.ts, the schema's hand-written twin: zod cost more than the parse). Appends from concurrent writers
// (a cycle, the MCP server) can be out of order by a little: the search starts SLACK_MS early and the exact check is
// made on every record. Measured on 1,000,000 records (320 MB): the whole file in ~3 s, of which JSON.parse is ~60 %.
import { existsSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ProblemRecord } from '../model/record.js';
import { lineBlocks } from './line-reader.js';
import { checkRecord, leadingTsMs, TS_HEAD_LENGTH } from './record-check.js';
import { segmentsFor } from './registry-segments.js';

const SLACK_MS = 3_600_000;
/** Bytes decoded at a time (V8 allocates strings over 128 KB apart, in the old generation's large-object space). */
const PIECE = 64 * 1024;

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
  const head = Buffer.alloc(TS_HEAD_LENGTH);
  const ms = leadingTsMs(head.toString('latin1', 0, readSync(fd, head, 0, head.length, start)));
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
 * The text of the files that can hold records with ts ≥ fromMs (the registry's monthly segments, registry-segments.ts,
 * then the current file), oldest first, a chunk of whole lines at a time, each line ending with a newline. Each file
 * is read from the window's start (a binary search) to the size it had when opened.
 */
async function* windowText(path: string, fromMs: number): AsyncGenerator<string> {
  for (const file of segmentsFor(path, fromMs)) {
    if (!existsSync(file)) continue;
    const handle = await open(file, 'r');
    try {
      const size = (await handle.stat()).size;
      const from = Number.isFinite(fromMs) ? windowStart(handle.fd, size, fromMs - SLACK_MS) : 0;
      for await (const block of lineBlocks(handle, { from, to: size, skipPartial: from > 0 })) {
        // Decoded a piece of whole lines at a time (a line's text is a slice of it; JSON.parse copies what it keeps).
        // Pieces stay under V8's large-object size, so one that lives through a scavenge is copied, not promoted.
        for (let start = 0; start < block.length; ) {
          const end = block.indexOf(0x0a, Math.min(start + PIECE, block.length) - 1) + 1;
          yield block.toString('utf8', start, end);
          start = end;
        }
      }
    } finally {
      await handle.close();
    }
  }
}

/**
 * What `pick` makes of each record with fromMs ≤ ts < toMs, oldest first, each validated (null: left out). Bounded
 * memory: one chunk and one record at a time; a record is parsed when it is asked for, so it dies young.
 */
export function pickInWindow<T>(path: string, fromMs: number, toMs: number, pick: (r: ProblemRecord, ms: number) => T | null): AsyncGenerator<T> {
  return new Picked(windowText(path, fromMs), fromMs, toMs, pick);
}

/**
 * The iterator behind pickInWindow. An async generator costs several promise turns per value (~0.5 µs: a third of
 * parsing the record); this one answers from the text already read with a resolved promise and goes back to the file
 * only for the next chunk. Requests are served in order, as a generator's are; `return` (a `break`) closes the file.
 */
class Picked<T> implements AsyncGenerator<T> {
  private text = '';
  private at = 0;
  private finished = false;
  /** The read of the next chunk, while one is under way: later requests wait for it. */
  private refill: Promise<unknown> | null = null;
  private readonly time = { ms: NaN };

  constructor(
    private readonly pieces: AsyncGenerator<string>,
    private readonly fromMs: number,
    private readonly toMs: number,
    private readonly pick: (r: ProblemRecord, ms: number) => T | null,
  ) {}

  next(): Promise<IteratorResult<T>> {
    if (this.refill) return this.refill.then(() => this.next());
    let value: T | null;
    try {
      value = this.scan();
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (value !== null) return Promise.resolve({ value, done: false });
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    const refill = this.pieces.next().then(
      (piece) => {
        this.refill = null;
        if (piece.done) this.finished = true;
        else [this.text, this.at] = [piece.value, 0];
      },
      (error: unknown) => {
        this.refill = null;
        this.finished = true;
        throw error;
      },
    );
    this.refill = refill;
    return refill.then(() => this.next());
  }

  /** The next picked record of the text in hand, or null when it is used up. */
  private scan(): T | null {
    const t = this.text;
    while (this.at < t.length) {
      const end = t.indexOf('\n', this.at);
      const r = recordAt(t, this.at, end, this.fromMs, this.toMs, this.time);
      this.at = end + 1;
      const picked = r === null ? null : this.pick(r, this.time.ms);
      if (picked !== null) return picked;
    }
    return null;
  }

  async return(): Promise<IteratorResult<T>> {
    this.finished = true;
    this.text = '';
    await this.refill?.catch(() => undefined);
    await this.pieces.return(undefined);
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Records with fromMs ≤ ts < toMs, oldest first, each validated, across the registry's segments and the current file. */
export function recordsInWindow(path: string, fromMs = -Infinity, toMs = Infinity): AsyncGenerator<{ r: ProblemRecord; ms: number }> {
  return pickInWindow(path, fromMs, toMs, (r, ms) => ({ r, ms }));
}

/**
 * The records of recordsInWindow handed to `visit` as they are read, with no generator step per record: for a pass
 * that only accumulates (the chronicle, stats) over up to millions of records. Resolves to how many there were.
 */
export async function forEachRecordInWindow(path: string, fromMs: number, toMs: number, visit: (r: ProblemRecord, ms: number) => void): Promise<number> {
  const time = { ms: NaN };
  let n = 0;
  for await (const text of windowText(path, fromMs)) {
    for (let start = 0; start < text.length; ) {
      const end = text.indexOf('\n', start);
      const r = recordAt(text, start, end, fromMs, toMs, time);
      start = end + 1;
      if (r === null) continue;
      n++;
      visit(r, time.ms);
    }
  }
  return n;
}

/**
 * The record on the line `t[start, end)` if it is inside the window (its time in `time.ms`), else null. A line whose
 * leading ts is outside is passed over unparsed; a line without the usual head is parsed whole and judged by its ts
 * field; an empty line, a line that is not JSON or not a record is skipped.
 */
function recordAt(t: string, start: number, end: number, fromMs: number, toMs: number, time: { ms: number }): ProblemRecord | null {
  if (end <= start) return null;
  const lead = leadingTsMs(t, start, end);
  if (lead < fromMs || lead >= toMs) return null;
  let value: unknown;
  try {
    value = JSON.parse(t.slice(start, end));
  } catch {
    return null;
  }
  const r = checkRecord(value);
  if (r === null) return null;
  const ms = Number.isNaN(lead) ? Date.parse(r.ts) : lead;
  if (!(ms >= fromMs && ms < toMs)) return null;
  time.ms = ms;
  return r;
}
