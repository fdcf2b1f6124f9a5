// One cycle of the SENTRY flow: collect → evaluate → route → registry → playbooks (gate) → alerts and beads → state.
import { randomBytes } from 'node:crypto';
import { collect } from '../agents/collector/collect.js';
import { SamplesSchema, type Samples } from '../agents/collector/samples.js';
import { EvaluatorStateSchema, emptyEvaluatorState, evaluate, seenIdentities } from '../agents/evaluator/evaluate.js';
import { shiftEvaluatorState } from '../agents/evaluator/state.js';
import { RouterStateSchema, emptyRouterState, route, shiftRouterState, type ResolvedIncident } from '../agents/router/route.js';
import { normaliseUnit } from '../agents/executor/playbooks.js';
import { handleIncidents } from '../agents/incident/handle.js';
import { forgetUnitLevels } from '../agents/evaluator/rules/service.js';
import { RecurrenceSchema, pruneRecurrence, shiftRecurrence } from '../agents/incident/recurrence.js';
import { backwardStepMs } from '../model/clock-step.js';
import type { ActionContext } from '../agents/executor/action.js';
import type { ActionName, ActionResult } from '../model/action.js';
import { SEVERITY_RANK, type Decision, type Finding } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import type { DeliveryReport } from '../notify/notifier.js';
import { readJsonState, writeJsonAtomic } from '../state/atomic.js';
import { appendJsonl } from '../state/jsonl.js';
import { historyPoint, recordBase, routingRecords } from './records.js';
import { readSilences } from './silences.js';
import { readCycleState } from './cycle-state.js';
import type { Runtime } from './runtime.js';
import type { Thinker } from './think.js';

type Target = { identity: string; incidentId: string } | null;

export interface CycleOptions {
  dryRun?: boolean;
}

export interface ActionSummary {
  identity: string | null;
  action: string;
  result: ActionResult['result'];
  reason: string;
  /** For an alert: its severity and first line (what a person gets, or would get in a dry run). */
  message?: { severity: string; firstLine: string };
}

export interface CycleReport {
  cycleId: string;
  startedAt: string;
  durationMs: number;
  dryRun: boolean;
  /** True when the state filesystem was nearly full: no actions but alerts, no history. */
  minimal: boolean;
  snapshot: Snapshot;
  findings: Finding[];
  decisions: Decision[];
  resolved: ResolvedIncident[];
  actions: ActionSummary[];
  alertsQueued: number;
  delivery: DeliveryReport | null;
  warnings: string[];
}

export function newCycleId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/** Run one cycle. Throws only for failures of Argus itself (the caller counts them); host trouble is data. */
export async function runCycle(rt: Runtime, options: CycleOptions = {}): Promise<CycleReport> {
  const { config, paths, host, log, registry } = rt;
  const started = host.now();
  const cycleId = newCycleId(started);
  const dryRun = options.dryRun ?? config.dryRun;
  const warnings: string[] = [];
  const warn = (reason: string) => {
    warnings.push(reason);
    log.warn({ cycleId }, reason);
  };
  const clog = log.child({ cycleId });

  const repaired = registry.repair();
  if (repaired.repaired) warn(`registry: removed a torn last line (${repaired.truncatedBytes} bytes) left by a crash`);

  const cycleState = readCycleState(paths.cycleState, warn);
  const previous = readJsonState<Samples | null>(paths.samples, SamplesSchema.nullable(), () => null, warn);
  const { snapshot, samples } = await collect({
    host,
    config,
    previous,
    stateDir: paths.stateDir,
    consecutiveFailures: cycleState.consecutiveFailures,
  });
  for (const gap of snapshot.gaps) clog.warn({ collector: gap.collector }, `collector gap: ${gap.error}`);

  const minFree = config.thresholds.stateMinFreeMB * 1024 * 1024;
  const minimal = snapshot.self.stateFreeBytes !== null && snapshot.self.stateFreeBytes < minFree;
  if (minimal) warn('state filesystem nearly full: minimal cycle (no remediation, no history)');

  // The wall clock set back since the last cycle: stored times move back with it, so nothing stalls (model/clock-step.ts).
  const step = backwardStepMs(cycleState.lastStartedAt, started, config.intervalSec);
  if (step > 0) {
    warn(`the wall clock was set back by about ${Math.round(step / 60_000)} min since the last cycle: stored times moved back to keep elapsed time`);
    await rt.restarts?.shift(step);
  }
  const shifted = <T>(value: T, shift: (v: T, ms: number) => T): T => (step > 0 ? shift(value, step) : value);
  const evalState = shifted(readJsonState(paths.evaluator, EvaluatorStateSchema, emptyEvaluatorState, warn), shiftEvaluatorState);
  const evaluated = evaluate(snapshot, evalState, config);
  // The model's part is loaded only when a cycle needs judgement: a healthy cycle imports no SDK and makes no call.
  let thinker: Thinker | null = null;
  const think = async (): Promise<Thinker> => (thinker ??= (await import('./think.js')).createThinker(rt, cycleId, (r) => registry.append([r])));
  let findings = evaluated.findings;
  // Ask the model only when the picture changed (a new problem, or a worse one): a problem that persists for a day
  // must not cost a call every cycle (the first Argus made 288 calls a day).
  const routerState = shifted(readJsonState(paths.incidents, RouterStateSchema, emptyRouterState, warn), shiftRouterState);
  const changed = findings.some((f) => {
    const open = routerState.incidents[f.identity];
    return !open || SEVERITY_RANK[f.severity] > SEVERITY_RANK[open.severity];
  });
  if (config.anthropic.apiKey && changed && !minimal) {
    const extra = await (await think()).analyse(snapshot, findings).catch((e: unknown) => (warn(`evaluator analysis failed: ${(e as Error).message}`), []));
    findings = [...findings, ...extra];
  }
  const silences = readSilences(paths.silences, warn);
  // An identity whose collector left a gap is neither confirmed nor healthy: it must not resolve its incident.
  const seen = seenIdentities(snapshot, [...Object.keys(routerState.incidents), ...Object.keys(routerState.flaps)]);
  const routed = route(findings, routerState, { now: started, config, silences, seen });

  const host_ = snapshot.host;
  const ts = started.toISOString();
  const recurrence = pruneRecurrence(shifted(readJsonState(paths.recurrence, RecurrenceSchema, () => ({}), warn), shiftRecurrence), started);
  const base = recordBase(ts, host_, cycleId);
  // Detections first: if the cycle dies during remediation, what was seen is already on disk.
  registry.append(routingRecords(routed.decisions, routed.resolved, base));

  // --- incident handling: playbooks, alerts, beads (through the gate) ---
  const actions: ActionSummary[] = [];
  let alertsQueued = 0;
  const ctxFor = (d: Target): ActionContext => ({
    host,
    config,
    paths,
    log: clog,
    snapshot,
    notifier: rt.notifier,
    dryRun,
    cycleId,
    identity: d?.identity ?? null,
    incidentId: d?.incidentId ?? null,
    source: 'rule',
  });
  const restartedUnits = new Set<string>();
  const run = (d: Target) => async (action: ActionName, input: Record<string, unknown>) => {
    const result = await rt.gate.run({ action, input, source: 'rule', identity: d?.identity ?? null, incidentId: d?.incidentId ?? null }, ctxFor(d));
    if (action === 'restart_service' && (result.result === 'success' || result.result === 'failure') && typeof input.service === 'string') restartedUnits.add(normaliseUnit(input.service));
    const message = action === 'alert' && typeof input.message === 'string' ? { severity: String(input.severity ?? 'warning'), firstLine: input.message.split('\n')[0]!.slice(0, 200) } : undefined;
    actions.push({ identity: d?.identity ?? null, action, result: result.result, reason: result.reason, ...(message ? { message } : {}) });
    if (action === 'alert' && (result.result === 'success' || result.result === 'dry_run')) alertsQueued++;
    return result;
  };
  await handleIncidents(
    {
      config,
      snapshot,
      now: started,
      minimal,
      dryRun,
      run,
      ctxFor,
      judgement: think,
      beads: rt.beads,
      incidents: routed.state.incidents,
      recurrence,
      record: (r) => registry.append([r]),
      recordBase: base,
      warn,
      wait: dryRun ? undefined : host.sleep,
    },
    routed.decisions,
    routed.resolved,
  );

  // A unit Argus restarted this cycle gets a new baseline: its own restart is not a crash between looks.
  for (const unit of restartedUnits) forgetUnitLevels(evaluated.state.levels, unit);
  if (rt.restarts) {
    for (const s of snapshot.services ?? []) {
      if (s.activeState === 'active') await rt.restarts.markHealthy(normaliseUnit(s.unit), started);
      else if (s.activeState === 'failed' || s.activeState === 'activating') await rt.restarts.markDown(normaliseUnit(s.unit));
    }
  }
  if (rt.beads && !dryRun && !minimal) await rt.beads.retryPending().catch((e: unknown) => warn(`beads: retry failed: ${(e as Error).message}`));
  const delivery = await rt.flushAlerts().catch((e: unknown) => {
    warn(`alerts: delivery failed: ${(e as Error).message}`);
    return null;
  });

  // Fleet mode: this host's incidents to Alertmanager (never fails the cycle; resolutions wait in an outbox).
  if (config.alertmanagerUrl && !dryRun && !minimal) {
    const fleet = await import('../fleet/alertmanager.js');
    const hold = Math.max(3 * config.intervalSec, 300);
    const r = await fleet.publishToAlertmanager(fleet.openAlerts(Object.values(routed.state.incidents), host_, started, hold), fleet.resolvedAlerts(routed.resolved, host_), {
      url: config.alertmanagerUrl,
      outboxPath: paths.alertmanagerOutbox,
      fetch: host.fetch,
    });
    if (r.error) warn(`alertmanager: ${r.error}; ${r.pending} resolutions kept for the next cycle`);
  }

  // --- persist (atomic) ---
  writeJsonAtomic(paths.samples, samples);
  writeJsonAtomic(paths.evaluator, evaluated.state);
  writeJsonAtomic(paths.incidents, routed.state);
  writeJsonAtomic(paths.recurrence, recurrence);
  writeJsonAtomic(paths.snapshot, snapshot);
  const durationMs = host.now().getTime() - started.getTime();
  if (!minimal) appendJsonl(paths.history, [historyPoint(snapshot, cycleId, findings.length, durationMs)]);

  return {
    cycleId,
    startedAt: ts,
    durationMs,
    dryRun,
    minimal,
    snapshot,
    findings,
    decisions: routed.decisions,
    resolved: routed.resolved,
    actions,
    alertsQueued,
    delivery,
    warnings,
  };
}
