// The composition root: builds the real (or injected) host, the notifier, bd, the seven actions and the one gate.
import type { StatePaths } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLinuxHost } from '../host/linux.js';
import type { Host } from '../host/port.js';
import { createBd } from '../host/bd.js';
import { withAutoInit } from '../host/bd-init.js';
import type { Log } from '../log.js';
import { BufferedNotifier } from '../notify/buffered.js';
import { createLogNotifier } from '../notify/log-notifier.js';
import type { Notifier } from '../notify/notifier.js';
import { createTelegramNotifier } from '../notify/telegram.js';
import { sendDirect, type TelegramTarget } from '../notify/direct.js';
import { createTelegramPacer, type TelegramPacer } from '../notify/pace.js';
import { Registry } from '../state/registry.js';
import { createBeadKeeper } from '../agents/executor/beads.js';
import { createGate } from '../agents/executor/gate.js';
import { createAllActions } from '../agents/executor/actions/all.js';
import { createRestartHealth } from '../agents/executor/actions/restart-service.js';
import type { Runtime } from './runtime.js';

export interface RuntimeOptions {
  log: Log;
  /** Injected for tests and scenario replay; the real machine otherwise. */
  host?: Host;
  /** Budget for delivering one cycle's alerts, ms. */
  alertBudgetMs?: number;
  /** BEADS_DIR for `bd` (default: the environment's, else `<state>/.beads`). */
  beadsDir?: string;
}

export function createNotifier(
  config: Config,
  paths: StatePaths,
  host: Host,
  log: Log,
  budgetMs?: number,
  pacer?: TelegramPacer,
): Notifier {
  const { botToken, chatId, apiBase } = config.telegram;
  if (botToken && chatId) {
    return createTelegramNotifier({
      fetch: host.fetch,
      botToken,
      chatId,
      apiBase,
      hostname: config.hostname ?? host.hostname(),
      outboxPath: paths.outbox,
      now: () => host.now(),
      log,
      budgetMs,
      pacer,
    });
  }
  return createLogNotifier({ log, outboxPath: paths.outbox });
}

/** The Telegram chat of this configuration, or null when Telegram is not (fully) configured. */
export function telegramTarget(config: Config): TelegramTarget | null {
  const { botToken, chatId, apiBase } = config.telegram;
  return botToken && chatId ? { botToken, chatId, apiBase } : null;
}

export async function createRuntime(config: Config, paths: StatePaths, options: RuntimeOptions): Promise<Runtime> {
  const log = options.log;
  const host = options.host ?? createLinuxHost(config.hostname ? { hostname: () => config.hostname! } : {});
  const registry = new Registry(paths.registry);
  // One pacer for the process: the cycle's delivery and self-alerts queue behind each other per chat.
  const pacer = createTelegramPacer();
  const buffered = new BufferedNotifier(createNotifier(config, paths, host, log, options.alertBudgetMs, pacer));
  const beadsDir = options.beadsDir ?? process.env.BEADS_DIR ?? `${paths.stateDir}/.beads`;
  const bd = withAutoInit(createBd({ exec: host.exec, beadsDir }), beadsDir);
  const beads = createBeadKeeper({ bd, statePath: paths.beads, now: () => host.now(), log });
  const actions = createAllActions({ keeper: beads });
  const gate = createGate(actions, { registry, now: () => host.now(), host: config.hostname ?? host.hostname() });
  const restarts = createRestartHealth(paths.restarts);
  return {
    config,
    paths,
    host,
    log,
    registry,
    notifier: buffered,
    gate,
    beads: {
      openBead: (identity) => beads.beadFor(identity),
      retryPending: async () => {
        await beads.retryPending();
      },
      resolve: async (identity, reason) => {
        const r = await beads.resolve(identity, reason);
        return (r as { beadId?: string | null }).beadId ?? null;
      },
    },
    restarts,
    flushAlerts: () => buffered.flush(),
    sendDirect: (alert) =>
      sendDirect(
        {
          fetch: host.fetch,
          telegram: telegramTarget(config),
          hostname: config.hostname ?? host.hostname(),
          now: () => host.now(),
          outboxPath: paths.outbox,
          pacer,
          logWarn: (t) => log.warn(t),
        },
        alert,
      ),
    selfMemory: { health: null },
  };
}
