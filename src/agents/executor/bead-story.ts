// The Ticket Updater (SENTRY, seed 003): the open bead of an incident hears what changed — Argus gave up, it got
// worse, a new diagnosis — once per change, as a comment filed through the gate (create_bead on an open bead
// comments on it); and its close reason says how it ended and the time to recover.
import type { Decision } from '../../model/finding.js';
import type { ActionName, ActionResult } from '../../model/action.js';
import { oneLine } from '../../model/escape.js';
import type { Announcement } from './playbooks.js';
import type { Diagnosis } from '../rca/diagnose.js';
import type { RcaResult } from '../rca/agent.js';
import { formatAge } from './playbooks.js';

export type BeadChange = 'gave_up' | 'not_enough' | 'worse' | 'flapping';

/** What changed this cycle that the open bead should hear of; null: nothing (a steady cycle adds no comment). */
export function beadChange(d: Pick<Decision, 'transition'>, announce: Pick<Announcement, 'key'> | null): BeadChange | null {
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
export async function tellOpenBead(d: Decision, announce: Announcement | null, notes: readonly string[], ports: BeadStoryPorts): Promise<string | null> {
  const change = beadChange(d, announce);
  if (!change) return null;
  const diagnosis = change === 'gave_up' || change === 'not_enough' ? await ports.diagnose() : null;
  const lasted = d.openedAt ? ` (open for ${formatAge((ports.now.getTime() - Date.parse(d.openedAt)) / 1000)})` : '';
  const description = [
    `Incident ${d.incidentId}${lasted}.`,
    ...(announce ? [oneLine(announce.text)] : []),
    ...notes.map((n) => `- ${oneLine(n)}`),
    ...(diagnosis ? diagnosis.notes.map((n) => `- ${oneLine(n)}`) : []),
    ...(diagnosis?.rca?.causes.length ? diagnosis.rca.causes.map((c) => `- Cause (confidence ${Math.round(c.confidence * 100)} %): ${oneLine(c.cause)}`) : []),
  ].join('\n');
  await ports.run('create_bead', { title: TITLE[change](d).slice(0, 200), description, type: d.finding.type, severity: d.finding.severity });
  return description;
}

/** The close reason: how long it lasted (the time to recover) and what it was, in a person's words. */
export function closeReason(r: { identity: string; incidentId: string; durationSec: number; lastFinding: { description: string } }): string {
  return `Resolved: ${r.identity} is back to normal after ${formatAge(r.durationSec)} (time to recover, incident ${r.incidentId}). Last seen: ${oneLine(r.lastFinding.description)}`;
}
