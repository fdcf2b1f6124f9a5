import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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

  it('a missing registry is empty', async () => {
    expect(await all(recordsInWindow('/nonexistent/problems.jsonl', 0))).toEqual([]);
  });
});
