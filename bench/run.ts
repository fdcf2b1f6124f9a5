// `npm run bench`: speed and memory of Argus, each time figure as a ratio to a baseline measured in the same run.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from '../src/agents/collector/collect.js';
import type { Samples } from '../src/agents/collector/samples.js';
import { ConfigSchema } from '../src/config/schema.js';
import { createLinuxHost } from '../src/host/linux.js';
import { makeProcTree } from '../test/support/proc-tree.js';
import { chronicleMillion, manyCycles, pressureDay } from './extra.js';
import { fleetReceiver } from './fleet.js';
import { ROOT, runNode, summarize, timeMedian, type ProcessCost } from './measure.js';
import { serveDashboard } from './serve.js';
import { serveSoak } from './serve-soak.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const CLI = join(ROOT, 'dist/cli.js');

interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
}

async function healthyOnce(rows: Row[], results: Record<string, unknown>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-once-'));
  // Dry run: the benchmark measures this machine and must never act on it.
  const env = { ARGUS_STATE_DIR: join(dir, 'state'), ARGUS_LOG_LEVEL: 'warn', ARGUS_DRY_RUN: '1' };
  runNode([CLI, 'once'], env, dir); // first cycle writes the samples the next ones use
  const base: ProcessCost[] = [];
  const argus: ProcessCost[] = [];
  for (let i = 0; i < RUNS; i++) {
    base.push(runNode(['-e', '0'], {}, dir));
    argus.push(runNode([CLI, 'once'], env, dir));
  }
  rmSync(dir, { recursive: true, force: true });
  const b = summarize(base);
  const a = summarize(argus);
  results.healthyOnce = {
    runs: RUNS,
    baseline: b,
    argus: a,
    ratios: { wall: a.wallMs / b.wallMs, cpu: a.cpuMs / b.cpuMs },
  };
  rows.push({
    figure: 'healthy `argus once`: wall',
    value: `${a.wallMs.toFixed(0)} ms`,
    baseline: `${b.wallMs.toFixed(0)} ms`,
    ratio: `${(a.wallMs / b.wallMs).toFixed(2)}×`,
    target: '—',
  });
  rows.push({
    figure: 'healthy `argus once`: CPU',
    value: `${a.cpuMs.toFixed(0)} ms`,
    baseline: `${b.cpuMs.toFixed(0)} ms`,
    ratio: `${(a.cpuMs / b.cpuMs).toFixed(2)}×`,
    target: '≤ 1.6×',
  });
  rows.push({
    figure: 'healthy `argus once`: peak RSS',
    value: `${a.peakRssMb.toFixed(1)} MB`,
    baseline: `${b.peakRssMb.toFixed(1)} MB`,
    ratio: `${(a.peakRssMb / b.peakRssMb).toFixed(2)}×`,
    target: '≤ 70 MB',
  });
}

async function collectInProcess(rows: Row[], results: Record<string, unknown>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-collect-'));
  const config = ConfigSchema.parse({ stateDir: dir });
  const host = createLinuxHost();
  let previous: Samples | null = null;
  const live = await timeMedian(31, async () => {
    const r = await collect({ host, config, previous, stateDir: dir, consecutiveFailures: 0 });
    previous = r.samples;
  });
  // A simulated /proc with 1,000 processes (issue 7): the same collector on a fixture root.
  const fake = join(dir, 'root');
  mkdirSync(fake, { recursive: true });
  makeProcTree(fake, { processes: 1000 });
  const fakeHost = createLinuxHost({
    root: fake,
    exec: async () => ({
      exitCode: 1,
      signal: null,
      stdout: '',
      stderr: 'no tmux server',
      timedOut: false,
      durationMs: 0,
      failed: true,
      spawnError: null,
    }),
  });
  let prevFake: Samples | null = null;
  const thousand = await timeMedian(31, async () => {
    const r = await collect({ host: fakeHost, config, previous: prevFake, stateDir: dir, consecutiveFailures: 0 });
    prevFake = r.samples;
  });
  const readMeminfo = await timeMedian(31, async () => {
    const { readFile } = await import('node:fs/promises');
    await readFile('/proc/meminfo', 'utf8');
  });
  rmSync(dir, { recursive: true, force: true });
  results.collect = { liveMs: live, thousandProcessesMs: thousand, readMeminfoMs: readMeminfo };
  rows.push({
    figure: 'collect, in process, this machine',
    value: `${live.toFixed(1)} ms`,
    baseline: `${readMeminfo.toFixed(2)} ms (one /proc/meminfo read)`,
    ratio: `${(live / readMeminfo).toFixed(0)}×`,
    target: '≤ 15 ms',
  });
  rows.push({
    figure: 'collect, simulated /proc with 1,000 processes',
    value: `${thousand.toFixed(1)} ms`,
    baseline: `${live.toFixed(1)} ms (this machine)`,
    ratio: `${(thousand / live).toFixed(2)}×`,
    target: '—',
  });
}

function table(rows: Row[]): string {
  const lines = ['| figure | value | baseline (same run) | ratio | target |', '|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.figure} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, runs: RUNS };
  await healthyOnce(rows, results);
  await collectInProcess(rows, results);
  await pressureDay(rows, results);
  await chronicleMillion(rows, results);
  await serveDashboard(rows, results);
  if (process.env.BENCH_SKIP_SOAK !== '1') await serveSoak(rows, results);
  if (process.env.BENCH_SKIP_CYCLES !== '1') await manyCycles(rows, results);
  if (process.env.BENCH_SKIP_FLEET !== '1') await fleetReceiver(rows, results);
  // A run never touches tracked files: results go to the ignored .cache/bench/; `npm run bench:publish` copies them
  // to bench/results.json and docs/benchmarks.md, as an explicit step.
  const out = join(ROOT, '.cache/bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const md = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (to .cache/bench/) and published here by `npm run bench:publish`. Medians over repeated runs; every time is also given as a ratio to a baseline measured',
    'in the same run on the same machine (this machine is shared and noisy: compare ratios, not milliseconds).',
    'CPU and peak RSS of child processes are read inside them (`process.resourceUsage()` at exit, via `bench/rusage-hook.mjs`).',
    '',
    `Last run: ${String(results.date)}, Node ${process.version}, ${RUNS} runs per process figure.`,
    '',
    table(rows),
    '',
  ].join('\n');
  writeFileSync(join(out, 'benchmarks.md'), md);
  process.stdout.write(
    `${table(rows)}\n\nWritten to ${out}/ (results.json, benchmarks.md); \`npm run bench:publish\` copies them into the tree.\n`,
  );
}

void main();
