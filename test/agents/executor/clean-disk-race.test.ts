// clean_disk against an adversary: a racer swaps a directory of the root with a symlink to a victim tree outside it
// while clean_disk removes >= 3,000 old files, 10 runs. The victim tree must lose nothing.
// The racer is C (renameat2 RENAME_EXCHANGE: the name always exists, half the time as the symlink) when a C compiler is
// there, else Node (four renames a round). The path-checking implementation this replaced (lstat + realpath, then
// unlink by path) lost 301, 1,136 and 416 victim files in three 10-run tests with the C racer; 0–42 with the Node racer.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCleanDisk } from '../../../src/agents/executor/actions/clean-disk.js';
import { FIXTURES, sandbox, spawnNode, spawnReady, type Sandbox } from './helpers.js';

const DIRS = 10;
const FILES = 300;
const RUNS = 10;
const STEADY = 100;
/** Every file written by the test is a month old by this clock (mtime and ctime alike), so only the walk protects the victims. */
const MONTH_AHEAD = 30 * 86_400_000;

let sb: Sandbox;
let victim: string;
/** The compiled C racer, or null to use the Node one. */
let racerBin: string | null = null;

/** `dir/d0..d9/f0..f299`: 3,000 files. */
function tree(dir: string): void {
  for (let d = 0; d < DIRS; d++) {
    mkdirSync(join(dir, `d${d}`), { recursive: true });
    for (let f = 0; f < FILES; f++) writeFileSync(join(dir, `d${d}`, `f${f}`), 'x');
  }
}
function count(dir: string): number {
  let n = 0;
  for (let d = 0; d < DIRS; d++) {
    const sub = join(dir, `d${d}`);
    if (existsSync(sub)) n += readdirSync(sub).length;
  }
  return n;
}

beforeAll(() => {
  sb = sandbox({ host: { now: () => new Date(Date.now() + MONTH_AHEAD) } });
  victim = join(sb.dir, 'victim');
  tree(victim);
  try {
    racerBin = join(sb.dir, 'swap-racer');
    execFileSync('cc', ['-O2', '-o', racerBin, join(FIXTURES, 'swap-racer.c')], { stdio: 'pipe' });
  } catch {
    racerBin = null;
    console.log('clean_disk race: no C compiler, racing with the Node racer (four renames a round)');
  }
});
afterAll(() => sb.cleanup());

describe('clean_disk under a symlink-swapping racer', () => {
  it(`deletes 0 victim files over ${RUNS} runs of ${DIRS * FILES} old files`, async () => {
    const perRun: Array<{ removed: number; victimsLost: number; swaps: number }> = [];
    for (let run = 0; run < RUNS; run++) {
      const root = join(sb.dir, `root${run}`);
      tree(join(root, 'a'));
      // Not raced: proves each run walked and removed (the raced tree is skipped whenever the walk meets the symlink).
      mkdirSync(join(root, 'steady'));
      for (let f = 0; f < STEADY; f++) writeFileSync(join(root, 'steady', `f${f}`), 'x');
      const racerArgs = [join(root, 'a'), victim];
      const { child } = racerBin
        ? await spawnReady(sb, racerBin, racerArgs)
        : await spawnNode(sb, 'swap-racer.mjs', racerArgs);
      const done = new Promise<number>((resolve) => {
        let out = '';
        child.stdout!.on('data', (d: string) => (out += d));
        child.once('exit', () => resolve(Number(/swaps (\d+)/.exec(out)?.[1] ?? 0)));
      });
      const action = createCleanDisk({ roots: [{ path: root, rule: 'tmp' }], minAgeDays: 7 });
      const before = count(victim);
      const r = await action.execute({ reason: 'race' }, sb.ctx);
      child.kill('SIGTERM');
      const swaps = await done;
      perRun.push({ removed: r.details.filesRemoved as number, victimsLost: before - count(victim), swaps });
      expect(existsSync(join(root, 'steady', 'f0')), 'the steady tree was cleaned').toBe(false);
    }
    console.log(`clean_disk race (${racerBin ? 'C' : 'Node'} racer): ${JSON.stringify(perRun)}`);
    const lost = perRun.reduce((s, r) => s + r.victimsLost, 0);
    expect(
      perRun.every((r) => r.swaps > 100),
      'the racer raced',
    ).toBe(true);
    expect(lost).toBe(0);
    expect(count(victim)).toBe(DIRS * FILES);
  }, 240_000);
});
