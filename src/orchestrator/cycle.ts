// One cycle of the SENTRY flow: load → collect → evaluate → route → record → handle incidents → persist (steps: cycle-steps.ts).
import { randomBytes } from 'node:crypto';
import { collect } from '../agents/collector/collect.js';
import { evaluate, seenIdentities } from '../agents/evaluator/evaluate.js';
import { handleIncidents } from '../agents/incident/handle.js';
import { route, type ResolvedIncident } from '../agents/router/route.js';
import type { Decision, Finding } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import type { DeliveryReport } from '../notify/notifier.js';
import { readCycleState } from './cycle-state.js';
import {
  afterIncidents,
  cycleGate,
  loadStored,
  persist,
  publishFleet,
  withModelFindings,
  type ActionSummary,
} from './cycle-steps.js';
import { historyPoint, recordBase, routingRecords } from './records.js';
import { readSilences } from './silences.js';
import { solicitorConfigured } from '../solicitor/policy.js';
import type { Runtime } from './runtime.js';
import type { Thinker } from './think.js';

export interface CycleOptions {
  dryRun?: boolean;
}

export type { ActionSummary } from './cycle-steps.js';

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
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
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

  // --- load ---
  const repaired = registry.repair();
  if (repaired.repaired) warn(`registry: removed a torn last line (${repaired.truncatedBytes} bytes) left by a crash`);
  const cycleState = readCycleState(paths.cycleState, warn);
  const stored = await loadStored(rt, cycleState, started, warn);

  // --- collect ---
  const { snapshot, samples } = await collect({
    host,
    config,
    previous: stored.previousSamples,
    stateDir: paths.stateDir,
    consecutiveFailures: cycleState.consecutiveFailures,
  });
  for (const gap of snapshot.gaps) clog.warn({ collector: gap.collector }, `collector gap: ${gap.error}`);
  const minimal =
    snapshot.self.stateFreeBytes !== null &&
    snapshot.self.stateFreeBytes < config.thresholds.stateMinFreeMB * 1024 * 1024;
  if (minimal) warn('state filesystem nearly full: minimal cycle (no remediation, no history)');

  // --- evaluate (rules; the model's part is loaded only when a cycle needs judgement) ---
  const evaluated = evaluate(snapshot, stored.evaluator, config);
  let thinker: Thinker | null = null;
  const think = async (): Promise<Thinker> =>
    (thinker ??= (await import('./think.js')).createThinker(rt, cycleId, (r) => registry.append([r])));
  const findings = minimal
    ? evaluated.findings
    : await withModelFindings(rt, think, snapshot, evaluated.findings, stored.router, warn);

  // --- route (an identity whose collector left a gap is neither confirmed nor healthy) ---
  const seen = seenIdentities(snapshot, [...Object.keys(stored.router.incidents), ...Object.keys(stored.router.flaps)]);
  const routed = route(findings, stored.router, {
    now: started,
    config,
    silences: readSilences(paths.silences, warn),
    seen,
  });

  // --- record: detections first, so what was seen is on disk if the cycle dies during remediation ---
  const base = recordBase(started.toISOString(), snapshot.host, cycleId);
  registry.append(routingRecords(routed.decisions, routed.resolved, base));

  // --- handle incidents: playbooks, alerts, beads, all through the gate ---
  const gate = cycleGate(rt, { snapshot, dryRun, cycleId, log: clog });
  await handleIncidents(
    {
      config,
      snapshot,
      now: started,
      minimal,
      dryRun,
      run: gate.run,
      ctxFor: gate.ctxFor,
      judgement: think,
      beads: rt.beads,
      incidents: routed.state.incidents,
      recurrence: stored.recurrence,
      record: (r) => registry.append([r]),
      recordBase: base,
      warn,
      wait: dryRun ? undefined : host.sleep,
      // The Solicitor (src/solicitor/): loaded only when a decision may need a person.
      solicit:
        solicitorConfigured(config) && !dryRun && !minimal
          ? async (d, o) =>
              (await import('../solicitor/cycle-hook.js')).solicitForDecision(
                {
                  config,
                  registry,
                  stateDir: paths.stateDir,
                  snapshot,
                  ctx: gate.ctxFor(d),
                  now: () => host.now(),
                  host: snapshot.host,
                },
                d,
                o,
              )
          : undefined,
    },
    routed.decisions,
    routed.resolved,
  );
  await afterIncidents(rt, snapshot, started, gate.restartedUnits, evaluated.state, { dryRun, minimal }, warn);
  const delivery = await rt
    .flushAlerts()
    .catch((e: unknown) => (warn(`alerts: delivery failed: ${(e as Error).message}`), null));
  if (!dryRun && !minimal) await publishFleet(rt, routed.state, routed.resolved, snapshot.host, started, warn);

  // --- persist (atomic) ---
  const durationMs = host.now().getTime() - started.getTime();
  persist(rt, {
    samples,
    evaluator: evaluated.state,
    router: routed.state,
    recurrence: stored.recurrence,
    snapshot,
    history: minimal ? null : historyPoint(snapshot, cycleId, findings.length, durationMs),
  });
  return {
    cycleId,
    startedAt: started.toISOString(),
    durationMs,
    dryRun,
    minimal,
    snapshot,
    findings,
    decisions: routed.decisions,
    resolved: routed.resolved,
    actions: gate.actions,
    alertsQueued: gate.alertsQueued(),
    delivery,
    warnings,
  };
}
