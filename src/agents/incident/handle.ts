// The SENTRY incident phase: for each routed decision run its playbook (through the gate), decide on a diagnosis, a
// bead and a message; close the beads of resolved incidents. The rules are in rules.ts; this file only sequences them.
import type { Config } from '../../config/schema.js';
import type { ActionName, ActionResult } from '../../model/action.js';
import type { Decision } from '../../model/finding.js';
import type { ProblemRecord } from '../../model/record.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { ActionContext } from '../executor/action.js';
import { beadBody, closeReason, tellOpenBead } from '../executor/bead-story.js';
import { runPlaybook, type PlaybookEnv, type PlaybookOutcome } from '../executor/playbooks.js';
import type { Diagnosis } from '../rca/diagnose.js';
import type { RcaResult } from '../rca/agent.js';
import type { Incident, ResolvedIncident } from '../router/incidents.js';
import { decisionAlert, recoveryAlert } from './messages.js';
import { noteOpening, type Recurrence } from './recurrence.js';
import { announcementDue, beadReason, wantsPlan } from './rules.js';

type Target = { identity: string; incidentId: string } | null;

/** The model's part, loaded only when an incident needs judgement. */
export interface Judgement {
  diagnose(
    decision: Decision,
    snapshot: Snapshot,
  ): Promise<{ diagnosis: Diagnosis; rca: RcaResult | null; notes: string[] }>;
  plan(
    decision: Decision,
    snapshot: Snapshot,
    diagnosis: Diagnosis,
    rca: RcaResult | null,
    ctx: ActionContext,
  ): Promise<string[]>;
}

export interface IncidentPorts {
  config: Config;
  snapshot: Snapshot;
  now: Date;
  /** The state disk is nearly full: no remediation and no beads, alerts only. */
  minimal: boolean;
  dryRun: boolean;
  /** Run an action through the gate for an incident (source 'rule'). */
  run(target: Target): (action: ActionName, input: Record<string, unknown>) => Promise<ActionResult>;
  ctxFor(target: Target): ActionContext;
  judgement(): Promise<Judgement>;
  beads: {
    openBead(identity: string): string | null;
    resolve(identity: string, reason: string): Promise<string | null>;
  } | null;
  /** The router's open incidents (this phase records its one-time announcements on them; persisted by the caller). */
  incidents: Record<string, Incident>;
  recurrence: Recurrence;
  /** A registry record for an incident (bead closed). */
  record(r: ProblemRecord): void;
  recordBase(
    f: Decision['finding'],
    incidentId: string | null,
  ): Omit<ProblemRecord, 'kind' | 'description' | 'action_taken' | 'action_result' | 'details'>;
  warn(reason: string): void;
  wait?: PlaybookEnv['wait'];
  /**
   * The Solicitor (src/solicitor/cycle-hook.ts): put an approvable action the playbook may not take alone to a person;
   * returns lines for the incident's alert. Absent: nobody is asked (no approvers, dry run, minimal cycle).
   */
  solicit?(decision: Decision, outcome: Pick<PlaybookOutcome, 'announce'>): Promise<string[]>;
}

export async function handleIncidents(
  p: IncidentPorts,
  decisions: readonly Decision[],
  resolved: readonly ResolvedIncident[],
): Promise<void> {
  for (const d of decisions) await handleDecision(p, d);
  for (const r of resolved) await handleResolved(p, r);
}

async function handleDecision(p: IncidentPorts, d: Decision): Promise<void> {
  const run = p.run(d);
  let outcome: Pick<PlaybookOutcome, 'notes' | 'failed' | 'fixable' | 'announce'> = {
    notes: [],
    failed: false,
    fixable: d.kind === 'act',
    announce: null,
  };
  if (d.kind === 'act' && !p.minimal)
    outcome = await runPlaybook(d, p.snapshot, p.config, run, { now: () => p.now, wait: p.wait });
  const notes = [...outcome.notes];
  // --- the Solicitor: ask a person for what the playbook may not do alone (one request per incident and kind) ---
  if (p.solicit && d.kind === 'act' && !p.minimal)
    notes.push(
      ...(await p
        .solicit(d, outcome)
        .catch((e: unknown) => (p.warn(`solicitor for ${d.identity} failed: ${(e as Error).message}`), []))),
    );
  const opens =
    d.transition === 'opened' ? noteOpening(p.recurrence, d.identity, p.now) : (p.recurrence[d.identity]?.length ?? 0);
  const facts = {
    transition: d.transition,
    firstNotice: d.notify && !d.previous,
    severity: d.finding.severity,
    failed: outcome.failed,
    fixable: outcome.fixable,
    opens,
    beadOpen: p.beads?.openBead(d.identity) != null,
  };
  const bead = p.minimal ? null : beadReason(facts);
  let dx: Awaited<ReturnType<Judgement['diagnose']>> | null = null;
  if (bead !== null) {
    // Incidents a person will look at get a diagnosis (deterministic always; the RCA micro-agent with a key).
    const j = await p.judgement();
    dx = await j
      .diagnose(d, p.snapshot)
      .catch((e: unknown) => (p.warn(`diagnosis of ${d.identity} failed: ${(e as Error).message}`), null));
    if (dx) {
      notes.push(...dx.notes);
      if (wantsPlan(d, outcome, p.config.anthropic.apiKey !== undefined)) {
        notes.push(
          ...(await j
            .plan(d, p.snapshot, dx.diagnosis, dx.rca, p.ctxFor(d))
            .catch((e: unknown) => (p.warn(`planner for ${d.identity} failed: ${(e as Error).message}`), []))),
        );
      }
    }
  }
  const incident = p.incidents[d.identity];
  const announce = announcementDue(d, outcome.announce, incident?.notices ?? []) ? outcome.announce : null;
  if (announce && incident) incident.notices = [...incident.notices, announce.key];
  if (d.notify || announce) {
    await run('alert', {
      message: decisionAlert(d, notes, p.now, announce ? [announce.text] : []),
      severity: d.finding.severity,
    });
  }
  if (d.finding.severity === 'info' && d.notify) {
    const logged = await run('log', { observation: `${d.finding.identity}: ${d.finding.description}` });
    if (logged.details.escalate === true)
      await run('alert', {
        message: `⚠️ ${d.finding.identity} keeps recurring (${String(logged.details.repeats)} times within the window): ${d.finding.description}`,
        severity: 'warning',
      });
  }
  if (bead !== null) {
    await run('create_bead', {
      title: d.finding.description.slice(0, 200),
      description: beadBody({
        why: bead,
        decision: d,
        announce: announce?.text ?? null,
        notes,
        diagnosis: dx?.diagnosis ?? null,
      }),
      type: d.finding.type,
      severity: d.finding.severity,
    });
  }
  // --- the Ticket Updater: an open bead hears what changed, once per change, through the gate (executor/bead-story.ts) ---
  if (bead === null && facts.beadOpen && !p.minimal)
    await tellOpenBead(d, announce, notes, {
      run,
      now: p.now,
      diagnose: async () => (await p.judgement()).diagnose(d, p.snapshot).catch(() => null),
    }).catch((e: unknown) => p.warn(`bead update for ${d.identity} failed: ${(e as Error).message}`));
}

async function handleResolved(p: IncidentPorts, r: ResolvedIncident): Promise<void> {
  if (r.notify)
    await p.run(r)('alert', {
      message: recoveryAlert(r.identity, r.lastFinding.description, r.durationSec),
      severity: 'info',
    });
  if (!p.beads || p.dryRun) return;
  const closed = await p.beads.resolve(r.identity, closeReason(r)).catch((e: unknown) => {
    p.warn(`beads: could not close the bead of ${r.identity}: ${(e as Error).message}`);
    return null;
  });
  if (closed) {
    p.record({
      ...p.recordBase(r.lastFinding, r.incidentId),
      severity: 'info',
      kind: 'transition',
      description: `closed bead ${closed} of ${r.identity}`,
      action_taken: null,
      action_result: null,
      bead_id: closed,
      details: { transition: 'bead_closed' },
    });
  }
}
