// The Enricher and Ticket Updater (SENTRY, seed 003): a bead is created with the story so far (the diagnosis, the
// runbook, past incidents like it and how each ended); the open bead hears what changed — Argus gave up, it got
// worse, a new diagnosis — once per change, as a comment filed through the gate (create_bead on an open bead
// comments on it); and its close reason says how it ended and the time to recover.
import type { Decision } from '../../model/finding.js';
import type { ActionName, ActionResult } from '../../model/action.js';
import { oneLine } from '../../model/escape.js';
import type { Announcement } from './playbooks.js';
import type { Diagnosis } from '../rca/diagnose.js';
import type { PastIncident } from '../rca/past.js';
import type { RcaResult } from '../rca/agent.js';
import { formatAge } from './playbooks.js';

export type BeadChange = 'gave_up' | 'not_enough' | 'worse' | 'flapping';

/** What changed this cycle that the open bead should hear of; null: nothing (a steady cycle adds no comment). */
export function beadChange(
  d: Pick<Decision, 'transition'>,
  announce: Pick<Announcement, 'key'> | null,
): BeadChange | null {
  if (announce) return announce.key;
  if (d.transition === 'worse' || d.transition === 'flapping') return d.transition;
  return null;
}

const TITLE: Record<BeadChange, (d: Decision) => string> = {
  gave_up: (d) => `Argus gave up on ${d.identity}`,
  not_enough: (d) => `Cleaning was not enough for ${d.identity}`,
  worse: (d) => `Worse (${d.finding.severity}): ${oneLine(d.finding.description)}`,
  flapping: (d) => `Flapping: ${d.identity} changes state often`,
};

export interface BeadStoryPorts {
  run: (action: ActionName, input: Record<string, unknown>) => Promise<ActionResult>;
  /** A fresh diagnosis (deterministic, and the RCA micro-agent with a key); null when it failed. */
  diagnose: () => Promise<{ diagnosis: Diagnosis; rca: RcaResult | null; notes: string[] } | null>;
  now: Date;
}

/**
 * When a bead is open for the incident and something changed, comment on it: what changed, the playbook's notes and
 * a fresh diagnosis when Argus gave up (the RCA result the person needs). Returns the comment's text, or null.
 */
export async function tellOpenBead(
  d: Decision,
  announce: Announcement | null,
  notes: readonly string[],
  ports: BeadStoryPorts,
): Promise<string | null> {
  const change = beadChange(d, announce);
  if (!change) return null;
  const diagnosis = change === 'gave_up' || change === 'not_enough' ? await ports.diagnose() : null;
  const lasted = d.openedAt ? ` (open for ${formatAge((ports.now.getTime() - Date.parse(d.openedAt)) / 1000)})` : '';
  const description = [
    `Incident ${d.incidentId}${lasted}.`,
    ...(announce ? [oneLine(announce.text)] : []),
    ...notes.map((n) => `- ${oneLine(n)}`),
    ...(diagnosis ? diagnosis.notes.map((n) => `- ${oneLine(n)}`) : []),
    ...(diagnosis?.rca?.causes.length
      ? diagnosis.rca.causes.map((c) => `- Cause (confidence ${Math.round(c.confidence * 100)} %): ${oneLine(c.cause)}`)
      : []),
  ].join('\n');
  await ports.run('create_bead', {
    title: TITLE[change](d).slice(0, 200),
    description,
    type: d.finding.type,
    severity: d.finding.severity,
  });
  return description;
}

/** The close reason: how long it lasted (the time to recover) and what it was, in a person's words. */
export function closeReason(r: {
  identity: string;
  incidentId: string;
  durationSec: number;
  lastFinding: { description: string };
}): string {
  return `Resolved: ${r.identity} is back to normal after ${formatAge(r.durationSec)} (time to recover, incident ${r.incidentId}). Last seen: ${oneLine(r.lastFinding.description)}`;
}

/** A bead body stays well under create_bead's 50,000 characters, whatever the notes and details hold. */
export const BEAD_BODY_MAX = 16_000;
const NOTE_MAX = 500;
const NOTES_MAX = 20;
const PAST_MAX = 3;

const ENDED: Record<PastIncident['ended'], (p: PastIncident) => string> = {
  recovered_by_action: (p) => `${p.recovered_by ?? 'an action'} fixed it`,
  recovered_by_itself: () => 'ended without a fix by Argus',
  gave_up: () => 'Argus gave up',
  still_open: () => 'still open',
  unknown: () => 'no recorded end',
};

/** One past incident in a line: when, severity, how long, how it ended, its beads and cause. */
export function pastIncidentLine(p: PastIncident): string {
  const when = `${p.opened.slice(0, 10)} ${p.opened.slice(11, 16)}`;
  const lasted = p.ttr_s === null ? '' : `, ${formatAge(p.ttr_s)}`;
  const beads = p.bead_ids.length ? `; bead ${p.bead_ids.join(', ')}` : '';
  const cause = p.cause ? `; cause: ${oneLine(p.cause).slice(0, 200)}` : '';
  return `- ${when} (${p.severity}${lasted}): ${ENDED[p.ended](p)}${beads}${cause}`;
}

export interface BeadBodyInput {
  /** Why a bead is filed (beadReason). */
  why: string;
  decision: Pick<Decision, 'identity' | 'incidentId' | 'finding'>;
  announce: string | null;
  /** The playbook's notes and the diagnosis's (its summary, the past line, the runbook). */
  notes: readonly string[];
  diagnosis: Pick<Diagnosis, 'past'> | null;
}

/**
 * The bead's body at creation: why, the story so far (the notes with the diagnosis), the runbook of the identity,
 * up to 3 past incidents like it with how each ended, then the finding's details — cut to BEAD_BODY_MAX.
 */
export function beadBody(b: BeadBodyInput): string {
  const past = b.diagnosis?.past ?? null;
  const notes = b.notes.slice(0, NOTES_MAX).map((n) => oneLine(n).slice(0, NOTE_MAX));
  const runbook = past?.runbook && !notes.some((n) => n.includes(past.runbook!)) ? [`Runbook: ${past.runbook}`] : [];
  const similar = (past?.similar ?? []).slice(0, PAST_MAX);
  const pastHead =
    past?.match === 'similar'
      ? 'Past incidents like this one (same kind of problem, another subject):'
      : 'Past incidents of this problem:';
  const head = [
    `Why: ${b.why}.`,
    `Identity: ${b.decision.identity}`,
    `Incident: ${b.decision.incidentId}`,
    ...(b.announce ? [oneLine(b.announce)] : []),
    ...notes,
    ...runbook,
    ...(similar.length ? ['', pastHead, ...similar.map(pastIncidentLine)] : []),
    '',
    'Details:',
  ].join('\n');
  const room = Math.max(0, BEAD_BODY_MAX - head.length - 1);
  const details = JSON.stringify(b.decision.finding.details, null, 2);
  return `${head}\n${details.length > room ? `${details.slice(0, Math.max(0, room - 1))}…` : details}`.slice(
    0,
    BEAD_BODY_MAX,
  );
}
