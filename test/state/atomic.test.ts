import { readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NODE_WRITER_FS, readJsonState, writeJsonAtomic, type WriterFs } from '../../src/state/atomic.js';
import { appendJsonl } from '../../src/state/jsonl.js';
import { makeTmp } from '../support/tmp.js';

let tmp: ReturnType<typeof makeTmp>;
afterEach(() => tmp?.cleanup());
const Schema = z.object({ n: z.number() });

describe('atomic state files', () => {
  it('writes through a temp file and leaves no temp behind', () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'sub', 'state.json');
    writeJsonAtomic(path, { n: 1 });
    writeJsonAtomic(path, { n: 2 });
    expect(readJsonState(path, Schema, () => ({ n: 0 }))).toEqual({ n: 2 });
    expect(readdirSync(join(tmp.dir, 'sub'))).toEqual(['state.json']);
  });

  it.each([
    ['missing', null],
    ['truncated JSON', '{"n": 1'],
    ['wrong shape', '{"n": "one"}'],
  ])('falls back on a %s file and says why', (_name, text) => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'state.json');
    if (text !== null) writeFileSync(path, text);
    const reasons: string[] = [];
    expect(readJsonState(path, Schema, () => ({ n: 0 }), (r) => reasons.push(r))).toEqual({ n: 0 });
    expect(reasons.length).toBe(text === null ? 0 : 1);
  });
});

describe('the writer cannot lie', () => {
  /** A file system whose write stores at most `max` bytes per call and then, after `budget` bytes, no more. */
  function shortFs(budget: number, max = 7): WriterFs {
    let left = budget;
    return {
      ...NODE_WRITER_FS,
      write: (fd, buffer, offset, length) => {
        const n = Math.min(length, max, left);
        left -= n;
        return n === 0 ? 0 : writeSync(fd, buffer, offset, n);
      },
    };
  }

  it('loops on short writes: a write that stores 7 bytes at a time still writes the whole file', () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'state.json');
    writeJsonAtomic(path, { n: 12345, text: 'x'.repeat(200) }, { fs: shortFs(Infinity) });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ n: 12345, text: 'x'.repeat(200) });
  });

  it.each([0, 1, 40, 199])('a disk that fills after %i bytes: throws, the old file survives, no temp file is left', (budget) => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'incidents.json');
    writeJsonAtomic(path, { n: 1 });
    expect(() => writeJsonAtomic(path, { n: 2, text: 'y'.repeat(300) }, { fs: shortFs(budget) })).toThrow(/no space left/);
    expect(readJsonState(path, Schema, () => ({ n: 0 }))).toEqual({ n: 1 });
    expect(readdirSync(tmp.dir)).toEqual(['incidents.json']);
  });

  it('an append that fills the disk part-way is cut back: the registry still ends with a complete line', () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'problems.jsonl');
    appendJsonl(path, [{ seq: 1 }, { seq: 2 }]);
    expect(() => appendJsonl(path, [{ seq: 3, text: 'z'.repeat(100) }], shortFs(50))).toThrow(/no space left/);
    expect(readFileSync(path, 'utf8')).toBe('{"seq":1}\n{"seq":2}\n');
    appendJsonl(path, [{ seq: 4 }]);
    expect(readFileSync(path, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([1, 2, 4]);
  });
});
