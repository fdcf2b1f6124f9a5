// The steps of one cycle that are more than a line: stored state (with clock steps), the model's extra findings, the
// gate as the incident phase uses it, the bookkeeping after it, fleet publishing, and persisting. cycle.ts sequences them.
import { SamplesSchema, type Samples } from '../agents/collector/samples.js';
import { withUnitType } from '../model/unit.js';
import { EvaluatorStateSchema, emptyEvaluatorState } from '../agents/evaluator/evaluate.js';
import { forgetUnitLevels } from '../agents/evaluator/rules/service.js';
import { shiftEvaluatorState, type EvaluatorState } from '../agents/evaluator/state.js';
import type { ActionContext } from '../agents/executor/action.js';
import { RecurrenceSchema, pruneRecurrence, shiftRecurrence, type Recurrence } from '../agents/incident/recurrence.js';
import {
  RouterStateSchema,
  emptyRouterState,
  shiftRouterState,
  type ResolvedIncident,
  type RouterState,
} from '../agents/router/route.js';
import type { Log } from '../log.js';
import type { ActionName, ActionResult } from '../model/action.js';
import { backwardStepMs } from '../model/clock-step.js';
import { SEVERITY_RANK, type Finding } from '../model/finding.js';
import type { HistoryPoint } from '../model/history.js';
import type { Snapshot } from '../model/snapshot.js';
import { readJsonState, writeJsonAtomic } from '../state/atomic.js';
import { appendJsonl } from '../state/jsonl.js';
import type { CycleState } from './cycle-state.js';
import type { Runtime } from './runtime.js';
import type { Thinker } from './think.js';

/** One action of a cycle as its report shows it. */
export interface ActionSummary {
  identity: string | null;
  action: string;
  result: ActionResult['result'];
  reason: string;
  /** For an alert: its severity and first line (what a person gets, or would get in a dry run). */
  message?: { severity: string; firstLine: string };
}

export type Warn = (reason: string) => void;
export type Target = { identity: string; incidentId: string } | null;

export interface Stored {
  previousSamples: Samples | null;
  evaluator: EvaluatorState;
  router: RouterState;
  recurrence: Recurrence;
}

/**
 * The state the last cycle left. When the wall clock was set back since then, stored times move back with it so
 * that reminders and backoff neither stall nor double (model/clock-step.ts).
 */
export async function loadStored(rt: Runtime, cycleState: CycleState, now: Date, warn: Warn): Promise<Stored> {
  const { paths, config } = rt;
  const step = backwardStepMs(cycleState.lastStartedAt, now, config.intervalSec);
  if (step > 0) {
    warn(
      `the wall clock was set back by about ${Math.round(step / 60_000)} min since the last cycle: stored times moved back to keep elapsed time`,
    );
    await rt.restarts?.shift(step);
  }
  const shifted = <T>(value: T, shift: (v: T, ms: number) => T): T => (step > 0 ? shift(value, step) : value);
  return {
    previousSamples: readJsonState<Samples | null>(paths.samples, SamplesSchema.nullable(), () => null, warn),
    evaluator: shifted(
      readJsonState(paths.evaluator, EvaluatorStateSchema, emptyEvaluatorState, warn),
      shiftEvaluatorState,
    ),
    router: shifted(readJsonState(paths.incidents, RouterStateSchema, emptyRouterState, warn), shiftRouterState),
    recurrence: pruneRecurrence(
      shifted(
        readJsonState(paths.recurrence, RecurrenceSchema, () => ({}), warn),
        shiftRecurrence,
      ),
      now,
    ),
  };
}

/**
 * The model's extra findings, asked only when the picture changed (a new problem, or a worse one): a problem that
 * persists for a day must not cost a call every cycle (the first Argus made 288 calls a day).
 */
export async function withModelFindings(
  rt: Runtime,
  think: () => Promise<Thinker>,
  snapshot: Snapshot,
  findings: Finding[],
  router: RouterState,
  warn: Warn,
): Promise<Finding[]> {
  const changed = findings.some((f) => {
    const open = router.incidents[f.identity];
    return !open || SEVERITY_RANK[f.severity] > SEVERITY_RANK[open.severity];
  });
  if (!rt.config.anthropic.apiKey || !changed) return findings;
  const extra = await (
    await think()
  )
    .analyse(snapshot, findings)
    .catch((e: unknown) => (warn(`evaluator analysis failed: ${(e as Error).message}`), []));
  return [...findings, ...extra];
}

/** The gate as the incident phase uses it (source 'rule'), keeping the cycle's summary of what was asked and how it went. */
export function cycleGate(rt: Runtime, base: { snapshot: Snapshot; dryRun: boolean; cycleId: string; log: Log }) {
  const actions: ActionSummary[] = [];
  const restartedUnits = new Set<string>();
  const ctxFor = (d: Target): ActionContext => ({
    host: rt.host,
    config: rt.config,
    paths: rt.paths,
    log: base.log,
    snapshot: base.snapshot,
    notifier: rt.notifier,
    dryRun: base.dryRun,
    cycleId: base.cycleId,
    identity: d?.identity ?? null,
    incidentId: d?.incidentId ?? null,
    source: 'rule',
  });
  const run =
    (d: Target) =>
    async (action: ActionName, input: Record<string, unknown>): Promise<ActionResult> => {
      const result = await rt.gate.run(
        { action, input, source: 'rule', identity: d?.identity ?? null, incidentId: d?.incidentId ?? null },
        ctxFor(d),
      );
      if (
        action === 'restart_service' &&
        (result.result === 'success' || result.result === 'failure') &&
        typeof input.service === 'string'
      )
        restartedUnits.add(withUnitType(input.service));
      const message =
        action === 'alert' && typeof input.message === 'string'
          ? { severity: String(input.severity ?? 'warning'), firstLine: input.message.split('\n')[0]!.slice(0, 200) }
          : undefined;
      actions.push({
        identity: d?.identity ?? null,
        action,
        result: result.result,
        reason: result.reason,
        ...(message ? { message } : {}),
      });
      return result;
    };
  const alertsQueued = () =>
    actions.filter((a) => a.action === 'alert' && (a.result === 'success' || a.result === 'dry_run')).length;
  return { actions, restartedUnits, ctxFor, run, alertsQueued };
}

/** Restart bookkeeping after the incident phase: Argus's own restarts are not crashes between looks; health resets backoff. */
export async function afterIncidents(
  rt: Runtime,
  snapshot: Snapshot,
  now: Date,
  restartedUnits: ReadonlySet<string>,
  evaluator: EvaluatorState,
  flags: { dryRun: boolean; minimal: boolean },
  warn: Warn,
): Promise<void> {
  for (const unit of restartedUnits) forgetUnitLevels(evaluator.levels, unit);
  if (rt.restarts) {
    for (const s of snapshot.services ?? []) {
      if (s.activeState === 'active') await rt.restarts.markHealthy(withUnitType(s.unit), now);
      else if (s.activeState === 'failed' || s.activeState === 'activating')
        await rt.restarts.markDown(withUnitType(s.unit));
    }
  }
  if (rt.beads && !flags.dryRun && !flags.minimal)
    await rt.beads.retryPending().catch((e: unknown) => warn(`beads: retry failed: ${(e as Error).message}`));
}

/** Fleet mode: this host's incidents to Alertmanager (never fails the cycle; resolutions wait in an outbox). */
export async function publishFleet(
  rt: Runtime,
  router: RouterState,
  resolved: readonly ResolvedIncident[],
  hostName: string,
  now: Date,
  warn: Warn,
): Promise<void> {
  const url = rt.config.alertmanagerUrl;
  if (!url) return;
  const fleet = await import('../fleet/alertmanager.js');
  const hold = Math.max(3 * rt.config.intervalSec, 300);
  const r = await fleet.publishToAlertmanager(
    fleet.openAlerts(Object.values(router.incidents), hostName, now, hold),
    fleet.resolvedAlerts(resolved, hostName),
    {
      url,
      outboxPath: rt.paths.alertmanagerOutbox,
      fetch: rt.host.fetch,
    },
  );
  if (r.error) warn(`alertmanager: ${r.error}; ${r.pending} resolutions kept for the next cycle`);
}

/** Every state file, atomically; the history point unless the state disk is nearly full. */
export function persist(
  rt: Runtime,
  s: {
    samples: Samples;
    evaluator: EvaluatorState;
    router: RouterState;
    recurrence: Recurrence;
    snapshot: Snapshot;
    history: HistoryPoint | null;
  },
): void {
  const { paths } = rt;
  writeJsonAtomic(paths.samples, s.samples);
  writeJsonAtomic(paths.evaluator, s.evaluator);
  writeJsonAtomic(paths.incidents, s.router);
  writeJsonAtomic(paths.recurrence, s.recurrence);
  writeJsonAtomic(paths.snapshot, s.snapshot);
  if (s.history) appendJsonl(paths.history, [s.history]);
}
