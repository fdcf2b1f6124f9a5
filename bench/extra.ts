// Benchmark figures of the later phases: chronicle over 1,000,000 records, memory over many cycles, the 24-hour replay.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadScenario } from '../src/simulate/load.js';
import { runScenario } from '../src/simulate/runner.js';
import { generateRegistry } from '../test/support/registry-gen.js';
import { ROOT, runNode } from './measure.js';

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
  const args = [child, registry, join(dir, 'none.jsonl'), new Date(end - 4 * 365 * 86_400_000).toISOString(), new Date(end).toISOString()];
  const cost = runNode(args, {}, dir);
  const out = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const parsed = JSON.parse(out.stdout || '{}') as { ms?: number; records?: number };
  const base = runNode(['-e', '0'], {}, dir);
  rmSync(dir, { recursive: true, force: true });
  results.chronicle = { records: parsed.records, aggregateMs: parsed.ms, streamLinesMs: readMs, peakRssMb: cost.peakRssMb, baselineRssMb: base.peakRssMb };
  rows.push({ figure: 'chronicle: aggregate 1,000,000 registry records', value: `${((parsed.ms ?? 0) / 1000).toFixed(1)} s`, baseline: `${(readMs / 1000).toFixed(1)} s (stream the lines only)`, ratio: `${((parsed.ms ?? 0) / readMs).toFixed(1)}×`, target: '—' });
  rows.push({ figure: 'chronicle: peak RSS over 1,000,000 records', value: `${cost.peakRssMb.toFixed(0)} MB`, baseline: `${base.peakRssMb.toFixed(0)} MB (node -e 0)`, ratio: `${(cost.peakRssMb / base.peakRssMb).toFixed(2)}×`, target: 'bounded' });
}

export async function manyCycles(rows: Row[], results: Record<string, unknown>): Promise<void> {
  const cycles = Number(process.env.BENCH_CYCLES ?? 10_000);
  const loaded = loadScenario(join(ROOT, 'scenarios/healthy-day.json'));
  if (!loaded.ok) throw new Error(loaded.error);
  const scenario = { ...loaded.scenario, durationMin: cycles * 5 };
  const samples: Array<{ cycle: number; heapMb: number; rssMb: number }> = [];
  let n = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  await runScenario(scenario, {
    onCycle: () => {
      n++;
      if (n === 500 || n === cycles || n % 2500 === 0) {
        gc?.();
        const m = process.memoryUsage();
        samples.push({ cycle: n, heapMb: m.heapUsed / 1048576, rssMb: m.rss / 1048576 });
      }
    },
  });
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  results.manyCycles = { cycles: n, samples };
  rows.push({ figure: `${n} simulated cycles in one process: heap after cycle ${last.cycle}`, value: `${last.heapMb.toFixed(1)} MB`, baseline: `${first.heapMb.toFixed(1)} MB at cycle ${first.cycle}`, ratio: `${(last.heapMb / first.heapMb).toFixed(2)}×`, target: 'no growth' });
  rows.push({ figure: `${n} simulated cycles in one process: RSS after cycle ${last.cycle}`, value: `${last.rssMb.toFixed(0)} MB`, baseline: `${first.rssMb.toFixed(0)} MB at cycle ${first.cycle}`, ratio: `${(last.rssMb / first.rssMb).toFixed(2)}×`, target: 'no growth' });
}

export async function pressureDay(rows: Row[], results: Record<string, unknown>): Promise<void> {
  const loaded = loadScenario(join(ROOT, 'scenarios/memory-pressure-day.json'));
  if (!loaded.ok) throw new Error(loaded.error);
  const r = await runScenario(loaded.scenario);
  const incidents = Math.max(1, r.incidents.length);
  results.pressureDay = { cycles: r.cycles, alerts: r.alerts.length, beads: r.beads.opened, incidents: r.incidents.length, modelCalls: r.model.calls, tokens: r.model.inputTokens + r.model.outputTokens };
  rows.push({ figure: '24-hour memory-pressure replay: model calls (model off in the replay)', value: String(r.model.calls), baseline: `${r.cycles} (a call every cycle, as the first Argus did)`, ratio: `${(r.model.calls / r.cycles).toFixed(2)}×`, target: '—' });
  rows.push({ figure: '24-hour memory-pressure replay: alerts per incident', value: `${(r.alerts.length / incidents).toFixed(0)} (${r.alerts.length} alerts, ${r.incidents.length} incident)`, baseline: '40 alerts (the first Argus, same day)', ratio: `${(r.alerts.length / 40).toFixed(2)}×`, target: '—' });
  rows.push({ figure: '24-hour memory-pressure replay: beads', value: String(r.beads.opened), baseline: '130 beads (the first Argus)', ratio: `${(r.beads.opened / 130).toFixed(3)}×`, target: '—' });
}
