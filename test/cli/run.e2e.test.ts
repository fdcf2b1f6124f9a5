// `argus run`: cycles on an interval; SIGTERM lets the current cycle finish and exits 0.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTmp } from '../support/tmp.js';

const CLI = resolve(__dirname, '../../dist/cli.js');
let tmp: ReturnType<typeof makeTmp>;
afterEach(() => tmp?.cleanup());

async function waitFor(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('argus run', () => {
  it('runs a cycle, then on SIGTERM stops waiting and exits 0 with valid state', async () => {
    tmp = makeTmp();
    const state = join(tmp.dir, 'state');
    const child = spawn(process.execPath, [CLI, 'run'], {
      cwd: tmp.dir,
      env: {
        PATH: process.env.PATH,
        HOME: tmp.dir,
        ARGUS_STATE_DIR: state,
        ARGUS_INTERVAL: '3600',
        ARGUS_DRY_RUN: '1',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await waitFor(() => existsSync(join(state, 'cycle_state.json')));
      child.kill('SIGTERM');
      // It was sleeping out a one-hour interval: SIGTERM must end the wait, not just the next cycle.
      const code = await Promise.race([
        exited,
        new Promise<string>((r) => setTimeout(() => r('still running'), 20_000)),
      ]);
      expect(code).toBe(0);
      const cycle = JSON.parse(readFileSync(join(state, 'cycle_state.json'), 'utf8'));
      expect(cycle).toMatchObject({ lastOk: true, cyclesTotal: 1 });
      expect(existsSync(join(state, 'argus.lock'))).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
