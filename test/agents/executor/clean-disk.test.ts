// clean_disk on real temp trees: file ages, symlinks, sockets, open files, another filesystem, bytes reclaimed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readlinkSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCleanDisk, type SafelistRoot } from '../../../src/agents/executor/actions/clean-disk.js';
import { createGate } from '../../../src/agents/executor/gate.js';
import { sandbox, spawnNode, type Sandbox } from './helpers.js';

const DAY = 86_400;
let sb: Sandbox;
let root: string;
let mounted: string | null = null;
let server: Server | null = null;

/** Write a file of `size` bytes whose mtime is `ageDays` ago. */
function file(path: string, size: number, ageDays: number): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, Buffer.alloc(size, 1));
  const t = Date.now() / 1000 - ageDays * DAY;
  utimesSync(path, t, t);
  return path;
}
function age(path: string, ageDays: number): void {
  const t = Date.now() / 1000 - ageDays * DAY;
  utimesSync(path, t, t);
}

beforeEach(() => {
  sb = sandbox();
  root = join(sb.dir, 'tmp');
  mkdirSync(root);
});
afterEach(async () => {
  if (mounted) {
    try {
      execFileSync('umount', [mounted]);
    } catch {
      execFileSync('umount', ['-l', mounted]);
    }
    mounted = null;
  }
  if (server) await new Promise((r) => server!.close(r));
  server = null;
  sb.cleanup();
});

function run(roots: SafelistRoot[], dryRun = false) {
  const gate = createGate([createCleanDisk({ roots, minAgeDays: 7 })], { registry: sb.registry, now: () => new Date(), host: 'testhost' });
  return gate.run({ action: 'clean_disk', input: { reason: 'disk at 95%', dry_run: dryRun }, source: 'rule' }, sb.ctx);
}

describe('clean_disk', () => {
  it('removes old files (even in new dirs), keeps new files (even in old dirs), and counts the bytes', async () => {
    const oldInNew = file(join(root, 'new-dir', 'old.bin'), 1000, 30);
    const newInOld = file(join(root, 'old-dir', 'new.bin'), 500, 0);
    age(join(root, 'old-dir'), 30);
    const oldTop = file(join(root, 'old-top.bin'), 2000, 8);
    const emptyOld = join(root, 'empty-old');
    mkdirSync(join(emptyOld, 'inner'), { recursive: true });
    file(join(emptyOld, 'inner', 'x'), 10, 9);
    age(join(emptyOld, 'inner'), 9);
    age(emptyOld, 9);

    const r = await run([{ path: root, rule: 'tmp' }]);
    expect(r.result, r.reason).toBe('success');
    expect(existsSync(oldInNew)).toBe(false);
    expect(existsSync(oldTop)).toBe(false);
    expect(existsSync(newInOld)).toBe(true);
    expect(existsSync(join(root, 'new-dir'))).toBe(true); // a new dir stays, even empty
    expect(existsSync(emptyOld)).toBe(false); // old and empty afterwards: removed
    expect(r.details.bytesReclaimed).toBe(3010);
    expect(r.details.filesRemoved).toBe(3);
    const top = r.details.top as Array<{ path: string; size: number }>;
    expect(top[0]).toEqual({ path: oldTop, size: 2000 });
    const fs = r.details.filesystems as Array<{ beforePct: number; afterPct: number }>;
    expect(fs).toHaveLength(1);
    expect(typeof fs[0]!.beforePct).toBe('number');
    expect(sb.records()).toHaveLength(1);
    expect(sb.records()[0]!.details.bytesReclaimed).toBe(3010);
  });

  it('never follows or deletes a symlink, and leaves the old file it points to untouched', async () => {
    const outside = file(join(sb.dir, 'outside', 'precious.txt'), 100, 400);
    const link = join(root, 'escape');
    symlinkSync(outside, link);
    const dirLink = join(root, 'escape-dir');
    symlinkSync(join(sb.dir, 'outside'), dirLink);
    const r = await run([{ path: root, rule: 'tmp' }]);
    expect(r.result).toBe('success');
    expect(existsSync(outside)).toBe(true);
    expect(readlinkSync(link)).toBe(outside);
    expect(readlinkSync(dirLink)).toBe(join(sb.dir, 'outside'));
    expect(r.details.filesRemoved).toBe(0);
  });

  it('skips sockets and files held open by a process', async () => {
    const sockPath = join(root, 'old.sock');
    server = createServer();
    await new Promise<void>((r) => server!.listen(sockPath, r));
    const held = file(join(root, 'held.log'), 100, 30);
    await spawnNode(sb, 'hold-open.mjs', [held]);
    const loose = file(join(root, 'loose.log'), 100, 30);
    const r = await run([{ path: root, rule: 'tmp' }]);
    expect(existsSync(sockPath)).toBe(true);
    expect(existsSync(held)).toBe(true);
    expect(existsSync(loose)).toBe(false);
    expect(r.details.skipped).toMatchObject({ open: 1, special: 1 });
  });

  it('only rotated *.log.N.gz in a log root, and only argus.log.N in Argus\'s log dir', async () => {
    const logs = join(sb.dir, 'varlog');
    const rotated = file(join(logs, 'nginx', 'access.log.2.gz'), 10, 30);
    const live = file(join(logs, 'nginx', 'access.log'), 10, 30);
    const other = file(join(logs, 'syslog.gz'), 10, 30);
    const own = join(sb.dir, 'argus-logs');
    const ownRotated = file(join(own, 'argus.log.2'), 10, 30);
    const ownLive = file(join(own, 'argus.log'), 10, 30);
    await run([{ path: logs, rule: 'rotated-log' }, { path: own, rule: 'argus-log' }]);
    expect([rotated, ownRotated].map(existsSync)).toEqual([false, false]);
    expect([live, other, ownLive].map(existsSync)).toEqual([true, true, true]);
  });

  it('dry run lists what would go and removes nothing', async () => {
    const old = file(join(root, 'a', 'old.bin'), 700, 30);
    const r = await run([{ path: root, rule: 'tmp' }], true);
    expect(r.result).toBe('dry_run');
    expect(existsSync(old)).toBe(true);
    expect(r.details.preview).toMatchObject({ wouldRemove: 1, bytes: 700, files: [{ path: old, size: 700 }] });
  });

  it('never crosses into another filesystem (a tmpfs mounted inside the root)', async (t) => {
    const mnt = join(root, 'mnt');
    mkdirSync(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'pipe' });
      mounted = mnt;
    } catch (error) {
      t.skip(`cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]}); other-filesystem case not run`);
      return;
    }
    const inside = file(join(mnt, 'deep', 'old.bin'), 100, 30);
    const outside = file(join(root, 'old.bin'), 100, 30);
    const r = await run([{ path: root, rule: 'tmp' }]);
    expect(existsSync(inside)).toBe(true);
    expect(existsSync(outside)).toBe(false);
    expect(r.details.skipped).toMatchObject({ otherFs: 1 });
  });
});
