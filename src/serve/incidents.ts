// Incidents overlapping a time window, from the registry: when each opened and resolved, what was done, the bead.
import { recordsInWindow } from '../state/registry-window.js';

export interface IncidentAction {
  ts: string;
  action: string;
  result: string;
}

export interface IncidentSpan {
  id: string;
  identity: string;
  type: string;
  severity: string;
  openedAt: string;
  /** null: still open (or its end is not in the registry: see `lastSeenAt`). */
  resolvedAt: string | null;
  /** Its last record: where the span ends when the registry never recorded the resolution. */
  lastSeenAt: string;
  /** Time to recover, seconds (null while open). */
  mttrSec: number | null;
  actions: IncidentAction[];
  bead: string | null;
  description: string;
}

export interface IncidentWindow {
  incidents: IncidentSpan[];
  /** Identities by incidents opened in the window, most first (at most 5). */
  recurring: Array<{ identity: string; opened: number }>;
}

/** An incident opened this long before the window can still overlap it. */
const LOOKBACK_MS = 7 * 86_400_000;
/** Spans kept per window (the newest); a flapping host must not make the page heavy. */
const MAX_INCIDENTS = 300;
const MAX_ACTIONS = 20;
const RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };

export async function incidentsInWindow(registryPath: string, fromMs: number, toMs: number): Promise<IncidentWindow> {
  const byId = new Map<string, IncidentSpan>();
  /** identity → the id of its incident open at this point of the scan. */
  const openByIdentity = new Map<string, string>();
  for await (const { r, ms } of recordsInWindow(registryPath, fromMs - LOOKBACK_MS, toMs)) {
    const identity = r.identity ?? '';
    if (r.kind === 'transition' && r.details.transition === 'opened') {
      const id = r.incident_id ?? `${identity}#${r.ts}`;
      byId.set(id, {
        id,
        identity,
        type: r.type,
        severity: r.severity,
        openedAt: r.ts,
        resolvedAt: null,
        lastSeenAt: r.ts,
        mttrSec: null,
        actions: [],
        bead: r.bead_id,
        description: r.description.slice(0, 300),
      });
      openByIdentity.set(identity, id);
      continue;
    }
    const id = r.incident_id ?? openByIdentity.get(identity);
    const span = id === undefined ? undefined : byId.get(id);
    if (!span) continue;
    span.lastSeenAt = r.ts;
    if (r.kind === 'transition' && r.details.transition === 'resolved') {
      span.resolvedAt = r.ts;
      span.mttrSec = Math.round((ms - Date.parse(span.openedAt)) / 1000);
      if (openByIdentity.get(identity) === span.id) openByIdentity.delete(identity);
    } else if (r.kind === 'action' && r.action_taken && span.actions.length < MAX_ACTIONS) {
      span.actions.push({ ts: r.ts, action: r.action_taken, result: r.action_result ?? 'unknown' });
    } else if (r.kind === 'detection' && (RANK[r.severity] ?? 0) > (RANK[span.severity] ?? 0)) {
      span.severity = r.severity;
    }
    if (r.bead_id) span.bead = r.bead_id;
  }
  const overlapping = [...byId.values()].filter(
    (s) => Date.parse(s.openedAt) < toMs && (s.resolvedAt === null || Date.parse(s.resolvedAt) >= fromMs),
  );
  const opened = new Map<string, number>();
  for (const s of overlapping)
    if (Date.parse(s.openedAt) >= fromMs) opened.set(s.identity, (opened.get(s.identity) ?? 0) + 1);
  return {
    incidents: overlapping
      .sort((a, b) => (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0))
      .slice(0, MAX_INCIDENTS),
    recurring: [...opened]
      .map(([identity, n]) => ({ identity, opened: n }))
      .sort((a, b) => b.opened - a.opened || (a.identity < b.identity ? -1 : 1))
      .slice(0, 5),
  };
}
