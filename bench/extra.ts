// Benchmark figures of the later phases: chronicle over 1,000,000 records, memory over many cycles, the 24-hour replay.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadScenario } from '../src/simulate/load.js';
import { runScenario } from '../src/simulate/runner.js';
import { statePaths } from '../src/config/load.js';
import { ConfigSchema } from '../src/config/schema.js';
import { createLinuxHost } from '../src/host/linux.js';
import { silentLog } from '../src/log.js';
import { createRuntime } from '../src/orchestrator/compose.js';
import { runGuardedCycle } from '../src/orchestrator/once.js';
import { generateRegistry } from '../test/support/registry-gen.js';
import { makeProcTree } from '../test/support/proc-tree.js';
import { ROOT, runNode, summarize } from './measure.js';

export interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
}

async function countLines(path: string): Promise<number> {
  let n = 0;
  for await (const _ of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) n++;
  return n;
}

export async function chronicleMillion(rows: Row[], results: Record<string, unknown>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-chron-'));
  const registry = join(dir, 'problems.jsonl');
  const end = Date.parse('2025-01-01T00:00:00.000Z');
  generateRegistry(registry, 1_000_000, end);
  const t = performance.now();
  await countLines(registry); // baseline: just stream the lines of the same file
  const readMs = performance.now() - t;
  const child = join(ROOT, 'dist-bench/bench/chronicle-child.js');
  const args = [
    child,
    registry,
    join(dir, 'none.jsonl'),
    new Date(end - 4 * 365 * 86_400_000).toISOString(),
    new Date(end).toISOString(),
  ];
  const cost = runNode(args, {}, dir);
  const out = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const parsed = JSON.parse(out.stdout || '{}') as { ms?: number; records?: number };
  const base = runNode(['-e', '0'], {}, dir);
  // `argus problems --since 24h` on the same million records: the window is found by seeking, not by reading it all.
  const cli = join(ROOT, 'dist/cli.js');
  const problems = summarize(
    [0, 1, 2].map(() =>
      runNode(
        [cli, 'problems', '--since', new Date(end - 86_400_000).toISOString(), '--json'],
        { ARGUS_STATE_DIR: dir },
        dir,
      ),
    ),
  );
  const problemsAll = runNode(
    [cli, 'problems', '--since', new Date(end - 4 * 365 * 86_400_000).toISOString(), '--limit', '10', '--json'],
    { ARGUS_STATE_DIR: dir },
    dir,
  );
  // `stats` and `chronicle` over the last 30 days of it (the registry ends at `end`, so the window is given as a date),
  // and `stats` over all of it. The chronicle is a dry run into the temp dir: nothing outside it is written. Text
  // output: the JSON of a whole-file run is over spawnSync's 1 MB output buffer.
  const since30d = new Date(end - 30 * 86_400_000).toISOString();
  const sinceAll = new Date(end - 4 * 365 * 86_400_000).toISOString();
  const stats30d = summarize(
    [0, 1, 2].map(() => runNode([cli, 'stats', '--since', since30d], { ARGUS_STATE_DIR: dir }, dir)),
  );
  const statsAll = runNode([cli, 'stats', '--since', sinceAll], { ARGUS_STATE_DIR: dir }, dir);
  const chronicleArgs = (since: string) => [
    cli,
    'chronicle',
    '--since',
    since,
    '--dry-run',
    '--no-publish',
    '--out',
    join(dir, 'docs'),
  ];
  const chronicle30d = summarize([0, 1, 2].map(() => runNode(chronicleArgs(since30d), { ARGUS_STATE_DIR: dir }, dir)));
  rmSync(dir, { recursive: true, force: true });
  results.problems = {
    since24hWallMs: problems.wallMs,
    since24hPeakRssMb: problems.peakRssMb,
    wholeFileWallMs: problemsAll.wallMs,
    wholeFilePeakRssMb: problemsAll.peakRssMb,
  };
  rows.push({
    figure: '`problems --since 24h` on 1,000,000 records',
    value: `${(problems.wallMs / 1000).toFixed(2)} s`,
    baseline: `${(base.wallMs / 1000).toFixed(2)} s (node -e 0)`,
    ratio: `${(problems.wallMs / base.wallMs).toFixed(1)}×`,
    target: '≤ 0.5 s',
  });
  rows.push({
    figure: '`problems` over all 1,000,000 records (newest 10 kept)',
    value: `${(problemsAll.wallMs / 1000).toFixed(1)} s, ${problemsAll.peakRssMb.toFixed(0)} MB`,
    baseline: `${(readMs / 1000).toFixed(1)} s (stream the lines only)`,
    ratio: `${(problemsAll.wallMs / readMs).toFixed(1)}×`,
    target: '≤ 3 s',
  });
  results.stats = {
    since30dWallMs: stats30d.wallMs,
    since30dPeakRssMb: stats30d.peakRssMb,
    wholeFileWallMs: statsAll.wallMs,
    wholeFilePeakRssMb: statsAll.peakRssMb,
  };
  const seconds = (c: { wallMs: number; peakRssMb: number }) =>
    `${(c.wallMs / 1000).toFixed(2)} s, ${c.peakRssMb.toFixed(0)} MB`;
  const vsBase = (c: { wallMs: number }) => `${(c.wallMs / base.wallMs).toFixed(1)}×`;
  rows.push({
    figure: '`stats --since 30d` on 1,000,000 records',
    value: seconds(stats30d),
    baseline: `${(base.wallMs / 1000).toFixed(2)} s (node -e 0)`,
    ratio: vsBase(stats30d),
    target: '≤ 1.5 s, ≤ 150 MB',
  });
  rows.push({
    figure: '`chronicle --since 30d --dry-run` on 1,000,000 records',
    value: seconds(chronicle30d),
    baseline: `${(base.wallMs / 1000).toFixed(2)} s (node -e 0)`,
    ratio: vsBase(chronicle30d),
    target: '≤ 1.5 s, ≤ 150 MB',
  });
  rows.push({
    figure: '`stats` over all 1,000,000 records',
    value: seconds(statsAll),
    baseline: `${(readMs / 1000).toFixed(1)} s (stream the lines only)`,
    ratio: `${(statsAll.wallMs / readMs).toFixed(1)}×`,
    target: '≤ 3 s',
  });
  results.chronicle = {
    records: parsed.records,
    aggregateMs: parsed.ms,
    streamLinesMs: readMs,
    peakRssMb: cost.peakRssMb,
    baselineRssMb: base.peakRssMb,
    since30dWallMs: chronicle30d.wallMs,
    since30dPeakRssMb: chronicle30d.peakRssMb,
  };
  rows.push({
    figure: 'chronicle: aggregate 1,000,000 registry records',
    value: `${((parsed.ms ?? 0) / 1000).toFixed(1)} s`,
    baseline: `${(readMs / 1000).toFixed(1)} s (stream the lines only)`,
    ratio: `${((parsed.ms ?? 0) / readMs).toFixed(1)}×`,
    target: '≤ 3 s',
  });
  rows.push({
    figure: 'chronicle: peak RSS over 1,000,000 records',
    value: `${cost.peakRssMb.toFixed(0)} MB`,
    baseline: `${base.peakRssMb.toFixed(0)} MB (node -e 0)`,
    ratio: `${(cost.peakRssMb / base.peakRssMb).toFixed(2)}×`,
    target: '≤ 150 MB',
  });
}

/**
 * What `argus run` does for days: the real guarded cycle in one process, on a fixture machine (a generated /proc, a
 * fake clock 5 min a cycle), heap sampled after a full GC. Only Argus is in the loop: no simulator bookkeeping.
 */
export async function manyCycles(rows: Row[], results: Record<string, unknown>): Promise<void> {
  const cycles = Number(process.env.BENCH_CYCLES ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-run-'));
  const root = join(dir, 'root');
  mkdirSync(root, { recursive: true });
  makeProcTree(root, { processes: 120, memTotalKb: 8_000_000, memAvailableKb: 5_000_000, loadavg: [0.3, 0.3, 0.3] });
  const clock = { t: Date.parse('2026-01-01T00:00:00Z') };
  const host = createLinuxHost({
    root,
    exec: async () => ({
      exitCode: 1,
      signal: null,
      stdout: '',
      stderr: 'not here',
      timedOut: false,
      durationMs: 0,
      failed: true,
      spawnError: 'ENOENT',
    }),
    statfs: async () => ({
      blockSize: 4096,
      blocks: 1_000_000,
      blocksFree: 500_000,
      blocksAvail: 480_000,
      files: 100_000,
      filesFree: 90_000,
    }),
    now: () => new Date(clock.t),
    hostname: () => 'bench',
  });
  const config = ConfigSchema.parse({ stateDir: join(dir, 'state') });
  const rt = await createRuntime(config, statePaths(config), { log: silentLog(), host, beadsDir: join(dir, 'beads') });
  const gc = (globalThis as { gc?: () => void }).gc;
  const samples: Array<{ cycle: number; heapMb: number; rssMb: number }> = [];
  const t = performance.now();
  for (let n = 1; n <= cycles; n++) {
    const o = await runGuardedCycle(rt);
    if (o.status !== 'ok') throw new Error(`cycle ${n} ${o.status}`);
    clock.t += 300_000;
    if (n === 500 || n === cycles || n % 2500 === 0) {
      gc?.();
      const m = process.memoryUsage();
      samples.push({ cycle: n, heapMb: m.heapUsed / 1048576, rssMb: m.rss / 1048576 });
    }
  }
  const perCycleMs = (performance.now() - t) / cycles;
  rmSync(dir, { recursive: true, force: true });
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  results.manyCycles = { cycles, perCycleMs, samples, gcExposed: gc !== undefined };
  rows.push({
    figure: `${cycles} cycles in one process (\`argus run\`): heap after GC at cycle ${last.cycle}`,
    value: `${last.heapMb.toFixed(1)} MB`,
    baseline: `${first.heapMb.toFixed(1)} MB at cycle ${first.cycle}`,
    ratio: `${(last.heapMb / first.heapMb).toFixed(2)}×`,
    target: 'no growth',
  });
  rows.push({
    figure: `${cycles} cycles in one process: RSS at cycle ${last.cycle}`,
    value: `${last.rssMb.toFixed(0)} MB`,
    baseline: `${first.rssMb.toFixed(0)} MB at cycle ${first.cycle}`,
    ratio: `${(last.rssMb / first.rssMb).toFixed(2)}×`,
    target: 'no growth',
  });
}

export async function pressureDay(rows: Row[], results: Record<string, unknown>): Promise<void> {
  // The scripted-model replay (the model abstains): every request Argus makes is answered and counted. Deterministic, so one run.
  const loaded = loadScenario(join(ROOT, 'scenarios/memory-pressure-day-model.json'));
  if (!loaded.ok) throw new Error(loaded.error);
  const r = await runScenario(loaded.scenario);
  if (!r.pass) throw new Error(`memory-pressure-day-model failed: ${r.reasons.join('; ')}`);
  const incidents = Math.max(1, r.incidents.length);
  const tokens = r.model.inputTokens + r.model.outputTokens;
  // Baseline: the first Argus asked the model every cycle (288 a day); each such call costs what one analysis call costs here.
  const baseCalls = r.cycles;
  const perAnalysis = r.model.byAgent.evaluator
    ? r.model.byAgent.evaluator.tokens / r.model.byAgent.evaluator.calls
    : tokens / Math.max(1, r.model.calls);
  const baseTokens = Math.round(perAnalysis * baseCalls);
  results.pressureDay = {
    cycles: r.cycles,
    alerts: r.alerts.length,
    beads: r.beads.opened,
    incidents: r.incidents.length,
    modelCalls: r.model.calls,
    modelCallsByAgent: r.model.byAgent,
    inputTokens: r.model.inputTokens,
    outputTokens: r.model.outputTokens,
    tokens,
    baselineCalls: baseCalls,
    baselineTokens: baseTokens,
  };
  rows.push({
    figure: '24-hour memory-pressure replay: model calls (scripted model)',
    value: String(r.model.calls),
    baseline: `${baseCalls} (a call every cycle, as the first Argus did)`,
    ratio: `${(r.model.calls / baseCalls).toFixed(3)}×`,
    target: '≪ 1×',
  });
  rows.push({
    figure: '24-hour memory-pressure replay: model tokens (scripted model, ~4 characters a token)',
    value: tokens.toLocaleString('en-US'),
    baseline: `${baseTokens.toLocaleString('en-US')} (${baseCalls} analysis calls)`,
    ratio: `${(tokens / baseTokens).toFixed(3)}×`,
    target: '≪ 1×',
  });
  rows.push({
    figure: '24-hour memory-pressure replay: alerts per incident',
    value: `${(r.alerts.length / incidents).toFixed(0)} (${r.alerts.length} alerts, ${r.incidents.length} incident)`,
    baseline: '40 alerts (the first Argus, same day)',
    ratio: `${(r.alerts.length / 40).toFixed(2)}×`,
    target: '—',
  });
  rows.push({
    figure: '24-hour memory-pressure replay: beads',
    value: String(r.beads.opened),
    baseline: '130 beads (the first Argus)',
    ratio: `${(r.beads.opened / 130).toFixed(3)}×`,
    target: '—',
  });
}
