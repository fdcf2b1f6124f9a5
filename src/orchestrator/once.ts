// A guarded cycle: the single-instance lock, the cycle, Argus's own health (self-alerts that arrive), the heartbeat.
import { stateFreeBytes } from '../agents/collector/self.js';
import type { AlertMessage } from '../notify/notifier.js';
import { acquireLock, LockHeldError, type Lock } from '../state/lock.js';
import { readFixedRecord, writeFixedRecord } from '../state/fixed-record.js';
import { maintainRegistry } from '../state/registry-segments.js';
import { readCycleState, writeCycleState } from './cycle-state.js';
import { runCycle, type CycleOptions, type CycleReport } from './cycle.js';
import { pingHeartbeat } from './heartbeat.js';
import type { Runtime } from './runtime.js';
import {
  emptySelfHealth,
  isUnwritable,
  markSent,
  nextSelfHealth,
  SelfHealthSchema,
  type SelfHealth,
  type SelfMessage,
} from './self-health.js';

export type GuardedOutcome =
  | { status: 'ok'; report: CycleReport }
  | { status: 'failed'; error: Error; consecutiveFailures: number }
  | { status: 'locked'; ownerPid: number };

export async function runGuardedCycle(rt: Runtime, options: CycleOptions = {}): Promise<GuardedOutcome> {
  const { paths, host } = rt;
  const started = host.now();
  let lock: Lock;
  try {
    lock = acquireLock(paths.lock, { now: () => host.now() });
  } catch (error) {
    if (error instanceof LockHeldError) return { status: 'locked', ownerPid: error.ownerPid };
    // Not even the lock could be written (a full or read-only state filesystem): a failed cycle like any other.
    return afterCycle(rt, started, toError(error));
  }
  try {
    let outcome: CycleReport | Error;
    try {
      // Under the lock: a new month rotates the registry into a segment; segments past the retention go.
      const kept = maintainRegistry(paths.registry, host.now(), rt.config.retentionDays);
      if (kept.rotated || kept.deleted.length)
        rt.log.info({ rotated: kept.rotated, deleted: kept.deleted }, 'registry rotated');
      outcome = await runCycle(rt, options);
    } catch (caught) {
      outcome = toError(caught);
    }
    return await afterCycle(rt, started, outcome);
  } finally {
    lock.release();
  }
}

const toError = (caught: unknown): Error => (caught instanceof Error ? caught : new Error(String(caught)));

/** One line an operator can act on (Node's ENOSPC message does not say which filesystem). */
export function describeFailure(error: Error, stateDir: string): string {
  const first = (error.message.split('\n')[0] ?? '').slice(0, 300);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'short_write' || code === 'EDQUOT')
    return `no space left on the state filesystem (${stateDir}): ${first}`;
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
    return `the state directory ${stateDir} is not writable: ${first}`;
  return first;
}

/** Record the outcome, tell a person when Argus itself is in trouble, ping the heartbeat. Never throws. */
async function afterCycle(rt: Runtime, started: Date, outcome: CycleReport | Error): Promise<GuardedOutcome> {
  const { paths, host, log, config } = rt;
  const ok = !(outcome instanceof Error);
  const error = ok ? null : describeFailure(outcome, paths.stateDir);
  if (!ok) log.error({ err: outcome }, `cycle failed: ${error}`);
  const prev = loadSelfHealth(rt);
  const { next, message } = nextSelfHealth(
    prev,
    {
      ok,
      error,
      stateUnwritable: !ok && isUnwritable(outcome),
      stateDir: paths.stateDir,
      stateFreeBytes: await stateFreeBytes(host, paths.stateDir).catch(() => null),
      minFreeBytes: config.thresholds.stateMinFreeMB * 1024 * 1024,
    },
    host.now(),
  );
  const health = message ? await announce(rt, next, message) : next;
  saveSelfHealth(rt, health);
  recordCycleState(rt, started, outcome, health);
  if (config.heartbeatUrl) await pingHeartbeat(host.fetch, config.heartbeatUrl, ok, (d) => log.warn(d));
  if (ok) return { status: 'ok', report: outcome };
  return {
    status: 'failed',
    error: new Error(error ?? outcome.message, { cause: outcome }),
    consecutiveFailures: health.failures,
  };
}

/** Send a self message straight to the channel (not the cycle's buffer); it counts as sent once the channel took it. */
async function announce(rt: Runtime, health: SelfHealth, message: SelfMessage): Promise<SelfHealth> {
  const now = rt.host.now();
  const alert: AlertMessage = {
    id: message.id,
    ts: now.toISOString(),
    severity: message.severity,
    text: message.text,
    identity: 'self:health',
  };
  const result = await rt.sendDirect(alert);
  // Sent, or no channel to send to. Queued in the outbox is not enough: the outbox drains only when a cycle works.
  const handed = result.status === 'sent' || result.status === 'logged';
  if (handed) rt.log.warn({ self: message.kind, delivery: result.status }, `self-${message.kind}: ${result.detail}`);
  else
    rt.log.error(
      { self: message.kind, detail: result.detail },
      'self-alert could not be delivered: trying again next cycle',
    );
  try {
    rt.registry.append([
      {
        ts: now.toISOString(),
        severity: message.severity,
        type: 'self',
        description: message.text.split('\n')[0] ?? message.kind,
        action_taken: 'alert:self',
        action_result: handed ? 'success' : 'failure',
        bead_id: null,
        host: rt.config.hostname ?? host(rt),
        kind: 'self',
        identity: 'self:health',
        incident_id: null,
        source: 'rule',
        cycle_id: null,
        details: {
          message: message.kind,
          delivery: result.status,
          detail: result.detail,
          failures: health.failures,
          since: health.episodeSince,
        },
      },
    ]);
  } catch {
    // The registry may be what is broken (a full disk); the message itself went out.
  }
  return handed ? markSent(health, message, now) : health;
}

const host = (rt: Runtime): string => rt.host.hostname();

/**
 * Self health lives in three places, newest wins: memory (`argus run` keeps counting when nothing can be written),
 * a fixed-size file rewritten in place (works on a full disk), and — for state from older versions — cycle_state.json.
 */
function loadSelfHealth(rt: Runtime): SelfHealth {
  const fromFile = readFixedRecord(rt.paths.selfHealth, SelfHealthSchema);
  const inMemory = rt.selfMemory.health;
  const newest = [fromFile, inMemory]
    .filter((h): h is SelfHealth => h !== null)
    .sort((a, b) => Date.parse(b.lastAttemptAt ?? '') - Date.parse(a.lastAttemptAt ?? '') || 0)[0];
  if (newest) return newest;
  const legacy = readCycleState(rt.paths.cycleState);
  return {
    ...emptySelfHealth(),
    failures: legacy.consecutiveFailures,
    alertedAt: legacy.lastSelfAlertAt,
    episodeSince: legacy.lastSelfAlertAt,
  };
}

function saveSelfHealth(rt: Runtime, health: SelfHealth): void {
  rt.selfMemory.health = health;
  try {
    writeFixedRecord(rt.paths.selfHealth, health);
  } catch (error) {
    rt.log.error({ err: error }, 'could not write self health (kept in memory and in the log)');
  }
}

function recordCycleState(rt: Runtime, started: Date, outcome: CycleReport | Error, health: SelfHealth): void {
  const { paths, host } = rt;
  try {
    const before = readCycleState(paths.cycleState);
    const ok = !(outcome instanceof Error);
    writeCycleState(paths.cycleState, {
      ...before,
      cyclesTotal: before.cyclesTotal + 1,
      consecutiveFailures: health.failures,
      lastStartedAt: started.toISOString(),
      lastFinishedAt: host.now().toISOString(),
      lastOk: ok,
      lastError: ok ? null : health.lastError,
      lastDurationMs: ok ? outcome.durationMs : host.now().getTime() - started.getTime(),
      ...(ok ? { lastCycleId: outcome.cycleId, lastFindings: outcome.findings.length } : {}),
      lastSelfAlertAt: health.alertedAt,
    });
  } catch (error) {
    rt.log.error({ err: error }, 'could not write cycle state');
  }
}
