// Measuring helpers for the benchmark: child processes with CPU and peak RSS, medians.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const HOOK = join(ROOT, 'bench/rusage-hook.mjs');

export interface ProcessCost {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Run `node <args>` once with the rusage hook; wall time from outside, CPU and peak RSS from inside. */
export function runNode(args: string[], env: Record<string, string>, cwd: string): ProcessCost {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-'));
  const out = join(dir, 'rusage.json');
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', HOOK, ...args], {
    cwd,
    env: { ...process.env, ...env, ARGUS_BENCH_RUSAGE: out },
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const u = JSON.parse(readFileSync(out, 'utf8')) as { userUs: number; systemUs: number; maxRssKb: number };
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, cpuMs: (u.userUs + u.systemUs) / 1000, peakRssMb: u.maxRssKb / 1024 };
}

export function summarize(costs: ProcessCost[]): ProcessCost {
  return {
    wallMs: median(costs.map((c) => c.wallMs)),
    cpuMs: median(costs.map((c) => c.cpuMs)),
    peakRssMb: median(costs.map((c) => c.peakRssMb)),
  };
}

export async function timeMedian(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}
