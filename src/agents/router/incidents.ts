// Incidents: one open incident per identity, its stable id, the playbook matrix, and what a resolution reports.
import { z } from 'zod';
import { FindingSchema, SeveritySchema, type DecisionKind, type Finding } from '../../model/finding.js';

export const IncidentSchema = z.object({
  incidentId: z.string(),
  identity: z.string(),
  type: z.string(),
  openedAt: z.string(),
  /** The highest severity a person was told of (or at opening): only a finding above it is "worse". */
  severity: SeveritySchema,
  lastNotifiedAt: z.string().nullable(),
  /** The finding's description in the last message (a reminder says what changed since). */
  lastNotifiedDescription: z.string().nullable().default(null),
  /** Reminders sent so far: each waits longer than the one before (see reminders.ts). */
  reminders: z.number().int().min(0).default(0),
  /** One-time announcements made for this incident (gave up, crash loop, cleaning not enough). */
  notices: z.array(z.string()).default([]),
  /** A person was told about this incident at least once (so they get told when it recovers). */
  notified: z.boolean(),
  /** A person acknowledged it (Telegram /ack): no more reminders; it is still recorded, and still told when worse. */
  ackedAt: z.string().optional(),
  ackedBy: z.string().optional(),
  healthyStreak: z.number().int().min(0),
  lastFinding: FindingSchema,
});
export type Incident = z.infer<typeof IncidentSchema>;

export interface ResolvedIncident {
  identity: string;
  incidentId: string;
  type: string;
  openedAt: string;
  resolvedAt: string;
  durationSec: number;
  lastFinding: Finding;
  silencedBy: string | null;
  /** Alert on recovery: true when the incident had been notified and no silence covers it now. */
  notify: boolean;
}

/** `2026-02-19T10:00:00.000Z` → `20260219T100000Z`. */
export function compactTs(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** `<identity>#<openedAt compact>`, made unique against the identity's previous incident id. */
export function makeIncidentId(identity: string, openedAt: string, previousId: string | null): string {
  const base = `${identity}#${compactTs(openedAt)}`;
  if (previousId === null || !previousId.startsWith(base)) return base;
  const n = Number(previousId.slice(base.length + 1)) || 1;
  return `${base}-${n + 1}`;
}

export function openIncident(finding: Finding, now: Date, previousId: string | null): Incident {
  const openedAt = now.toISOString();
  return {
    incidentId: makeIncidentId(finding.identity, openedAt, previousId),
    identity: finding.identity,
    type: finding.type,
    openedAt,
    severity: finding.severity,
    lastNotifiedAt: null,
    lastNotifiedDescription: null,
    reminders: 0,
    notices: [],
    notified: false,
    healthyStreak: 0,
    lastFinding: finding,
  };
}

/** The self-healing matrix (issue 3): finding identities with a deterministic playbook. */
export function hasPlaybook(f: Finding): boolean {
  switch (f.type) {
    case 'service':
      return true;
    case 'disk':
      return !f.subject.startsWith('inodes:');
    case 'memory':
      return f.subject === 'host';
    case 'swap':
      return f.subject === 'thrashing';
    case 'probe':
      // A probe tied to its service (probes[].service) runs the service's restart playbook.
      return typeof f.details.service === 'string';
    case 'process':
      return f.subject === 'orphans';
    default:
      return false;
  }
}

/** ignore (info) · act (a playbook exists: every cycle it persists) · escalate (tell a person now) · suppress. */
export function kindFor(f: Finding, notify: boolean): DecisionKind {
  if (f.severity === 'info') return 'ignore';
  if (hasPlaybook(f)) return 'act';
  return notify ? 'escalate' : 'suppress';
}

export function resolveIncident(inc: Incident, now: Date, silencedBy: string | null): ResolvedIncident {
  const resolvedAt = now.toISOString();
  return {
    identity: inc.identity,
    incidentId: inc.incidentId,
    type: inc.type,
    openedAt: inc.openedAt,
    resolvedAt,
    durationSec: Math.max(0, Math.round((now.getTime() - Date.parse(inc.openedAt)) / 1000)),
    lastFinding: inc.lastFinding,
    silencedBy,
    notify: inc.notified && silencedBy === null,
  };
}
