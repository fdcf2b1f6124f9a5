// clean_disk on real temp trees: file ages (mtime and ctime), symlinks, sockets, FIFOs, files in use (open, running,
// mapped), another filesystem, a bind mount, bytes reclaimed.
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCleanDisk, type SafelistRoot } from '../../../src/agents/executor/actions/clean-disk.js';
import { createGate } from '../../../src/agents/executor/gate.js';
import { sandbox, spawnNode, type Sandbox } from './helpers.js';

const DAY = 86_400_000;
/**
 * The host clock runs 30 days ahead: a file made by the test has a ctime 30 days old by it, so the file's age is
 * what its mtime says (set relative to this clock) up to 30 days. Only the back-dating test uses the real clock.
 */
const AHEAD = 30 * DAY;
let sb: Sandbox;
let root: string;
const mounted: string[] = [];
let server: Server | null = null;

/** Set mtime/atime to `ageDays` before the (fake) host clock. */
function age(path: string, ageDays: number): void {
  const t = (sb.ctx.host.now().getTime() - ageDays * DAY) / 1000;
  utimesSync(path, t, t);
}
/** Write a file of `size` bytes whose mtime is `ageDays` before the host clock. */
function file(path: string, size: number, ageDays: number): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, Buffer.alloc(size, 1));
  age(path, ageDays);
  return path;
}
function mount(args: string[], at: string): string | null {
  try {
    execFileSync('mount', [...args, at], { stdio: 'pipe' });
  } catch (error) {
    return (error as Error).message.split('\n')[0]!;
  }
  mounted.push(at);
  return null;
}
/** Start a real process from `exe` and wait until the kernel shows it running (its /proc/PID/exe). */
async function startProcess(exe: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const child = spawn(exe, args, { stdio: 'ignore', env });
  sb.children.push(child);
  for (let i = 0; i < 200; i++) {
    try {
      if (readlinkSync(`/proc/${child.pid}/exe`) === exe) return child.pid!;
    } catch {
      // not exec'd yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${exe} did not start`);
}

beforeEach(() => {
  sb = sandbox({ host: { now: () => new Date(Date.now() + AHEAD) } });
  root = join(sb.dir, 'tmp');
  mkdirSync(root);
});
afterEach(async () => {
  for (const m of mounted.splice(0).reverse()) {
    try {
      execFileSync('umount', [m]);
    } catch {
      execFileSync('umount', ['-l', m]);
    }
  }
  if (server) await new Promise((r) => server!.close(r));
  server = null;
  sb.cleanup();
});

function run(roots: SafelistRoot[], dryRun = false) {
  const gate = createGate([createCleanDisk({ roots, minAgeDays: 7 })], {
    registry: sb.registry,
    now: () => new Date(),
    host: 'testhost',
  });
  return gate.run({ action: 'clean_disk', input: { reason: 'disk at 95%', dry_run: dryRun }, source: 'rule' }, sb.ctx);
}

describe('clean_disk', () => {
  it('removes old files (even in new dirs), keeps new files (even in old dirs), and counts the bytes', async () => {
    const oldInNew = file(join(root, 'new-dir', 'old.bin'), 1000, 30);
    age(join(root, 'new-dir'), 0);
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
    expect(r.details.dirsRemoved).toBe(2);
    const top = r.details.top as Array<{ path: string; size: number }>;
    expect(top[0]).toEqual({ path: oldTop, size: 2000 });
    const fs = r.details.filesystems as Array<{ beforePct: number; afterPct: number }>;
    expect(fs).toHaveLength(1);
    expect(typeof fs[0]!.beforePct).toBe('number');
    expect(sb.records()).toHaveLength(1);
    expect(sb.records()[0]!.details.bytesReclaimed).toBe(3010);
  });

  it('names the largest files it had to keep (recent or in use): what fills the disk when cleaning is not enough', async () => {
    for (let i = 0; i < 7; i++) file(join(root, `fresh-${i}.bin`), 100 * (i + 1), 0);
    file(join(root, 'old.bin'), 5000, 30);
    const r = await run([{ path: root, rule: 'tmp' }]);
    const kept = r.details.largestKept as Array<{ path: string; size: number; why: string; ageSec: number }>;
    expect(kept.map((k) => [k.path, k.size, k.why])).toEqual(
      [6, 5, 4, 3, 2].map((i) => [join(root, `fresh-${i}.bin`), 100 * (i + 1), 'young']),
    );
    expect(kept.every((k) => k.ageSec < 600)).toBe(true);
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
    expect(r.details.skipped).toMatchObject({ symlink: 2 });
  });

  it('keeps sockets and FIFOs (only regular files are removed) and files held open by a process', async () => {
    const sockPath = join(root, 'old.sock');
    server = createServer();
    await new Promise<void>((r) => server!.listen(sockPath, r));
    age(sockPath, 30);
    const fifo = join(root, 'old.fifo');
    execFileSync('mkfifo', [fifo]);
    age(fifo, 30);
    const held = file(join(root, 'held.log'), 100, 30);
    await spawnNode(sb, 'hold-open.mjs', [held]);
    const loose = file(join(root, 'loose.log'), 100, 30);
    const r = await run([{ path: root, rule: 'tmp' }]);
    expect([sockPath, fifo, held].map(existsSync)).toEqual([true, true, true]);
    expect(existsSync(loose)).toBe(false);
    expect(r.details.skipped).toMatchObject({ open: 1, special: 2 });
  });

  it("keeps a running program's executable and a file mapped by a process (with no descriptor open on it)", async () => {
    const exe = join(root, 'bin', 'sleep-copy');
    mkdirSync(join(root, 'bin'));
    copyFileSync(realpathSync(execFileSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).trim()), exe);
    age(exe, 30);
    await startProcess(exe, ['600']);
    // A shared library the test's own process maps (not libc): LD_PRELOAD makes the loader map the copy, then close it.
    const lib = /\s(\/\S*\/lib(?:m|gcc_s|stdc\+\+)\.so[^\s/]*)$/m.exec(readFileSync('/proc/self/maps', 'utf8'))?.[1];
    expect(lib, 'a shared library to map').toBeDefined();
    const mapped = join(root, 'lib', 'mapped.so');
    mkdirSync(join(root, 'lib'));
    copyFileSync(lib!, mapped);
    age(mapped, 30);
    const pid = await startProcess(exe, ['600'], { ...process.env, LD_PRELOAD: mapped });
    await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(`/proc/${pid}/maps`, 'utf8')).toContain(mapped);
    expect(readdirSync(`/proc/${pid}/fd`).map((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`))).not.toContain(mapped);
    const loose = file(join(root, 'lib', 'unused.so'), 100, 30);

    const r = await run([{ path: root, rule: 'tmp' }]);
    expect([exe, mapped].map(existsSync)).toEqual([true, true]);
    expect(existsSync(loose)).toBe(false);
    expect(r.details.skipped).toMatchObject({ open: 2 });
  });

  it('judges age by the newer of mtime and ctime: a file back-dated by cp -p / tar x / utimes is kept', async () => {
    const real = sandbox(); // the real clock: the file's ctime is now, whatever its mtime says
    try {
      const dir = join(real.dir, 'tmp');
      const backDated = join(dir, 'from-tarball.bin');
      mkdirSync(dir);
      writeFileSync(backDated, 'x');
      const longAgo = Date.now() / 1000 - 400 * 86_400;
      utimesSync(backDated, longAgo, longAgo);
      const gate = createGate([createCleanDisk({ roots: [{ path: dir, rule: 'tmp' }], minAgeDays: 7 })], {
        registry: real.registry,
        now: () => new Date(),
        host: 'testhost',
      });
      const r = await gate.run({ action: 'clean_disk', input: { reason: 'disk at 95%' }, source: 'rule' }, real.ctx);
      expect(existsSync(backDated)).toBe(true);
      expect(r.details).toMatchObject({ filesRemoved: 0, skipped: { young: 1 } });
    } finally {
      real.cleanup();
    }
  });

  it("only rotated *.log.N.gz in a log root, and only argus.log.N in Argus's log dir", async () => {
    const logs = join(sb.dir, 'varlog');
    const rotated = file(join(logs, 'nginx', 'access.log.2.gz'), 10, 30);
    const live = file(join(logs, 'nginx', 'access.log'), 10, 30);
    const other = file(join(logs, 'syslog.gz'), 10, 30);
    const own = join(sb.dir, 'argus-logs');
    const ownRotated = file(join(own, 'argus.log.2'), 10, 30);
    const ownLive = file(join(own, 'argus.log'), 10, 30);
    await run([
      { path: logs, rule: 'rotated-log' },
      { path: own, rule: 'argus-log' },
    ]);
    expect([rotated, ownRotated].map(existsSync)).toEqual([false, false]);
    expect([live, other, ownLive].map(existsSync)).toEqual([true, true, true]);
  });

  it("never walks into Argus's state dir, even inside a root", async () => {
    const stateFile = file(join(sb.ctx.paths.stateDir, 'old-state.json'), 10, 30);
    const r = await run([{ path: sb.dir, rule: 'tmp' }]);
    expect(existsSync(stateFile)).toBe(true);
    expect((r.details.skipped as { reserved: number }).reserved).toBeGreaterThanOrEqual(1);
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
    const failed = mount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs'], mnt);
    if (failed) return t.skip(`cannot mount a tmpfs here (${failed}); other-filesystem case not run`);
    const inside = file(join(mnt, 'deep', 'old.bin'), 100, 30);
    const outside = file(join(root, 'old.bin'), 100, 30);
    const r = await run([{ path: root, rule: 'tmp' }]);
    expect(existsSync(inside)).toBe(true);
    expect(existsSync(outside)).toBe(false);
    expect(r.details.skipped).toMatchObject({ otherFs: 1 });
  });

  it('never enters a bind mount of the same filesystem inside the root (same st_dev, its own mount ID)', async (t) => {
    const source = join(sb.dir, 'elsewhere');
    const precious = file(join(source, 'deep', 'precious.bin'), 100, 30);
    const bind = join(root, 'bind');
    mkdirSync(bind);
    const failed = mount(['--bind', source], bind);
    if (failed) return t.skip(`cannot bind-mount here (needs root: ${failed}); bind-mount case not run`);
    const outside = file(join(root, 'old.bin'), 100, 30);
    const r = await run([{ path: root, rule: 'tmp' }]);
    expect(existsSync(precious)).toBe(true);
    expect(existsSync(outside)).toBe(false);
    expect(r.details.skipped).toMatchObject({ mount: 1, otherFs: 0 });
  });
});
