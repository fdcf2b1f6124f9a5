// The registry's read path without zod: a line's leading ts without parsing it, and a record check equal to the schema's.
//
// Argus writes every record as `{"ts":"<24-character ISO time>",…}` (JSON.stringify of an object built ts first), so
// a line's time can be read from characters 7–30 before it is parsed: a query skips what is outside its window for
// the cost of a few compares. A line of any other shape gets NaN and a full parse.
// ProblemRecordSchema stays the one definition of a record; `checkRecord` is its hand-written twin for values from
// JSON.parse (zod costs ~5× JSON.parse per record here, ~10× under `jitless`), and a test feeds both the same good
// and bad records and asserts they agree.
import { ActionResultValueSchema, RecordKindSchema, type ProblemRecord } from '../model/record.js';
import { SeveritySchema, SourceSchema } from '../model/finding.js';

const PREFIX = '{"ts":"';
const ISO_LEN = 24;
/** Characters of a line up to and including the quote that closes its ts (bytes too: they are ASCII). */
export const TS_HEAD_LENGTH = PREFIX.length + ISO_LEN + 1;

/** The number written by n decimal digits at `at`, or -1. */
function digits(t: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = t.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Days from 1970-01-01 to a date (proleptic Gregorian); a day past the month's end rolls over as Date.UTC's does. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/**
 * The time (ms) of the line `t[start, end)` when it begins `{"ts":"YYYY-MM-DDTHH:MM:SS.sssZ"`, else NaN (the caller
 * parses the line instead). Equal to `Date.parse` of the ts: the common form is computed from its digits, anything
 * unusual (24:00, year < 100, an impossible field) is handed to Date.parse itself, and a ts that would read
 * differently once JSON-decoded (a backslash escape, non-ASCII) gives NaN.
 */
export function leadingTsMs(t: string, start = 0, end = t.length): number {
  if (end - start < TS_HEAD_LENGTH || !t.startsWith(PREFIX, start)) return NaN;
  const p = start + PREFIX.length;
  if (t.charCodeAt(p + ISO_LEN) !== 0x22) return NaN;
  const y = digits(t, p, 4);
  const mo = digits(t, p + 5, 2);
  const d = digits(t, p + 8, 2);
  const h = digits(t, p + 11, 2);
  const mi = digits(t, p + 14, 2);
  const s = digits(t, p + 17, 2);
  const ms = digits(t, p + 20, 3);
  const shaped =
    t.charCodeAt(p + 4) === 0x2d && t.charCodeAt(p + 7) === 0x2d && t.charCodeAt(p + 10) === 0x54 && t.charCodeAt(p + 13) === 0x3a && t.charCodeAt(p + 16) === 0x3a && t.charCodeAt(p + 19) === 0x2e && t.charCodeAt(p + 23) === 0x5a;
  if (shaped && y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59 && ms >= 0) {
    return daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + ms;
  }
  // Printable ASCII without escapes reads the same as the JSON string it is part of.
  for (let i = p; i < p + ISO_LEN; i++) {
    const code = t.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x5c || code === 0x22) return NaN;
  }
  return Date.parse(t.slice(p, p + ISO_LEN));
}

const SEVERITIES: ReadonlySet<unknown> = new Set(SeveritySchema.options);
const RESULTS: ReadonlySet<unknown> = new Set(ActionResultValueSchema.options);
const KINDS: ReadonlySet<unknown> = new Set(RecordKindSchema.options);
const SOURCES: ReadonlySet<unknown> = new Set(SourceSchema.options);

/** The fields `checkRecord` knows, in the schema's order (a test holds this to ProblemRecordSchema's shape). */
export const CHECKED_FIELDS = [
  'ts',
  'severity',
  'type',
  'description',
  'action_taken',
  'action_result',
  'bead_id',
  'host',
  'kind',
  'identity',
  'incident_id',
  'source',
  'cycle_id',
  'details',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strOrNull = (v: unknown): boolean => v === null || typeof v === 'string';

/**
 * `ProblemRecordSchema.safeParse(value)` for a value from JSON.parse: the same record (unknown fields dropped, fields
 * in the schema's order, a `__proto__` key of details dropped) or null where the schema fails.
 */
export function checkRecord(value: unknown): ProblemRecord | null {
  if (!isObject(value)) return null;
  const { ts, severity, type, description, action_taken, action_result, bead_id, host, kind, identity, incident_id, source, cycle_id, details } = value;
  if (
    typeof ts !== 'string' ||
    !SEVERITIES.has(severity) ||
    typeof type !== 'string' ||
    typeof description !== 'string' ||
    !strOrNull(action_taken) ||
    (action_result !== null && !RESULTS.has(action_result)) ||
    !strOrNull(bead_id) ||
    typeof host !== 'string' ||
    !KINDS.has(kind) ||
    !strOrNull(identity) ||
    !strOrNull(incident_id) ||
    !SOURCES.has(source) ||
    !strOrNull(cycle_id) ||
    !isObject(details)
  ) {
    return null;
  }
  // What the schema builds: a new object in its field order. Details are copied only when they hold a `__proto__`
  // key (zod leaves it out); otherwise the parsed object is already what zod would copy.
  return {
    ts,
    severity: severity as ProblemRecord['severity'],
    type,
    description,
    action_taken: action_taken as string | null,
    action_result: action_result as ProblemRecord['action_result'],
    bead_id: bead_id as string | null,
    host,
    kind: kind as ProblemRecord['kind'],
    identity: identity as string | null,
    incident_id: incident_id as string | null,
    source: source as ProblemRecord['source'],
    cycle_id: cycle_id as string | null,
    details: Object.hasOwn(details, '__proto__') ? withoutProto(details) : details,
  };
}

function withoutProto(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(details)) if (key !== '__proto__') out[key] = details[key];
  return out;
}

