// Directory descriptors addressed through /proc/self/fd: symlinks refused, renames above do not redirect, mount IDs read.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDir, parseFdinfoMountId } from '../../src/host/dirfd.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'argus-dirfd-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openDir', () => {
  it.each([
    ['a symlink to a directory', () => symlinkSync(join(dir, 'real'), join(dir, 'x')), ['ENOTDIR', 'ELOOP']],
    ['a regular file', () => writeFileSync(join(dir, 'x'), ''), ['ENOTDIR']],
    ['a FIFO (without blocking)', () => execFileSync('mkfifo', [join(dir, 'x')]), ['ENOTDIR']],
    ['nothing', () => undefined, ['ENOENT']],
  ])('refuses %s', async (_label, make, codes) => {
    mkdirSync(join(dir, 'real'));
    make();
    const error = await openDir(join(dir, 'x')).then(
      () => null,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(codes).toContain(error?.code);
  });

  it('keeps addressing the directory it holds after it is renamed and a symlink to elsewhere takes its name', async () => {
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'f'), 'mine');
    mkdirSync(join(dir, 'victim'));
    writeFileSync(join(dir, 'victim', 'f'), 'victim');
    const h = await openDir(join(dir, 'a'));
    try {
      renameSync(join(dir, 'a'), join(dir, 'moved'));
      symlinkSync(join(dir, 'victim'), join(dir, 'a'));
      expect(readFileSync(h.child(Buffer.from('f')), 'utf8')).toBe('mine');
      const st = await lstat(join(dir, 'moved'), { bigint: true });
      expect([h.dev, h.ino]).toEqual([st.dev, st.ino]);
      expect(h.mountId).toBe(parseFdinfoMountId(readFileSync(`/proc/self/fdinfo/${h.fd}`, 'utf8')));
    } finally {
      await h.close();
    }
  });
});

describe('parseFdinfoMountId', () => {
  it.each([
    ['pos:\t0\nflags:\t0200000\nmnt_id:\t24\nino:\t3\n', 24],
    ['pos:\t0\nflags:\t0200000\n', null],
    ['mnt_id:\t\n', null],
    ['xmnt_id:\t5\n', null],
  ])('%j → %s', (text, id) => {
    expect(parseFdinfoMountId(text)).toBe(id);
  });
});
