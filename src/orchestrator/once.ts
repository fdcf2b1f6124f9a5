// A guarded cycle: single-instance lock, self-monitoring (consecutive failures; self-alert at 3), cycle health on disk.
import { acquireLock, LockHeldError } from '../state/lock.js';
import { readCycleState, writeCycleState } from './cycle-state.js';
import { runCycle, type CycleOptions, type CycleReport } from './cycle.js';
import { selfAlert } from './messages.js';
import type { Runtime } from './runtime.js';

export type GuardedOutcome =
  | { status: 'ok'; report: CycleReport }
  | { status: 'failed'; error: Error; consecutiveFailures: number }
  | { status: 'locked'; ownerPid: number };

const SELF_ALERT_AFTER = 3;
const SELF_ALERT_EVERY_MS = 3_600_000;

export async function runGuardedCycle(rt: Runtime, options: CycleOptions = {}): Promise<GuardedOutcome> {
  const { paths, host, log } = rt;
  let lock;
  try {
    lock = acquireLock(paths.lock, host.pid);
  } catch (error) {
    if (error instanceof LockHeldError) return { status: 'locked', ownerPid: error.ownerPid };
    throw error;
  }
  const started = host.now();
  try {
    const before = readCycleState(paths.cycleState);
    before.lastStartedAt = started.toISOString();
    try {
      const report = await runCycle(rt, options);
      writeCycleState(paths.cycleState, {
        ...before,
        cyclesTotal: before.cyclesTotal + 1,
        consecutiveFailures: 0,
        lastCycleId: report.cycleId,
        lastFinishedAt: host.now().toISOString(),
        lastOk: true,
        lastError: null,
        lastDurationMs: report.durationMs,
        lastFindings: report.findings.length,
      });
      return { status: 'ok', report };
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const failures = before.consecutiveFailures + 1;
      log.error({ err: error, consecutiveFailures: failures }, 'cycle failed');
      let lastSelfAlertAt = before.lastSelfAlertAt;
      const due = !lastSelfAlertAt || started.getTime() - Date.parse(lastSelfAlertAt) >= SELF_ALERT_EVERY_MS;
      if (failures >= SELF_ALERT_AFTER && due) {
        // Straight to the notifier: the gate or the registry may be what is broken.
        await rt.notifier
          .deliver([{ id: `self-${started.getTime()}`, ts: started.toISOString(), severity: 'critical', text: selfAlert(failures, error.message), identity: 'self:cycle-failures' }])
          .catch((e: unknown) => log.error({ err: e }, 'self-alert could not be delivered'));
        lastSelfAlertAt = started.toISOString();
      }
      try {
        writeCycleState(paths.cycleState, {
          ...before,
          cyclesTotal: before.cyclesTotal + 1,
          consecutiveFailures: failures,
          lastFinishedAt: host.now().toISOString(),
          lastOk: false,
          lastError: error.message.slice(0, 500),
          lastDurationMs: host.now().getTime() - started.getTime(),
          lastSelfAlertAt,
        });
      } catch (e) {
        log.error({ err: e }, 'could not write cycle state');
      }
      return { status: 'failed', error, consecutiveFailures: failures };
    }
  } finally {
    lock.release();
  }
}
