import { createReadStream, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { lineBlocks, type LineBlockOptions } from '../../src/state/line-reader.js';
import { readJsonl } from '../../src/state/jsonl.js';
import { lcg } from '../support/registry-gen.js';
import { makeTmp } from '../support/tmp.js';

let tmp: ReturnType<typeof makeTmp>;
afterEach(() => tmp?.cleanup());

/** Every block of a file, copied (the reader reuses its buffer), joined back into one text. */
async function blocks(path: string, o: Omit<LineBlockOptions, 'to'> & { to?: number }): Promise<{ text: string; ends: boolean[] }> {
  const handle = await open(path, 'r');
  try {
    const to = o.to ?? (await handle.stat()).size;
    const parts: Buffer[] = [];
    for await (const b of lineBlocks(handle, { ...o, to })) parts.push(Buffer.from(b));
    return { text: Buffer.concat(parts).toString('utf8'), ends: parts.map((p) => p[p.length - 1] === 0x0a) };
  } finally {
    await handle.close();
  }
}

/** Lines of mixed lengths (some longer than the chunk), multi-byte text, empty lines; `tail` leaves a last line open. */
function text(seed: number, n: number, tail: string): string {
  const r = lcg(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(r() < 0.1 ? '' : `${i} ${'é✓x'.repeat(Math.floor(r() * (r() < 0.05 ? 400 : 30)))}`);
  return `${lines.join('\n')}\n${tail}`;
}

describe('lineBlocks', () => {
  it.each([7, 64, 1000, 1 << 20])('yields exactly the whole lines, in blocks ending at a newline (chunk %i)', async (chunk) => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'a.jsonl');
    const content = text(chunk, 500, 'torn tail');
    writeFileSync(path, content);
    const whole = content.slice(0, content.lastIndexOf('\n') + 1);
    const got = await blocks(path, { from: 0, chunk });
    expect(got.text).toBe(whole);
    expect(got.ends.every(Boolean)).toBe(true);
    // With `tail`, the open last line comes too (readline's reading).
    expect((await blocks(path, { from: 0, chunk, tail: true })).text).toBe(content);
  });

  it('from inside a line: drops up to the first newline, at any byte offset', async () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'a.jsonl');
    const content = text(3, 200, '');
    writeFileSync(path, content);
    const bytes = Buffer.from(content);
    const r = lcg(9);
    for (let k = 0; k < 200; k++) {
      const from = 1 + Math.floor(r() * (bytes.length - 1));
      const nl = bytes.indexOf(0x0a, from);
      const want = nl < 0 ? '' : bytes.subarray(nl + 1).toString('utf8');
      expect((await blocks(path, { from, chunk: 16 + Math.floor(r() * 200), skipPartial: true })).text, `from ${from}`).toBe(want);
    }
  });

  it('stops at `to` (bytes appended after the size was taken wait for the next read)', async () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'a.jsonl');
    writeFileSync(path, 'one\ntwo\nthree\n');
    expect((await blocks(path, { from: 0, to: 10, chunk: 4 })).text).toBe('one\ntwo\n');
    expect((await blocks(path, { from: 4, to: 14, chunk: 4 })).text).toBe('two\nthree\n');
  });

  it.each([
    ['an empty file', '', ''],
    ['no newline at all', 'only a torn line', ''],
    ['only newlines', '\n\n\n', '\n\n\n'],
  ])('%s', async (_name, content, want) => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'a.jsonl');
    writeFileSync(path, content);
    expect((await blocks(path, { from: 0, chunk: 4 })).text).toBe(want);
  });
});

describe('readJsonl', () => {
  /** The reader it replaced: readline over a utf8 stream, every non-empty line JSON-parsed, failures skipped. */
  async function byReadline(path: string): Promise<unknown[]> {
    const out: unknown[] = [];
    for await (const line of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        // skipped
      }
    }
    return out;
  }

  async function all(path: string): Promise<unknown[]> {
    const out: unknown[] = [];
    for await (const v of readJsonl(path)) out.push(v);
    return out;
  }

  it('reads what readline read: CRLF, lone CR, blank lines, garbage, multi-byte text across chunks, an open last line', async () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'history.jsonl');
    const r = lcg(4);
    const lines: string[] = [];
    // Over 2 MB, so chunk edges fall inside lines and inside characters.
    for (let i = 0, length = 0; length < 2.5 * 1024 * 1024; i++) {
      const v = JSON.stringify({ ts: new Date(i * 60_000).toISOString(), i, text: 'café ✓ 🔴'.repeat(Math.floor(r() * 50)) });
      const roll = r();
      const line = roll < 0.02 ? `${v}\r` : roll < 0.03 ? `${v}\r${v}` : roll < 0.04 ? '' : roll < 0.05 ? 'not json' : roll < 0.06 ? 'null' : v;
      lines.push(line);
      length += line.length + 1;
    }
    writeFileSync(path, `${lines.join('\n')}\n{"open":"last line"}`);
    const want = await byReadline(path);
    expect(want.length).toBeGreaterThan(1000);
    expect(await all(path)).toEqual(want);
  });

  it('a missing file is empty', async () => {
    expect(await all('/nonexistent/history.jsonl')).toEqual([]);
  });
});
