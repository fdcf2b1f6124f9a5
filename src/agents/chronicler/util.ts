// Small shared helpers: bounded maps, evidence buffers, time keys, rounding, slugs.
import type { ProblemRecord } from '../../model/record.js';
import { recordsInWindow as readWindow } from '../../state/registry-window.js';
import { EVIDENCE_MAX, type Evidence, type EvidenceList, type EvidenceRow } from './schemas.js';

/** A Map that refuses new keys past `max` and counts the refusals (memory stays bounded on any input). */
export class BoundedMap<K, V> {
  readonly map = new Map<K, V>();
  dropped = 0;
  constructor(readonly max: number) {}

  /** The value for `key`, created with `make` if there is room; undefined when full. */
  upsert(key: K, make: () => V): V | undefined {
    const found = this.map.get(key);
    if (found !== undefined) return found;
    if (this.map.size >= this.max) {
      this.dropped++;
      return undefined;
    }
    const value = make();
    this.map.set(key, value);
    return value;
  }
}

/** Keeps the latest EVIDENCE_MAX items and counts all of them. */
export class EvidenceBuffer {
  private items: Evidence[] = [];
  count = 0;
  add(item: Evidence): void {
    this.count++;
    this.items.push(item);
    if (this.items.length > EVIDENCE_MAX) this.items.shift();
  }
  toList(): EvidenceList {
    return {
      items: [...this.items].sort((a, b) => cmp(a.ts, b.ts) || cmp(a.description, b.description)),
      count: this.count,
    };
  }
}

/** Evidence with repeats folded: one row per description (first, last, count); the latest EVIDENCE_MAX rows kept. */
export class FoldedEvidence {
  private readonly rowsBy = new Map<string, EvidenceRow>();
  add(ts: string, description: string): void {
    const row = this.rowsBy.get(description);
    if (row) {
      row.count++;
      if (ts > row.last) row.last = ts;
      if (ts < row.first) row.first = ts;
      // Most recent last: re-insert.
      this.rowsBy.delete(description);
      this.rowsBy.set(description, row);
      return;
    }
    this.rowsBy.set(description, { description, first: ts, last: ts, count: 1 });
    if (this.rowsBy.size > EVIDENCE_MAX) this.rowsBy.delete(this.rowsBy.keys().next().value!);
  }
  rows(): EvidenceRow[] {
    return [...this.rowsBy.values()]
      .sort((a, b) => cmp(a.first, b.first) || cmp(a.description, b.description))
      .map((r) => ({ ...r }));
  }
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** `YYYY-MM-DD` (UTC) of an epoch ms. */
export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Hour of day 0–23 (UTC); UTC has no leap seconds in epoch ms, so this is Date's getUTCHours without a Date. */
export function hourOf(ms: number): number {
  return mod(Math.floor(ms / HOUR_MS), 24);
}

/** Day of the week 0–6 (UTC, Sunday 0): Date's getUTCDay without a Date (1970-01-01 was a Thursday). */
export function weekdayOf(ms: number): number {
  return mod(Math.floor(ms / DAY_MS) + 4, 7);
}

/**
 * Day and hour keys of times that mostly arrive in order: a record's key is nearly always the previous record's, so
 * it is formatted once per day or hour rather than once per record (and every record of that day shares one string).
 */
export class TimeKeys {
  private dayN = NaN;
  private dayText = '';
  private hourN = NaN;
  private hourText = '';

  /** `YYYY-MM-DD` (UTC), as dayKey. */
  day(ms: number): string {
    const n = Math.floor(ms / DAY_MS);
    if (n !== this.dayN) {
      this.dayN = n;
      this.dayText = dayKey(ms);
    }
    return this.dayText;
  }

  /** `YYYY-MM-DDTHH` (UTC). */
  hour(ms: number): string {
    const n = Math.floor(ms / HOUR_MS);
    if (n !== this.hourN) {
      this.hourN = n;
      this.hourText = new Date(ms).toISOString().slice(0, 13);
    }
    return this.hourText;
  }
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** A file-name-safe slug: lowercase letters, digits and dashes, at most 80 characters. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return s || 'unnamed';
}

/** Split `restart_service:nginx.service` into action and target. */
export function parseAction(actionTaken: string): { action: string; target: string } {
  const i = actionTaken.indexOf(':');
  return i < 0
    ? { action: actionTaken, target: '' }
    : { action: actionTaken.slice(0, i), target: actionTaken.slice(i + 1) };
}

/** The subject part of an identity `type:subject`. */
export function subjectOf(identity: string): string {
  const i = identity.indexOf(':');
  return i < 0 ? identity : identity.slice(i + 1);
}

export function increment(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/** A copy of a record with its keys sorted (deterministic output). */
export function sortedRecord<V>(input: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(input).sort()) out[k] = input[k]!;
  return out;
}

/** Read a string field of `details`, if present. */
export function detailString(details: Record<string, unknown>, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = details[k];
    if (typeof v === 'string' && v) return v;
  }
  return null;
}

/** Registry records in [from, to) with their time in ms, streamed: the one pass aggregate and stats both make. */
export async function* recordsInWindow(
  registryPath: string,
  from: number,
  to: number,
): AsyncGenerator<{ r: ProblemRecord; ms: number }> {
  yield* readWindow(registryPath, from, to);
}
