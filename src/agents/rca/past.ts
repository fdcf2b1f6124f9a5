// Past incidents like this one — for search_incidents, the deterministic diagnosis and the bead at creation. Read from
// the registry through the chronicler's own incident reconstruction (IncidentTracker) and the router's open incidents;
// newest first and bounded. Host text in what it returns (causes, action targets) is cleaned by the caller's sink rule.
import { z } from 'zod';
import { AggregateOptionsSchema } from '../chronicler/schemas.js';
import { IncidentTracker, type IncidentStory } from '../chronicler/incidents.js';
import { readIndex, runbookIndexPath } from '../chronicler/knowledge.js';
import type { StatePaths } from '../../config/load.js';
import { readJsonState } from '../../state/atomic.js';
import type { Registry } from '../../state/registry.js';

export const PAST_WINDOW_DAYS = 30;
export const PAST_LIMIT_DEFAULT = 5;
export const PAST_LIMIT_MAX = 20;
/** Distinct action/result pairs kept per incident. */
const ACTIONS_MAX = 10;

export const EndingSchema = z.enum(['recovered_by_action', 'recovered_by_itself', 'gave_up', 'still_open', 'unknown']);
export type Ending = z.infer<typeof EndingSchema>;

export const PastIncidentSchema = z.object({
  incident_id: z.string(),
  identity: z.string(),
  severity: z.string(),
  opened: z.string(),
  resolved: z.string().nullable(),
  /** Time to recover, seconds: opening to resolution (null while open). */
  ttr_s: z.number().nullable(),
  /** recovered_by_action (see recovered_by), recovered_by_itself (no fix by Argus succeeded), gave_up, still_open; unknown: the records end without a resolution and the incident is not open any more. */
  ended: EndingSchema,
  recovered_by: z.string().nullable(),
  actions: z.array(z.object({ action: z.string(), result: z.string(), times: z.number().int() })),
  bead_ids: z.array(z.string()),
  cause: z.string().nullable(),
});
export type PastIncident = z.infer<typeof PastIncidentSchema>;

export const PastSearchSchema = z.object({
  identity: z.string(),
  /** identity: past incidents of this very identity; similar: none of it, so the same type and subject class; none. */
  match: z.enum(['identity', 'similar', 'none']),
  subject_class: z.string(),
  since: z.string(),
  window_days: z.number(),
  /** Incidents of the matching group in the window (returned or not). */
  matched: z.number().int(),
  incidents: z.array(PastIncidentSchema),
  /** How the matched incidents ended: a fix's name (restart_service …), by_itself, gave_up, still_open, unknown. */
  outcomes: z.record(z.string(), z.number().int()),
  /** Mean time to recover over the matched closed incidents, seconds. */
  mttr_s: z.number().nullable(),
  /** The runbook the chronicle wrote for this identity (a file path), or null. */
  runbook: z.string().nullable(),
});
export type PastSearch = z.infer<typeof PastSearchSchema>;

export interface PastDeps {
  registry: Registry;
  paths: Pick<StatePaths, 'stateDir' | 'incidents'>;
  now: Date;
}

export interface PastQuery {
  identity: string;
  sinceMs?: number;
  limit?: number;
  /** The incident being diagnosed: not its own past. */
  excludeIncidentId?: string | null;
}

/**
 * The class of an identity's subject, for "similar" when the identity itself has no past: a unit's kind (`.service`,
 * a template `getty@.service`), a disk's kind (`mount` or `inodes`), a probe or tmux session (all alike), else the
 * subject up to its first `:` (`collector:cpu` → `collector`).
 */
export function subjectClass(identity: string): { type: string; cls: string } {
  const i = identity.indexOf(':');
  const type = i < 0 ? identity : identity.slice(0, i);
  const subject = i < 0 ? '' : identity.slice(i + 1);
  if (type === 'service' || type === 'restart') {
    const template = /^([^@]+@)[^@]*(\.[a-z]+)$/.exec(subject);
    if (template) return { type, cls: `${template[1]}${template[2]}` };
    return { type, cls: /\.[a-z]+$/.exec(subject)?.[0] ?? '.service' };
  }
  if (type === 'disk') return { type, cls: subject.startsWith('inodes:') ? 'inodes' : 'mount' };
  if (type === 'probe' || type === 'tmux') return { type, cls: type };
  return { type, cls: subject.split(':')[0] ?? subject };
}

interface Group {
  matched: number;
  outcomes: Record<string, number>;
  ttrSum: number;
  ttrN: number;
  latest: PastIncident[];
}

const newGroup = (): Group => ({ matched: 0, outcomes: {}, ttrSum: 0, ttrN: 0, latest: [] });

const Open = z.looseObject({
  incidents: z.record(
    z.string(),
    z.looseObject({ incidentId: z.string(), identity: z.string(), openedAt: z.string(), severity: z.string() }),
  ),
});

/**
 * What the diagnosis of an open incident is told about its identity's past: up to 3 earlier incidents, this one left
 * out; null when the registry cannot be read (the diagnosis goes on without it).
 */
export function pastForDiagnosis(
  deps: PastDeps,
  identity: string,
  incidentId: string | null,
): Promise<PastSearch | null> {
  return searchPast(deps, { identity, excludeIncidentId: incidentId, limit: 3 }).catch(() => null);
}

/** Same identity first; else the same type and subject class. Newest first, at most `limit` (≤ 20). */
export async function searchPast(deps: PastDeps, q: PastQuery): Promise<PastSearch> {
  const limit = Math.min(Math.max(1, q.limit ?? PAST_LIMIT_DEFAULT), PAST_LIMIT_MAX);
  const sinceMs = q.sinceMs ?? deps.now.getTime() - PAST_WINDOW_DAYS * 86_400_000;
  const { type, cls } = subjectClass(q.identity);
  const same = newGroup();
  const like = newGroup();
  const open = readJsonState<z.infer<typeof Open>>(deps.paths.incidents, Open, () => ({ incidents: {} }));
  const openIds = new Set(Object.values(open.incidents).map((i) => i.incidentId));
  const seen = new Set<string>();
  const add = (s: IncidentStory, ending?: Ending): void => {
    if (s.incident_id === q.excludeIncidentId) return;
    seen.add(s.incident_id);
    const g = s.identity === q.identity ? same : like;
    const p = toPast(s, ending ?? endingOf(s, openIds));
    g.matched++;
    const key =
      p.ended === 'recovered_by_action'
        ? (p.recovered_by ?? 'unknown')
        : p.ended === 'recovered_by_itself'
          ? 'by_itself'
          : p.ended;
    g.outcomes[key] = (g.outcomes[key] ?? 0) + 1;
    if (p.ttr_s !== null) {
      g.ttrSum += p.ttr_s;
      g.ttrN++;
    }
    g.latest.push(p);
    g.latest.sort((a, b) => (a.opened < b.opened ? 1 : a.opened > b.opened ? -1 : 0));
    if (g.latest.length > PAST_LIMIT_MAX) g.latest.pop();
  };
  const tracker = new IncidentTracker(AggregateOptionsSchema.parse({}), (s) => add(s));
  // The type filter narrows the scan; identities are compared exactly here (the registry's filter is a glob).
  for await (const r of deps.registry.query({ sinceMs, type })) {
    if (!r.identity) continue;
    if (r.identity === q.identity || subjectClass(r.identity).cls === cls) tracker.add(r, Date.parse(r.ts));
  }
  for (const s of tracker.openStories()) add(s);
  // Open incidents that opened before the window: the router's state still holds them.
  for (const inc of Object.values(open.incidents)) {
    if (seen.has(inc.incidentId) || Date.parse(inc.openedAt) >= sinceMs) continue;
    if (
      inc.identity !== q.identity &&
      !(subjectClass(inc.identity).type === type && subjectClass(inc.identity).cls === cls)
    )
      continue;
    add(
      {
        incident_id: inc.incidentId,
        identity: inc.identity,
        type,
        severity: inc.severity,
        opened: inc.openedAt,
        resolved: null,
        duration_s: null,
        actions: [],
        fixed_by: null,
        attempts: 0,
        gave_up: false,
        bead_ids: [],
        cause: null,
      },
      'still_open',
    );
  }
  const match = same.matched > 0 ? 'identity' : like.matched > 0 ? 'similar' : 'none';
  const g = match === 'similar' ? like : same;
  const runbook = readIndex(runbookIndexPath(deps.paths.stateDir))?.runbooks[q.identity]?.file ?? null;
  return {
    identity: q.identity,
    match,
    subject_class: `${type}:${cls}`,
    since: new Date(sinceMs).toISOString(),
    window_days: Math.round((deps.now.getTime() - sinceMs) / 86_400_000),
    matched: g.matched,
    incidents: g.latest.slice(0, limit),
    outcomes: g.outcomes,
    mttr_s: g.ttrN ? Math.round(g.ttrSum / g.ttrN) : null,
    runbook,
  };
}

function endingOf(s: IncidentStory, openIds: ReadonlySet<string>): Ending {
  if (s.resolved === null) return openIds.has(s.incident_id) ? 'still_open' : 'unknown';
  if (s.gave_up) return 'gave_up';
  return s.fixed_by ? 'recovered_by_action' : 'recovered_by_itself';
}

function toPast(s: IncidentStory, ended: Ending): PastIncident {
  const actions: PastIncident['actions'] = [];
  for (const a of s.actions) {
    if (a.action.startsWith('log:')) continue;
    const same = actions.find((x) => x.action === a.action && x.result === a.result);
    if (same) same.times++;
    else if (actions.length < ACTIONS_MAX) actions.push({ action: a.action, result: a.result, times: 1 });
  }
  return {
    incident_id: s.incident_id,
    identity: s.identity,
    severity: s.severity,
    opened: s.opened,
    resolved: s.resolved,
    ttr_s: s.duration_s,
    ended,
    recovered_by: ended === 'recovered_by_action' ? s.fixed_by : null,
    actions,
    bead_ids: s.bead_ids,
    cause: s.cause,
  };
}

/**
 * The diagnosis's one line about the past, with numbers — only for past incidents of the same identity (never
 * "similar" ones, never invented): "Seen 4 times in 30 days; restart_service fixed it 3 of 4 times (last: 2026-11-30)".
 */
export function pastLine(p: PastSearch): string | null {
  if (p.match !== 'identity' || p.matched === 0) return null;
  const n = p.matched;
  const times = (c: number) => `${c} of ${n} time${n === 1 ? '' : 's'}`;
  const parts = Object.entries(p.outcomes)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([key, c]) => {
      if (key === 'by_itself') return `it ended without a fix by Argus ${times(c)}`;
      if (key === 'gave_up') return `Argus gave up ${times(c)}`;
      if (key === 'still_open') return `${c} still open`;
      if (key === 'unknown') return `${c} without a recorded end`;
      return `${key} fixed it ${times(c)}`;
    });
  const last = p.incidents[0]?.opened.slice(0, 10);
  return `Seen ${n} time${n === 1 ? '' : 's'} in ${p.window_days} days; ${parts.join('; ')}${last ? ` (last: ${last})` : ''}.`;
}
