// The router: Findings → Decisions. Owns incidents (open → ongoing → resolved), dedup, flapping and silences.
import { z } from 'zod';
import type { Config } from '../../config/schema.js';
import { SEVERITY_RANK, type Decision, type Finding, type Transition } from '../../model/finding.js';
import { FlapEntrySchema, nextFlapping, percentStateChange, pushState, type FlapEntry } from './flapping.js';
import {
  IncidentSchema,
  kindFor,
  openIncident,
  resolveIncident,
  type Incident,
  type ResolvedIncident,
} from './incidents.js';
import { correlate, openCauses } from './correlate.js';
import { reminderDelaySec } from './reminders.js';
import { shiftIso, shiftNullable } from '../../model/clock-step.js';
import { matchSilence, type Silence } from './silence.js';

export type { ResolvedIncident } from './incidents.js';

export const RouterStateSchema = z.object({
  /** identity → its open incident. */
  incidents: z.record(z.string(), IncidentSchema).default({}),
  /** identity → flap history; kept while an incident is open or a problem was seen in the last 24 h. */
  flaps: z.record(z.string(), FlapEntrySchema).default({}),
});
export type RouterState = z.infer<typeof RouterStateSchema>;

export function emptyRouterState(): RouterState {
  return { incidents: {}, flaps: {} };
}

export interface RouteContext {
  now: Date;
  config: Config;
  silences: Silence[];
  /** Identities whose rule had data this cycle; an unseen identity without a finding is left as it was. null = all seen. */
  seen: Set<string> | null;
}

const DAY_MS = 86_400_000;

interface Work {
  ctx: RouteContext;
  incidents: Record<string, Incident>;
  decisions: Decision[];
  resolved: ResolvedIncident[];
}

interface Step {
  identity: string;
  flapping: boolean;
  started: boolean;
  stopped: boolean;
  silence: Silence | null;
}

/**
 * Route one cycle's findings. Pure: the input state is not modified. Every identity with a finding, an open incident
 * or flap history is observed once (unless `seen` says its section was a gap).
 */
export function route(
  findings: Finding[],
  state: RouterState,
  ctx: RouteContext,
): { decisions: Decision[]; resolved: ResolvedIncident[]; state: RouterState } {
  const byIdentity = new Map<string, Finding>();
  for (const f of correlate(findings, openCauses(Object.values(state.incidents)))) {
    const prev = byIdentity.get(f.identity);
    if (prev === undefined || SEVERITY_RANK[f.severity] > SEVERITY_RANK[prev.severity]) byIdentity.set(f.identity, f);
  }
  const work: Work = { ctx, incidents: { ...state.incidents }, decisions: [], resolved: [] };
  const flaps: Record<string, FlapEntry> = { ...state.flaps };
  const identities = new Set([
    ...byIdentity.keys(),
    ...Object.keys(state.incidents).sort(),
    ...Object.keys(state.flaps).sort(),
  ]);
  const nowIso = ctx.now.toISOString();

  for (const identity of identities) {
    const finding = byIdentity.get(identity) ?? null;
    if (finding === null && ctx.seen !== null && !ctx.seen.has(identity)) continue; // a gap: neither problem nor healthy
    const prev = flaps[identity];
    const lastFinding = finding ?? prev?.lastFinding ?? work.incidents[identity]?.lastFinding;
    if (lastFinding === undefined) continue;
    const states = pushState(prev?.states ?? [], finding !== null);
    const pct = percentStateChange(states);
    const was = prev?.flapping ?? false;
    const flapping = nextFlapping(was, pct);
    const step: Step = {
      identity,
      flapping,
      started: flapping && !was,
      stopped: was && !flapping,
      silence: matchSilence(identity, ctx.silences, ctx.now),
    };
    const previousId = work.incidents[identity]?.incidentId ?? prev?.lastIncidentId ?? null;
    if (finding !== null) onProblem(work, step, finding, previousId);
    else onHealthy(work, step, lastFinding, previousId);
    flaps[identity] = {
      states,
      flapping,
      pct,
      lastSeen: nowIso,
      lastProblemAt: finding !== null ? nowIso : (prev?.lastProblemAt ?? nowIso),
      lastFinding,
      lastIncidentId: work.incidents[identity]?.incidentId ?? previousId,
    };
  }

  for (const [identity, f] of Object.entries(flaps)) {
    const stale = ctx.now.getTime() - Date.parse(f.lastProblemAt) > DAY_MS;
    if (work.incidents[identity] === undefined && !f.flapping && (stale || Number.isNaN(Date.parse(f.lastProblemAt))))
      delete flaps[identity];
  }
  return { decisions: work.decisions, resolved: work.resolved, state: { incidents: work.incidents, flaps } };
}

function onProblem(work: Work, step: Step, finding: Finding, previousId: string | null): void {
  const { now, config } = work.ctx;
  const notifiable = finding.severity !== 'info' && step.silence === null;
  const existing = work.incidents[step.identity];
  const inc: Incident =
    existing === undefined ? openIncident(finding, now, previousId) : { ...existing, healthyStreak: 0 };
  let transition: Transition;
  let want: boolean;
  let reason: string;
  const wait = inc.lastNotifiedAt === null ? 0 : reminderDelaySec(config, inc.reminders);
  const elapsedSec = inc.lastNotifiedAt === null ? Infinity : (now.getTime() - Date.parse(inc.lastNotifiedAt)) / 1000;
  if (step.started) {
    [transition, want, reason] = ['flapping', true, 'started flapping: notifications held until it settles'];
  } else if (existing === undefined) {
    [transition, want, reason] = ['opened', !step.flapping, step.flapping ? 'opened while flapping' : 'new incident'];
  } else if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[inc.severity]) {
    [transition, want, reason] = ['worse', true, `severity rose from ${inc.severity} to ${finding.severity}`];
    inc.severity = finding.severity;
  } else if (step.flapping) {
    [transition, want, reason] = ['ongoing', false, 'flapping: notifications held'];
  } else if (step.stopped && notifiable) {
    [transition, want, reason] = ['renotify', true, 'stopped flapping: still a problem'];
  } else if (inc.ackedAt !== undefined && notifiable) {
    [transition, want, reason] = [
      'ongoing',
      false,
      `acknowledged by ${inc.ackedBy ?? 'a person'} at ${inc.ackedAt}: no reminders`,
    ];
  } else if (notifiable && elapsedSec >= wait) {
    const why =
      inc.lastNotifiedAt === null
        ? 'not notified yet'
        : `reminder ${inc.reminders + 1}: ${formatWait(wait)} since the last message`;
    [transition, want, reason] = ['renotify', true, `still a problem: ${why}`];
  } else {
    [transition, want, reason] = [
      'ongoing',
      false,
      notifiable ? `next reminder ${formatWait(wait)} after the last message` : 'ongoing',
    ];
  }
  const notify = want && notifiable;
  if (step.silence !== null) reason += `; silenced by ${step.silence.id}`;
  const previous =
    inc.lastNotifiedAt === null ? null : { at: inc.lastNotifiedAt, description: inc.lastNotifiedDescription ?? '' };
  if (notify) {
    if (transition === 'renotify' && inc.lastNotifiedAt !== null) inc.reminders += 1;
    inc.lastNotifiedAt = now.toISOString();
    inc.lastNotifiedDescription = finding.description;
    inc.notified = true;
    // The severity a person knows of only rises: a problem wandering across a threshold is not "worse" each time.
    if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[inc.severity]) inc.severity = finding.severity;
  }
  inc.lastFinding = finding;
  work.incidents[step.identity] = inc;
  work.decisions.push({
    identity: step.identity,
    incidentId: inc.incidentId,
    kind: kindFor(finding, notify),
    transition,
    notify,
    reason,
    silencedBy: step.silence?.id ?? null,
    finding,
    openedAt: inc.openedAt,
    previous,
  });
}

function formatWait(sec: number): string {
  return sec >= 3600 && sec % 3600 === 0
    ? `${sec / 3600} h`
    : sec >= 60 && sec % 60 === 0
      ? `${sec / 60} min`
      : `${sec} s`;
}

function onHealthy(work: Work, step: Step, lastFinding: Finding, previousId: string | null): void {
  const { now, config } = work.ctx;
  const existing = work.incidents[step.identity];
  if (step.started) {
    // Flapping noticed on a healthy observation: the instability itself is the incident, kept open until it settles.
    const inc: Incident = existing === undefined ? openIncident(lastFinding, now, previousId) : { ...existing };
    inc.healthyStreak += 1;
    const notify = lastFinding.severity !== 'info' && step.silence === null;
    if (notify) {
      inc.lastNotifiedAt = now.toISOString();
      inc.notified = true;
    }
    work.incidents[step.identity] = inc;
    work.decisions.push({
      identity: step.identity,
      incidentId: inc.incidentId,
      kind: lastFinding.severity === 'info' ? 'ignore' : notify ? 'escalate' : 'suppress',
      transition: 'flapping',
      notify,
      reason: 'started flapping (currently healthy): notifications held until it settles',
      silencedBy: step.silence?.id ?? null,
      finding: lastFinding,
    });
    return;
  }
  if (existing === undefined) return;
  const inc: Incident = { ...existing, healthyStreak: existing.healthyStreak + 1 };
  if (step.flapping || inc.healthyStreak < config.resolveAfterCycles) {
    work.incidents[step.identity] = inc;
    return;
  }
  delete work.incidents[step.identity];
  work.resolved.push(resolveIncident(inc, now, step.silence?.id ?? null));
}

/** The state with every stored time moved back by `ms` (the wall clock was set back; see model/clock-step.ts). */
export function shiftRouterState(state: RouterState, ms: number): RouterState {
  const incidents = Object.fromEntries(
    Object.entries(state.incidents).map(([id, inc]) => [
      id,
      { ...inc, openedAt: shiftIso(inc.openedAt, ms), lastNotifiedAt: shiftNullable(inc.lastNotifiedAt, ms) },
    ]),
  );
  const flaps = Object.fromEntries(
    Object.entries(state.flaps).map(([id, f]) => [
      id,
      { ...f, lastSeen: shiftIso(f.lastSeen, ms), lastProblemAt: shiftIso(f.lastProblemAt, ms) },
    ]),
  );
  return { incidents, flaps };
}
