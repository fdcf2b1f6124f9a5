// Test harness for the tools: a temp state dir with real state files, a real gate (kill_pid, log) and the registry.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionContext } from '../../src/agents/executor/action.js';
import { createKillPid, createLogAction } from '../../src/agents/executor/actions/index.js';
import { createGate } from '../../src/agents/executor/gate.js';
import type { ReadToolDeps } from '../../src/agents/rca/tools.js';
import { statePaths, type StatePaths } from '../../src/config/load.js';
import { ConfigSchema, type Config } from '../../src/config/schema.js';
import { createLinuxHost } from '../../src/host/linux.js';
import type { Host } from '../../src/host/port.js';
import { silentLog } from '../../src/log.js';
import type { HistoryPoint } from '../../src/model/history.js';
import type { ProblemRecord } from '../../src/model/record.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { Registry } from '../../src/state/registry.js';
import { buildToolRegistry } from '../../src/orchestrator/tool-registry.js';
import type { ToolCallContext, ToolRegistry } from '../../src/tools/tool.js';
import { readRecords } from '../support/records.js';

export const NOW = new Date('2026-02-19T10:05:00.000Z');

export interface ToolSandbox {
  dir: string;
  config: Config;
  paths: StatePaths;
  host: Host;
  deps: ReadToolDeps;
  /** Every line of problems.jsonl, parsed as `jq` would. */
  records(): ProblemRecord[];
  writeSnapshot(s: Snapshot): void;
  writeHistory(points: HistoryPoint[]): void;
  writeJson(path: string, value: unknown): void;
  cleanup(): void;
}

export function toolSandbox(over: { config?: Record<string, unknown>; host?: Partial<Host> } = {}): ToolSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'argus-'));
  const config = ConfigSchema.parse({ stateDir: join(dir, 'state'), hostname: 'testhost', ...over.config });
  const paths = statePaths(config);
  mkdirSync(paths.stateDir, { recursive: true });
  const host = createLinuxHost({ now: () => NOW, hostname: () => 'testhost', ...over.host });
  const registry = new Registry(paths.registry);
  const writeJson = (path: string, value: unknown) => writeFileSync(path, JSON.stringify(value));
  return {
    dir,
    config,
    paths,
    host,
    deps: { host, config, paths, registry, log: silentLog() },
    records: () => readRecords(paths.registry),
    writeSnapshot: (s) => writeJson(paths.snapshot, s),
    writeHistory: (points) => writeFileSync(paths.history, points.map((p) => JSON.stringify(p)).join('\n') + '\n'),
    writeJson,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The real gate with the actions that need no outside program (kill_pid, log); others are refused as unknown. */
export function realGate(box: ToolSandbox) {
  return createGate([createKillPid(), createLogAction()], {
    registry: box.deps.registry,
    now: () => NOW,
    host: 'testhost',
  });
}

export function makeCtxFor(box: ToolSandbox, snapshot: Snapshot | null = null) {
  return async (_call: ToolCallContext): Promise<ActionContext> => ({
    host: box.host,
    config: box.config,
    paths: box.paths,
    log: silentLog(),
    snapshot,
    notifier: { channel: 'none', deliver: async () => ({ status: 'logged', delivered: 0, queued: 0, detail: '' }) },
    dryRun: false,
    cycleId: null,
  });
}

export function sandboxRegistry(box: ToolSandbox, diskRoots: string[] = [join(box.dir, 'tmp')]): ToolRegistry {
  return buildToolRegistry({
    gate: realGate(box),
    makeCtx: makeCtxFor(box),
    deps: box.deps,
    readOptions: { diskRoots },
  });
}

export function record(over: Partial<ProblemRecord> = {}): ProblemRecord {
  return {
    ts: '2026-02-19T10:00:00.000Z',
    severity: 'warning',
    type: 'disk',
    description: 'Disk / at 93%',
    action_taken: null,
    action_result: null,
    bead_id: null,
    host: 'testhost',
    kind: 'detection',
    identity: 'disk:/',
    incident_id: null,
    source: 'rule',
    cycle_id: 'c1',
    details: {},
    ...over,
  };
}

export function historyPoint(ts: string, over: Partial<HistoryPoint> = {}): HistoryPoint {
  return {
    ts,
    cycle_id: `c-${ts}`,
    mem_pct: 40,
    swap_pct: 5,
    swap_in_bps: 0,
    swap_out_bps: 0,
    cpu_pct: 10,
    load1: 0.5,
    disks: { '/': 50 },
    findings: 0,
    ok: true,
    duration_ms: 100,
    ...over,
  };
}
