import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProblemRecordSchema } from '../../src/model/record.js';
import { recordsInWindow } from '../../src/state/registry-window.js';
import { lcg, rec } from '../support/registry-gen.js';
import { makeTmp } from '../support/tmp.js';

let tmp: ReturnType<typeof makeTmp>;
afterEach(() => tmp?.cleanup());

async function all<T>(g: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of g) out.push(x);
  return out;
}

const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const MIN = 60_000;

/**
 * 40,000 records over ~28 days, one every minute, with what real registries hold: non-ASCII text (chunks end inside
 * characters), records up to 20 minutes out of order (a cycle and the MCP server appending), foreign lines, and
 * a torn last line.
 */
function registry(path: string): Array<{ seq: number; ms: number }> {
  const r = lcg(7);
  const truth: Array<{ seq: number; ms: number }> = [];
  const lines: string[] = [];
  for (let i = 0; i < 40_000; i++) {
    const ms = T0 + i * MIN - (r() < 0.05 ? Math.floor(r() * 20) * MIN : 0);
    truth.push({ seq: i, ms });
    lines.push(JSON.stringify(rec(ms, { kind: 'detection', type: 'disk', description: `café ${'é'.repeat(Math.floor(r() * 40))} ✓`, details: { seq: i } })));
    if (i % 5000 === 17) lines.push('not json at all', '{"foreign":true}');
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  appendFileSync(path, JSON.stringify(rec(T0 + 50_000 * MIN, { kind: 'detection', type: 'disk' })).slice(0, 40)); // torn
  return truth;
}

describe('registry window reads', () => {
  it('return exactly the records a full scan finds, for windows anywhere in the file', async () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'problems.jsonl');
    const truth = registry(path);
    const r = lcg(11);
    const windows: Array<[number, number]> = [
      [-Infinity, Infinity],
      [T0 - 86_400_000, T0 + 60 * MIN],
      [T0 + 39_990 * MIN, Infinity],
      [T0 + 50_000 * MIN, Infinity],
    ];
    for (let k = 0; k < 30; k++) {
      const from = T0 + Math.floor(r() * 40_000) * MIN;
      windows.push([from, from + Math.floor(r() * 5000) * MIN]);
    }
    for (const [from, to] of windows) {
      const got = (await all(recordsInWindow(path, from, to))).map((x) => (x.r.details as { seq: number }).seq).sort((a, b) => a - b);
      const want = truth.filter((t) => t.ms >= from && t.ms < to).map((t) => t.seq);
      expect(got, `window ${from}..${to}`).toEqual(want);
    }
  });

  it('keeps non-ASCII text whole across read chunks', async () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'problems.jsonl');
    registry(path);
    for await (const { r } of recordsInWindow(path)) expect(r.description).toMatch(/^café é* ✓$/);
  });

  it('equals a full parse with the schema on lines of every shape: ts not first, odd times, records the schema refuses, CRLF', async () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'problems.jsonl');
    const r = lcg(23);
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const ms = T0 + i * MIN;
      const good = rec(ms, { kind: 'detection', type: 'disk', description: `n${i}`, details: { seq: i } });
      const iso = new Date(ms).toISOString();
      const shapes = [
        JSON.stringify(good),
        JSON.stringify({ ...good, ts: undefined, extra: 1, later: iso }).replace('"later"', '"ts"'),
        JSON.stringify({ ...good, ts: iso.replace('.000Z', 'Z') }),
        JSON.stringify({ ...good, ts: iso.replace('Z', '+00:00') }),
        JSON.stringify({ ...good, ts: 'not a time' }),
        JSON.stringify({ ...good, severity: 'loud' }),
        JSON.stringify({ ...good, details: [i] }),
        `${JSON.stringify(good)}\r`,
        JSON.stringify(good).slice(0, 50),
        '',
      ];
      lines.push(shapes[r() < 0.6 ? 0 : Math.floor(r() * shapes.length)]!);
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
    const reference = (from: number, to: number) =>
      lines.flatMap((l) => {
        let v: unknown;
        try {
          v = JSON.parse(l);
        } catch {
          return [];
        }
        const p = ProblemRecordSchema.safeParse(v);
        const ms = p.success ? Date.parse(p.data.ts) : NaN;
        return p.success && ms >= from && ms < to ? [{ r: p.data, ms }] : [];
      });
    const windows: Array<[number, number]> = [[-Infinity, Infinity], [T0 + 100 * MIN, T0 + 200 * MIN], [T0 + 5990 * MIN, Infinity], [T0 + 3000 * MIN, T0 + 3000 * MIN + 1]];
    for (const [from, to] of windows) {
      const got = await all(recordsInWindow(path, from, to));
      expect(JSON.stringify(got), `window ${from}..${to}`).toBe(JSON.stringify(reference(from, to)));
    }
    expect((await all(recordsInWindow(path))).length).toBeGreaterThan(3600);
  });

  it('answers requests in order even when they are not awaited one by one, and a break stops the read', async () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'problems.jsonl');
    const truth = registry(path);
    const want = truth.filter((t) => t.ms >= T0 + 1000 * MIN && t.ms < T0 + 1600 * MIN).map((t) => t.seq).sort((a, b) => a - b);
    const it = recordsInWindow(path, T0 + 1000 * MIN, T0 + 1600 * MIN);
    // All requests at once, across chunk reads: each gets the next record, none twice, then done.
    const results = await Promise.all(Array.from({ length: want.length + 3 }, () => it.next()));
    const seqs = results.filter((x) => !x.done).map((x) => (x.value.r.details as { seq: number }).seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(want);
    expect(results.slice(want.length).every((x) => x.done)).toBe(true);
    let n = 0;
    for await (const _ of recordsInWindow(path)) if (++n === 5) break;
    expect(n).toBe(5);
  });

  it('a missing registry is empty', async () => {
    expect(await all(recordsInWindow('/nonexistent/problems.jsonl', 0))).toEqual([]);
  });
});
