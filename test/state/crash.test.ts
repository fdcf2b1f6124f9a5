// A crash at any instant leaves the registry valid: SIGKILL an appender at random moments, repair, check every record.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairJsonl } from '../../src/state/jsonl.js';
import { makeTmp } from '../support/tmp.js';

const DIST_JSONL = resolve(__dirname, '../../dist/state/jsonl.js');
const APPENDER = resolve(__dirname, '../fixtures/state/appender.mjs');

function seqs(file: string): number[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { seq: number }).seq);
}

function expectContiguous(values: number[]): void {
  const hole = values.findIndex((v, i) => v !== i);
  expect(hole, `record ${hole} is missing or out of order`).toBe(-1);
}

let tmp: ReturnType<typeof makeTmp>;
// Every writer this file starts, so none can outlive a failing test (a stray writer fills the disk).
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});
beforeAll(() => {
  if (!existsSync(DIST_JSONL)) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  tmp = makeTmp();
});
afterAll(() => tmp.cleanup());

describe('registry crash safety', () => {
  it('survives 200 SIGKILLs of a writer at random moments with every complete record present', async () => {
    // Four writers at a time, each on its own file, 50 kills each: 200 kills, bounded by the slowest file.
    const files = [0, 1, 2, 3].map((i) => join(tmp.dir, `problems-${i}.jsonl`));
    let kills = 0;
    let torn = 0;
    const killRounds = async (file: string) => {
      for (let round = 0; round < 50; round++) {
        const start = seqs(file).length;
        const child = spawn(process.execPath, [APPENDER, pathToFileURL(DIST_JSONL).href, file, String(start)], { stdio: ['ignore', 'pipe', 'ignore'] });
        children.add(child);
        const exited = new Promise((r) => child.once('exit', r));
        try {
          await new Promise((r) => child.stdout.once('data', r));
          await new Promise((r) => setTimeout(r, Math.random() * 30));
        } finally {
          child.kill('SIGKILL');
          await exited;
          children.delete(child);
        }
        kills++;
        if (existsSync(file) && !readFileSync(file, 'utf8').endsWith('\n')) torn++;
        repairJsonl(file);
        // After repair: every line parses and the sequence has no hole (a batch is all there or not at all).
        expectContiguous(seqs(file));
      }
    };
    await Promise.all(files.map(killRounds));
    expect(kills).toBe(200);
    const total = files.reduce((n, f) => n + seqs(f).length, 0);
    expect(total).toBeGreaterThan(200);
    // Not an assertion on timing: a note of how often the kill landed mid-write on this run.
    console.info(`crash test: ${kills} kills, ${torn} torn tails repaired, ${total} records intact`);
  }, 600_000);

  it('repairs a torn last line cut at any byte, keeping every complete line before it (and a whole record lacking only its newline)', () => {
    const file = join(tmp.dir, 'torn.jsonl');
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ seq: i, text: `record ${i} ${'é'.repeat(i)}` }));
    const full = lines.join('\n') + '\n';
    const ends: number[] = [];
    let off = 0;
    for (const l of lines) ends.push((off += Buffer.byteLength(l) + 1));
    const cuts: number[] = [];
    for (let cut = 1; cut < Buffer.byteLength(full); cut += 13) cuts.push(cut);
    for (const cut of [...cuts, ...ends.slice(0, -1).map((e) => e - 1)]) {
      writeFileSync(file, full);
      truncateSync(file, cut);
      const result = repairJsonl(file);
      // A cut just before a newline leaves a whole record without its newline: repair adds the newline.
      const wholeButNewline = ends.includes(cut + 1);
      const complete = ends.filter((e) => e <= cut).length + (wholeButNewline ? 1 : 0);
      expect(seqs(file)).toHaveLength(complete);
      expect(result.repaired).toBe(!ends.includes(cut));
      expect(result.truncatedBytes).toBe(wholeButNewline || ends.includes(cut) ? 0 : cut - (ends.filter((e) => e <= cut).at(-1) ?? 0));
      expect(statSync(file).size).toBe(complete ? ends[complete - 1] : 0);
    }
  });
});
