// The incident phase's rules (SENTRY, seed 003), as small pure functions: when to file a bead, when a person must hear.
import type { Announcement } from '../executor/playbooks.js';
import type { Decision, Severity, Transition } from '../../model/finding.js';

export interface BeadFacts {
  transition: Transition;
  /** A person is told of this incident for the first time now (it opened, or it just became worth telling). */
  firstNotice: boolean;
  severity: Severity;
  /** The fix failed for good this cycle (attempts used up, cleaning not enough). */
  failed: boolean;
  /** Some automatic remediation exists. */
  fixable: boolean;
  /** Openings of this identity in the last 24 h, this one included. */
  opens: number;
  /** A bead for this identity is open already. */
  beadOpen: boolean;
}

/**
 * ARG-002: a bead when the fix failed for good, when the problem recurs 3+ times in 24 h, or when nothing can fix it
 * automatically. One bead per incident: a failure while its bead is open adds nothing new. Null: no bead.
 */
export function beadReason(f: BeadFacts): string | null {
  if (f.severity === 'info') return null;
  if (f.beadOpen) return null;
  if (f.failed) return 'automatic remediation failed';
  if (f.transition === 'opened' && f.opens >= 3) return `opened ${f.opens} times in 24 h`;
  if (!f.fixable && (f.transition === 'opened' || f.firstNotice)) return 'no automatic remediation exists';
  return null;
}

/** An announcement is made once per incident, never for a silenced or info-level one. */
export function announcementDue(
  d: Decision,
  announce: Announcement | null,
  made: readonly string[],
): announce is Announcement {
  return announce !== null && d.silencedBy === null && d.finding.severity !== 'info' && !made.includes(announce.key);
}

/** The model is asked for a diagnosis only where a person will read it: incidents that get a bead. */
export function wantsDiagnosis(bead: string | null): boolean {
  return bead !== null;
}

/** The planner (model) proposes actions only when the rules could not fix a new incident. */
export function wantsPlan(d: Decision, facts: Pick<BeadFacts, 'failed' | 'fixable'>, hasKey: boolean): boolean {
  return hasKey && (facts.failed || !facts.fixable) && d.transition === 'opened';
}
