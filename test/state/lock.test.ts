import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, LockHeldError } from '../../src/state/lock.js';
import { makeTmp } from '../support/tmp.js';

let tmp: ReturnType<typeof makeTmp>;
afterEach(() => tmp?.cleanup());

describe('single-instance lock', () => {
  it('refuses a second holder while the first is alive, and frees on release', () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'argus.lock');
    const lock = acquireLock(path);
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
    // A live process that is not us holds it:
    const other = spawn(process.execPath, ['-e', 'setTimeout(()=>{}, 30000)']);
    lock.release();
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, `${other.pid}\n`);
    expect(() => acquireLock(path)).toThrow(LockHeldError);
    other.kill('SIGKILL');
  });

  it('takes over a stale lock left by a dead process', async () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'argus.lock');
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    writeFileSync(path, `${dead.pid}\n`);
    const lock = acquireLock(path);
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('takes over a lock file with garbage in it', () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'argus.lock');
    writeFileSync(path, 'not a pid');
    acquireLock(path).release();
    expect(existsSync(path)).toBe(false);
  });
});
