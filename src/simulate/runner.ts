// Replays one scenario through the real guarded cycle on the simulated host, cycle by cycle on a fake clock.
import { lstatSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statePaths } from '../config/load.js';
import { ConfigSchema, type Config } from '../config/schema.js';
import { createSimClock } from '../host/simulated/clock.js';
import { createSimulatedHost, type SimulatedHost } from '../host/simulated/host.js';
import { createScriptedModel, type ScriptedModel } from '../host/simulated/model.js';
import { SIM_TELEGRAM_HOST } from '../host/simulated/host.js';
import { createSimTracker } from '../host/simulated/tracker.js';
import { createWorld } from '../host/simulated/world.js';
import { silentLog, type Log } from '../log.js';
import { runGuardedCycle } from '../orchestrator/once.js';
import { Registry } from '../state/registry.js';
import { createSimRuntime, type AlertSink } from './compose.js';
import { checkExpectations } from './expect.js';
import { createTimeline } from './timeline.js';
import { summarize, type ScenarioResult, type CycleNote } from './outcome.js';
import type { Scenario } from './scenario.js';

export interface RunOptions {
  log?: Log;
  /** Keep the temp directory (state, /proc) for inspection; its path is in the result. */
  keep?: boolean;
  /** Called after each cycle with the host (tests look at the world). */
  onCycle?: (minute: number, host: SimulatedHost) => void;
}

function buildConfig(s: Scenario, stateDir: string, tmuxSocket: string, model: ScriptedModel | null): Config {
  const raw = { ...s.config } as Record<string, unknown>;
  if ('telegram' in raw || 'anthropic' in raw)
    throw new Error('scenario config may not set telegram or anthropic: a simulation never leaves the machine');
  const sockets = Array.isArray(raw.tmuxSockets) ? (raw.tmuxSockets as string[]) : [];
  // A scripted model gets a key and a base URL only the simulated host's fetch answers.
  const anthropic = model ? { anthropic: { apiKey: 'sim-key', baseUrl: model.baseUrl } } : {};
  // A simulated chat: a Bot API only the simulated host's fetch answers (world.telegram).
  const telegram = s.world.telegram
    ? { telegram: { botToken: '1:sim', chatId: '1', apiBase: `https://${SIM_TELEGRAM_HOST}` } }
    : {};
  return ConfigSchema.parse({
    ...raw,
    ...anthropic,
    ...telegram,
    stateDir,
    hostname: 'sim-host',
    tmuxSockets: [...sockets, tmuxSocket],
    dryRun: raw.dryRun ?? false,
  });
}

const lexists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  const log = options.log ?? silentLog();
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'argus-sim-')));
  const clock = createSimClock(new Date(scenario.start));
  const world = createWorld(scenario.world, clock.startMs);
  const model =
    scenario.model === 'off'
      ? null
      : createScriptedModel(scenario.model, () => clock.now(), undefined, scenario.expect.model?.neverSent ?? []);
  const host = createSimulatedHost(world, clock, { root, ...(model ? { model } : {}) });
  const started = performance.now();
  try {
    for (const d of scenario.world.disks) for (const f of d.files) host.addFile(d.mount, f);
    const config = buildConfig(scenario, join(root, 'state'), host.tmuxSocket, model);
    const paths = statePaths(config);
    const tracker = createSimTracker(() => clock.now());
    const sink: AlertSink = [];
    const rt = await createSimRuntime(config, paths, host, tracker, log, sink);
    const timeline = createTimeline(scenario.events, host);
    const cycles: CycleNote[] = [];
    for (let m = 0; m < scenario.durationMin; m += scenario.intervalMin) {
      // Cycles start on the schedule even when one waited inside (a restart attempt due within the cycle); a clock
      // jump moves the whole schedule with it.
      const due = m + host.clockOffsetMin;
      if (due > clock.minutes()) clock.advance(due - clock.minutes());
      timeline.advanceTo(m);
      host.sync();
      const outcome = await runGuardedCycle(rt);
      if (outcome.status === 'ok') {
        const r = outcome.report;
        cycles.push({
          minute: m,
          ok: true,
          error: null,
          memPct: r.snapshot.memory?.effectivePct ?? null,
          findings: r.findings.map((f) => f.identity),
          warnings: r.warnings,
        });
      } else {
        cycles.push({
          minute: m,
          ok: false,
          error: outcome.status === 'failed' ? outcome.error.message : `locked by ${outcome.ownerPid}`,
          memPct: null,
          findings: [],
          warnings: [],
        });
      }
      options.onCycle?.(m, host);
    }
    const records = await new Registry(paths.registry).list();
    const result = summarize(scenario, {
      records,
      cycles,
      tracker,
      startMs: clock.startMs,
      wallMs: performance.now() - started,
      killed: world.killed,
      sink,
      model,
    });
    if (world.telegram)
      result.telegram = world.telegram.messages.map((m) => ({
        minute: Math.round((m.atMs - clock.startMs) / 60_000),
        text: m.text,
      }));
    result.files = scenario.expect.files.map((f) => ({ path: f.path, exists: lexists(host.realPath(f.path)) }));
    result.reasons.push(...checkExpectations(scenario, result));
    result.pass = result.reasons.length === 0;
    if (options.keep) result.dir = root;
    return result;
  } finally {
    if (!options.keep) rmSync(root, { recursive: true, force: true });
  }
}
