import { describe, expect, it } from 'vitest';
import { ProblemRecordSchema } from '../../src/model/record.js';
import { CHECKED_FIELDS, checkRecord, leadingTsMs } from '../../src/state/record-check.js';
import { lcg, rec } from '../support/registry-gen.js';

/** What the schema says about a JSON text: the record it returns, or null. */
function bySchema(json: string): unknown {
  const parsed = ProblemRecordSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

/** Both verdicts on the same JSON text, as JSON text (so key order counts: `problems --json` prints it). */
function verdicts(json: string): { check: string; schema: string } {
  return { check: JSON.stringify(checkRecord(JSON.parse(json))), schema: JSON.stringify(bySchema(json)) };
}

const GOOD = rec(Date.parse('2026-11-20T10:00:00.000Z'), {
  kind: 'action',
  type: 'service',
  identity: 'service:nginx.service',
  incident_id: 'inc-1',
  action_taken: 'restart_service:nginx.service',
  action_result: 'success',
  cycle_id: 'c1',
  details: { exit: 0, nested: { a: [1, 2] } },
});

/** Values tried in every field: the right types, the wrong ones, enum look-alikes. */
const VALUES: unknown[] = [null, '', 'x', 0, 1.5, true, false, [], {}, ['warning'], { a: 1 }, 'warning', 'critical', 'Warning', 'warning ', 'success', 'dry_run', 'detection', 'self', 'rule', 'human', 'alertmanager', 'toString', '__proto__', 'constructor'];

describe('checkRecord agrees with ProblemRecordSchema', () => {
  it('knows exactly the schema fields, in its order', () => {
    expect([...CHECKED_FIELDS]).toEqual(Object.keys(ProblemRecordSchema.shape));
  });

  it('on every field replaced by every value, removed, or left as it is', () => {
    const texts: string[] = [JSON.stringify(GOOD)];
    for (const field of CHECKED_FIELDS) {
      const { [field]: _dropped, ...without } = GOOD;
      texts.push(JSON.stringify(without));
      for (const v of VALUES) texts.push(JSON.stringify({ ...GOOD, [field]: v }));
    }
    let accepted = 0;
    for (const json of texts) {
      const { check, schema } = verdicts(json);
      expect(check, json).toBe(schema);
      if (check !== 'null') accepted++;
    }
    // The table holds both kinds: records the schema takes and records it refuses.
    expect(accepted).toBeGreaterThan(20);
    expect(texts.length - accepted).toBeGreaterThan(200);
  });

  it.each([
    ['extra fields are dropped', JSON.stringify({ extra: 1, ...GOOD, more: [1] })],
    ['fields in another order come back in the schema order', JSON.stringify(Object.fromEntries(Object.entries(GOOD).reverse()))],
    ['a __proto__ key in details is dropped', JSON.stringify(GOOD).replace('"details":{', '"details":{"__proto__":{"polluted":true},')],
    ['a __proto__ key at the top is dropped', JSON.stringify(GOOD).replace('{', '{"__proto__":{"severity":"info"},')],
    ['numeric-looking detail keys keep their order', JSON.stringify({ ...GOOD, details: { b: 1, 10: 2, 2: 3, a: 4 } })],
    ['details that are an array', JSON.stringify({ ...GOOD, details: [1] })],
    ['details that are null', JSON.stringify({ ...GOOD, details: null })],
    ['a detail named constructor', JSON.stringify({ ...GOOD, details: { constructor: 'x', prototype: {} } })],
    ['an array instead of a record', JSON.stringify([GOOD])],
    ['a string', JSON.stringify('record')],
    ['null', 'null'],
    ['a number', '42'],
    ['non-ASCII and control text', JSON.stringify({ ...GOOD, description: 'café ✓ \u0000 \u2028 🔴' })],
    ['a ts that is not a time (the schema takes any string)', JSON.stringify({ ...GOOD, ts: 'yesterday' })],
  ])('%s', (_name, json) => {
    const { check, schema } = verdicts(json);
    expect(check).toBe(schema);
  });

  it('on random records built from the same values', () => {
    const r = lcg(18);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    for (let i = 0; i < 5000; i++) {
      const o: Record<string, unknown> = { ...GOOD };
      const changes = 1 + Math.floor(r() * 3);
      for (let k = 0; k < changes; k++) {
        const field = pick(CHECKED_FIELDS);
        if (r() < 0.15) delete o[field];
        else o[field] = pick(VALUES);
      }
      const { check, schema } = verdicts(JSON.stringify(o));
      expect(check).toBe(schema);
    }
  });
});

describe('leadingTsMs', () => {
  const lineOf = (ts: string) => `{"ts":"${ts}","severity":"info"}`;
  /** What the full parse would say: Date.parse of a 24-character printable ASCII ts, else NaN (parse the line). */
  const expected = (ts: string) => (ts.length === 24 && /^[\x20-\x7e]+$/.test(ts) && !/["\\]/.test(ts) ? Date.parse(ts) : NaN);

  it.each([
    '2026-11-20T10:00:00.000Z',
    '1970-01-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '2024-02-29T12:00:00.000Z',
    '2025-02-29T12:00:00.000Z',
    '2025-02-31T00:00:00.000Z',
    '2025-02-32T00:00:00.000Z',
    '2025-04-31T00:00:00.000Z',
    '2025-01-01T24:00:00.000Z',
    '2025-01-01T24:00:01.000Z',
    '2025-01-01T23:60:00.000Z',
    '2025-01-01T23:59:60.000Z',
    '2025-00-01T00:00:00.000Z',
    '2025-13-01T00:00:00.000Z',
    '2025-01-00T00:00:00.000Z',
    '0050-01-01T00:00:00.000Z',
    '0100-01-01T00:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '2026-11-20T10:00:00.000z',
    '2026-11-20 10:00:00.000Z',
    '2026-11-20T10:00:00.00AZ',
    '+02026-11-20T10:00:00.000Z',
    '2026-11-20T10:00:00.000+01:00',
    '2026-11-20T10:00:00Z',
    '2026-11-20T10:00:00.0000Z',
    '2026-11-20T10:00:00.000Z ',
    '２026-11-20T10:00:00.000Z',
  ])('%s reads as Date.parse reads it, or asks for a full parse', (ts) => {
    expect(Object.is(leadingTsMs(lineOf(ts)), expected(ts))).toBe(true);
  });

  it('equals Date.parse on random times (years 0100–9999), at any offset in a block', () => {
    const r = lcg(5);
    let n = 0;
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor((r() * 1.3 - 0.3) * 253_402_300_799_999);
      const ts = new Date(ms).toISOString();
      if (ts.length !== 24 || ts < '0100') continue;
      const pad = '\n'.repeat(Math.floor(r() * 5));
      const block = `${pad}${lineOf(ts)}\n${lineOf('2000-01-01T00:00:00.000Z')}`;
      expect(leadingTsMs(block, pad.length, pad.length + lineOf(ts).length)).toBe(ms);
      n++;
    }
    expect(n).toBeGreaterThan(15_000);
  });

  it.each([
    ['ts not first', '{"severity":"info","ts":"2026-11-20T10:00:00.000Z"}'],
    ['an escaped character in the ts', '{"ts":"2026-11-20T10:00:00.000\\u005a"}'],
    ['a space after the brace', '{ "ts":"2026-11-20T10:00:00.000Z"}'],
    ['cut short', '{"ts":"2026-11-20T10:00:00.000Z'],
    ['empty', ''],
  ])('%s: NaN (the line is parsed whole)', (_name, line) => {
    expect(leadingTsMs(line)).toBeNaN();
  });

  it('reads only inside [start, end)', () => {
    const line = lineOf('2026-11-20T10:00:00.000Z');
    expect(leadingTsMs(line, 0, 31)).toBeNaN();
    expect(leadingTsMs(line, 0, 32)).toBe(Date.parse('2026-11-20T10:00:00.000Z'));
    expect(leadingTsMs(`xx${line}`, 2, 34)).toBe(Date.parse('2026-11-20T10:00:00.000Z'));
  });
});
