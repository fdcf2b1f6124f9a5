import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonState, writeJsonAtomic } from '../../src/state/atomic.js';
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
