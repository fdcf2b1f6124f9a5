// Files in use from /proc: maps parsed by inode, and a real scan that sees this process's executable and open files.
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInUse, parseMapsInodes, scanInUse } from '../../src/host/open-files.js';

describe('parseMapsInodes', () => {
  it.each([
    [
      '7f2c1a000000-7f2c1a028000 r--p 00000000 08:01 1835302                    /usr/lib/x86_64-linux-gnu/libc.so.6',
      [1835302n],
    ],
    ['7f2c1a000000-7f2c1a028000 r--p 00000000 103:02 42 /tmp/my lib (deleted)', [42n]],
    ['7ffd4e1b3000-7ffd4e1d4000 rw-p 00000000 00:00 0                          [stack]', []],
    ['55d0c8a1e000-55d0c8a3f000 rw-p 00000000 00:00 0                          [heap]', []],
    ['garbage line', []],
    ['', []],
  ])('%s', (line, inodes) => {
    expect(parseMapsInodes(line)).toEqual(inodes);
  });
});

describe('scanInUse', () => {
  it("sees this process's executable, a file it holds open, and not a closed one", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'argus-inuse-'));
    try {
      writeFileSync(join(dir, 'open'), 'x');
      writeFileSync(join(dir, 'closed'), 'x');
      const fd = openSync(join(dir, 'open'), 'r');
      try {
        const inUse = await scanInUse('/', 10_000);
        const has = (p: string) => {
          const st = statSync(p, { bigint: true });
          return isInUse(inUse, st.dev, st.ino);
        };
        expect(inUse.complete).toBe(true);
        expect([has(process.execPath), has(join(dir, 'open')), has(join(dir, 'closed'))]).toEqual([true, true, false]);
      } finally {
        closeSync(fd);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says it is incomplete when its time is up, or when there is no /proc to read', async () => {
    expect((await scanInUse('/', -1)).complete).toBe(false);
    expect((await scanInUse(join(tmpdir(), 'argus-no-such-root'), 10_000)).complete).toBe(false);
  });
});
