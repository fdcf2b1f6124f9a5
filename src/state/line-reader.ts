// Whole lines of a file as bytes, read in large chunks: no readline, no string for a line nobody keeps.
import type { FileHandle } from 'node:fs/promises';

const CHUNK = 1 << 20;

export interface LineBlockOptions {
  /** First byte to read. */
  from: number;
  /** Read up to here (the size the caller saw; bytes appended later are left for the next reader). */
  to: number;
  /** Drop everything up to the first newline: `from` is somewhere inside a line (a seek). */
  skipPartial?: boolean;
  /** Also yield a last line without its newline (readline's behaviour); by default it is a torn write, not a line yet. */
  tail?: boolean;
  /** Bytes read at a time (tests use small ones). */
  chunk?: number;
}

/**
 * Blocks of whole lines, each a Buffer that ends with a newline (only the `tail` block may not). The Buffer is
 * reused: read what you need from it before asking for the next block. A line longer than the chunk grows the
 * buffer. Each chunk is an await, so a long scan inside a server lets other requests run between chunks; the next
 * chunk is read while the caller works on the current one (under CPU load, a read's round trip through libuv's
 * thread pool takes milliseconds: a third of a whole-registry pass was spent waiting for them).
 */
export async function* lineBlocks(handle: FileHandle, o: LineBlockOptions): AsyncGenerator<Buffer> {
  let buf = Buffer.allocUnsafe(o.chunk ?? CHUNK);
  let spare = Buffer.allocUnsafe(buf.length);
  let skip = o.skipPartial === true;
  let pos = o.from;
  const read = (into: Buffer, at: number) => {
    const want = Math.min(into.length - at, o.to - pos);
    const done = handle.read(into, at, want, pos);
    pos += want;
    return { done, at, want };
  };
  let next = pos < o.to ? read(buf, 0) : null;
  while (next) {
    const { bytesRead } = await next.done;
    const end = next.at + bytesRead;
    // Fewer bytes than asked: the file was cut short under us; nothing after this.
    const more = bytesRead === next.want && pos < o.to;
    next = null;
    let start = 0;
    if (skip) {
      const nl = buf.indexOf(0x0a, 0);
      if (nl < 0 || nl >= end) {
        if (more) next = read(buf, 0);
        continue;
      }
      skip = false;
      start = nl + 1;
    }
    // (A negative offset would search from the buffer's end.)
    const last = end > 0 ? buf.lastIndexOf(0x0a, end - 1) : -1;
    // The unfinished line goes first into the other buffer, and the next read lands behind it.
    const from = Math.max(start, last + 1);
    const held = end - from;
    if (more) {
      if (held >= spare.length) spare = Buffer.allocUnsafe(Math.max(2 * spare.length, 2 * held));
      buf.copy(spare, 0, from, end);
      next = read(spare, held);
    }
    if (last >= start) yield buf.subarray(start, last + 1);
    if (!more && o.tail && held > 0) yield buf.subarray(from, end);
    [buf, spare] = [spare, buf];
  }
}
