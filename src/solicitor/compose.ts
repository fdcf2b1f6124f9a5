// Wiring of the Solicitor on a composed runtime: the approvals store, the Bot API on the process's pacer, the lock
// (waited for, so acting never overlaps a cycle), the gate. The listener runs as `argus solicit`.
import type { ActionContext } from '../agents/executor/action.js';
import { telegramTarget } from '../orchestrator/compose.js';
import type { Runtime } from '../orchestrator/runtime.js';
import { createTelegramPacer, type TelegramPacer } from '../notify/pace.js';
import { ApprovalStore, approvalsDir } from '../state/approvals.js';
import { acquireLock, LockHeldError, type Lock } from '../state/lock.js';
import type { CommandDeps } from './commands.js';
import type { DecideDeps } from './decide.js';
import { createListener, offsetFile, type Listener } from './listener.js';

export interface SolicitorOptions {
  pollTimeoutSec?: number;
  /** How long a decision waits for a running cycle to release the lock, ms (a cycle can wait 90 s for a restart). */
  lockWaitMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  pacer?: TelegramPacer;
}

/** Take the lock, polling while a cycle holds it; null after `waitMs`. */
export async function waitForLock(path: string, waitMs: number, now: () => Date, pollMs = 250): Promise<Lock | null> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    try {
      return acquireLock(path, { now });
    } catch (error) {
      if (!(error instanceof LockHeldError)) throw error;
    }
    if (performance.now() >= deadline) return null;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export function approvalStore(rt: Pick<Runtime, 'paths' | 'log'>): ApprovalStore {
  return new ApprovalStore(approvalsDir(rt.paths.stateDir), (reason) =>
    rt.log.warn({ reason }, 'an approval file is invalid; ignored'),
  );
}

/** The context an approval runs in before its facts are laid over it: the machine now, no cycle, no snapshot. */
export function solicitorContext(rt: Runtime): ActionContext {
  return {
    host: rt.host,
    config: rt.config,
    paths: rt.paths,
    log: rt.log.child({ agent: 'solicitor' }),
    snapshot: null,
    notifier: rt.notifier,
    dryRun: rt.config.dryRun,
    cycleId: null,
  };
}

export function createSolicitor(rt: Runtime, options: SolicitorOptions = {}): Listener {
  const target = telegramTarget(rt.config);
  if (!target) throw new Error('the Solicitor needs TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID');
  const store = approvalStore(rt);
  const now = (): Date => rt.host.now();
  const hostname = rt.config.hostname ?? rt.host.hostname();
  const lock = (): Promise<Lock | null> => waitForLock(rt.paths.lock, options.lockWaitMs ?? 180_000, now);
  const decide: DecideDeps = {
    config: rt.config,
    store,
    gate: rt.gate,
    registry: rt.registry,
    baseCtx: async () => solicitorContext(rt),
    acquireLock: lock,
    silencesPath: rt.paths.silences,
    now,
    host: hostname,
  };
  const commands: CommandDeps = {
    config: rt.config,
    paths: rt.paths,
    registry: rt.registry,
    store,
    now,
    acquireLock: lock,
    host: hostname,
  };
  return createListener({
    api: { fetch: rt.host.fetch, target, pacer: options.pacer ?? createTelegramPacer() },
    store,
    decide,
    commands,
    log: rt.log.child({ agent: 'solicitor' }),
    hostname,
    offsetPath: offsetFile(rt.paths.stateDir),
    pollTimeoutSec: options.pollTimeoutSec,
    backoffMinMs: options.backoffMinMs,
    backoffMaxMs: options.backoffMaxMs,
  });
}
