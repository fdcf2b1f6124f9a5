// The registry stays bounded: problems.jsonl is the current month; older months are segments beside it
// (problems-2026-11.jsonl), each still JSONL that `jq` reads; segments older than the retention are deleted.
// Readers see one registry: `segmentsFor` lists the files whose month can hold records of a window, oldest first.
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { leadingTsMs, TS_HEAD_LENGTH } from './record-check.js';

const SEGMENT = /^(.+)-(\d{4})-(\d{2})\.jsonl$/;

/** `problems.jsonl` + a month → `problems-2026-11.jsonl`. */
export function segmentName(path: string, year: number, month: number): string {
  return join(dirname(path), `${basename(path, '.jsonl')}-${year}-${String(month).padStart(2, '0')}.jsonl`);
}

interface Segment {
  path: string;
  /** The month's first instant (UTC), ms. */
  startMs: number;
  /**
   * The end of its month or its last record's time, whichever is later: a segment rotated late (Argus was down at
   * the turn of the month) holds the new month's first records too.
   */
  endMs: number;
}

/** Segments of `path`, oldest first. */
export function listSegments(path: string): Segment[] {
  const stem = basename(path, '.jsonl');
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return [];
  }
  const out: Segment[] = [];
  for (const name of names) {
    const m = SEGMENT.exec(name);
    if (!m || m[1] !== stem) continue;
    const year = Number(m[2]);
    const month = Number(m[3]);
    const file = join(dirname(path), name);
    out.push({ path: file, startMs: Date.UTC(year, month - 1, 1), endMs: Math.max(Date.UTC(year, month, 1), lastTs(file) ?? 0) });
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

/**
 * The files that can hold records with ts ≥ fromMs: segments that end at or after fromMs, then the current file.
 */
export function segmentsFor(path: string, fromMs: number): string[] {
  return [...listSegments(path).filter((s) => s.endMs >= fromMs).map((s) => s.path), path];
}

/** The leading ts of the line `t[start, end)`, ms, or null when it has none. */
const tsOf = (t: string, start?: number, end?: number): number | null => {
  const ms = leadingTsMs(t, start, end);
  return Number.isFinite(ms) ? ms : null;
};

/** The ts of the last whole record of a file, ms (null when none is found in its last 64 KB). */
function lastTs(path: string): number | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 65_536);
    const buf = Buffer.alloc(length);
    // latin1: one character a byte, so a ts reads the same and nothing is cut inside a character.
    const text = buf.toString('latin1', 0, readSync(fd, buf, 0, length, size - length));
    // Whole lines only, newest first: after the last newline is a torn write; before the first, maybe half a line.
    for (let end = text.lastIndexOf('\n'); end > 0; ) {
      const nl = text.lastIndexOf('\n', end - 1);
      if (nl < 0 && size > length) break;
      const ms = tsOf(text, nl + 1, end);
      if (ms !== null) return ms;
      end = nl;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The ts of the first record of a file, ms (null when empty or unreadable). */
function firstTs(path: string): number | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(TS_HEAD_LENGTH);
    return tsOf(head.toString('latin1', 0, readSync(fd, head, 0, head.length, 0)));
  } finally {
    closeSync(fd);
  }
}

export interface MaintainResult {
  rotated: string | null;
  deleted: string[];
}

/**
 * Once a month begins, the current file becomes the segment of the month of its first record (a rename: a writer
 * that still holds the old file open appends there, and readers see both); segments that ended more than
 * `retentionDays` ago are deleted. Run under the single-instance lock. Never throws.
 */
export function maintainRegistry(path: string, now: Date, retentionDays: number): MaintainResult {
  const result: MaintainResult = { rotated: null, deleted: [] };
  try {
    const first = firstTs(path);
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    if (first !== null && first < monthStart) {
      const d = new Date(first);
      const target = segmentName(path, d.getUTCFullYear(), d.getUTCMonth() + 1);
      // A segment of that month already there (a clock set back): keep both, never overwrite.
      if (!existsSync(target)) {
        renameSync(path, target);
        result.rotated = target;
      }
    }
    const cutoff = now.getTime() - retentionDays * 86_400_000;
    for (const s of listSegments(path)) {
      if (s.endMs < cutoff) {
        unlinkSync(s.path);
        result.deleted.push(s.path);
      }
    }
  } catch {
    // A full or read-only disk: try again next cycle.
  }
  return result;
}
