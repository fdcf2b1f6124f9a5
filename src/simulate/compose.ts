// The simulator's composition: the real runtime on the simulated host, with clean_disk's roots inside the sim root.
// The simulator is a test instrument, so (like a test) it builds its own action list: the same seven actions and the
// same gate as createAllActions, except clean_disk walks the simulated disks' safelist trees and restart verification
// polls without real-time sleeps. Nothing else differs from `argus once`.
import type { StatePaths } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { SimulatedHost } from '../host/simulated/host.js';
import type { SimTracker } from '../host/simulated/tracker.js';
import type { Log } from '../log.js';
import type { AlertMessage, Notifier } from '../notify/notifier.js';
import { createBeadKeeper } from '../agents/executor/beads.js';
import { createGate } from '../agents/executor/gate.js';
import type { ActionDef } from '../agents/executor/action.js';
import { alertAction } from '../agents/executor/actions/alert.js';
import { createCleanDisk } from '../agents/executor/actions/clean-disk.js';
import { createCreateBead } from '../agents/executor/actions/create-bead.js';
import { createKillPid } from '../agents/executor/actions/kill-pid.js';
import { createKillTmux } from '../agents/executor/actions/kill-tmux.js';
import { createLogAction } from '../agents/executor/actions/log.js';
import { createRestartService } from '../agents/executor/actions/restart-service.js';
import { createRuntime } from '../orchestrator/compose.js';
import type { Runtime } from '../orchestrator/runtime.js';

/** Every alert the actions handed to the notifier, whole (the registry keeps a bounded copy of the text). */
export type AlertSink = AlertMessage[];

export async function createSimRuntime(
  config: Config,
  paths: StatePaths,
  host: SimulatedHost,
  tracker: SimTracker,
  log: Log,
  sink: AlertSink = [],
): Promise<Runtime> {
  const base = await createRuntime(config, paths, { log, host, beadsDir: `${paths.stateDir}/.beads` });
  const keeper = createBeadKeeper({ bd: tracker, statePath: paths.beads, now: () => host.now(), log });
  // Verification polls the simulated systemctl: a step counter instead of wall time, no sleeping.
  let tick = 0;
  const actions = [
    createRestartService({
      sleep: async () => undefined,
      monotonic: () => tick++,
      pollMs: 1,
      settleMs: 1,
      verifyTimeoutMs: 50,
    }),
    createKillPid({ graceMs: 0, pollMs: 1 }),
    createKillTmux(),
    alertAction,
    createLogAction(),
    createCreateBead({ keeper }),
    createCleanDisk({ roots: host.safelistDirs() }),
  ] as ActionDef[];
  const gate = createGate(actions, {
    registry: base.registry,
    now: () => host.now(),
    host: config.hostname ?? host.hostname(),
  });
  const notifier: Notifier = {
    channel: base.notifier.channel,
    deliver: async (alerts) => {
      sink.push(...alerts);
      return base.notifier.deliver(alerts);
    },
  };
  return {
    ...base,
    notifier,
    gate,
    beads: {
      openBead: (identity) => keeper.beadFor(identity),
      retryPending: async () => {
        await keeper.retryPending();
      },
      resolve: async (identity, reason) => (await keeper.resolve(identity, reason)).beadId ?? null,
    },
  };
}
