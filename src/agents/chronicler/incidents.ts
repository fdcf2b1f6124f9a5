// Incident tracking over the stream: time to detect / recover per type, post-mortem candidates, clusters.
import type { ProblemRecord } from '../../model/record.js';
import {
  INCIDENTS_MAX,
  RCA_MAX,
  type AggregateOptions,
  type IncidentBrief,
  type IncidentSummary,
  type Pattern,
  type RcaNote,
  type TimelineEntry,
  type Timing,
} from './schemas.js';
import { BoundedMap, EvidenceBuffer, cmp, detailString, parseAction, round } from './util.js';
import { FIXES, actionDetail, actionWords, durationWords, rcaNote, rcaSourceWords, resultWords } from './words.js';

const TIMELINE_MAX = 40;
const ACTIONS_MAX = 20;
const CLUSTER_SET_MAX = 50;

interface Episode {
  firstDetection: number | null;
  firstTs: string;
  firstDescription: string;
  detections: number;
  openedAt: number | null;
}

interface IncAcc {
  id: string;
  identity: string;
  type: string;
  severity: string;
  opened: string;
  openedMs: number;
  timeline: TimelineEntry[];
  timelineCount: number;
  actions: IncidentSummary['actions'];
  escalated: boolean;
  failed: boolean;
  cause: string | null;
  rca: RcaNote[];
  detectS: number | null;
  firstDescription: string;
  detections: number;
  beads: Set<string>;
  fixedBy: string | null;
  attempts: number;
  gaveUp: boolean;
}

interface TimingAcc {
  detectN: number;
  detectSum: number;
  recoverN: number;
  recoverSum: number;
}

const SEVERITY_ORDER = ['info', 'warning', 'critical'];

/** One incident as `search_incidents` tells it: closed (resolved, duration) or still open where the records end. */
export interface IncidentStory {
  incident_id: string;
  identity: string;
  type: string;
  severity: string;
  opened: string;
  resolved: string | null;
  duration_s: number | null;
  actions: IncidentSummary['actions'];
  fixed_by: string | null;
  attempts: number;
  gave_up: boolean;
  bead_ids: string[];
  cause: string | null;
}

export class IncidentTracker {
  private readonly episodes: BoundedMap<string, Episode>;
  private readonly open: BoundedMap<string, IncAcc>;
  private readonly kept: IncidentSummary[] = [];
  private readonly timings = new Map<string, TimingAcc>();
  private readonly hours: BoundedMap<string, Set<string>>;
  /** identity → the key of its open incident: `rca` records carry no incident id. */
  private readonly openOf = new Map<string, string>();
  private readonly briefs: BoundedMap<string, IncidentBrief[]>;
  private readonly outcomes: BoundedMap<string, Record<string, number>>;
  private keptDropped = 0;

  /** `onClosed` hears every incident as it closes (search_incidents reads the stories; the chronicle does not). */
  constructor(
    private readonly options: AggregateOptions,
    private readonly onClosed?: (story: IncidentStory) => void,
  ) {
    this.episodes = new BoundedMap(options.maxKeys);
    this.open = new BoundedMap(options.maxKeys);
    this.hours = new BoundedMap(options.maxKeys);
    this.briefs = new BoundedMap(options.maxKeys);
    this.outcomes = new BoundedMap(options.maxKeys);
  }

  get dropped(): number {
    return this.episodes.dropped + this.open.dropped + this.hours.dropped + this.briefs.dropped + this.keptDropped;
  }

  add(r: ProblemRecord, ms: number): void {
    const transition = typeof r.details.transition === 'string' ? r.details.transition : null;
    const incidentKey = r.incident_id ?? r.identity;
    if (r.identity && r.kind === 'detection') {
      const ep = this.episodes.upsert(r.identity, () => ({
        firstDetection: ms,
        firstTs: r.ts,
        firstDescription: r.description,
        detections: 0,
        openedAt: null,
      }));
      if (ep && ep.openedAt === null) ep.detections++;
    }
    if (r.kind === 'transition' && transition === 'opened' && r.identity && incidentKey) {
      const ep = this.episodes.upsert(r.identity, () => ({
        firstDetection: null,
        firstTs: r.ts,
        firstDescription: r.description,
        detections: 0,
        openedAt: null,
      }));
      if (ep) {
        if (ep.firstDetection !== null) {
          const t = this.timing(r.type);
          t.detectN++;
          t.detectSum += (ms - ep.firstDetection) / 1000;
        }
        ep.openedAt = ms;
      }
      const inc = this.open.upsert(incidentKey, () => newIncident(incidentKey, r, ms));
      if (inc) this.openOf.set(r.identity, incidentKey);
      if (inc && ep && ep.firstDetection !== null) {
        inc.detectS = round((ms - ep.firstDetection) / 1000, 0);
        inc.detections = ep.detections;
        inc.firstDescription = ep.firstDescription;
        inc.timelineCount++;
        inc.timeline.push({ ts: ep.firstTs, kind: 'detection', text: `first detected: ${ep.firstDescription}` });
      }
      const set = this.hours.upsert(new Date(ms).toISOString().slice(0, 13), () => new Set());
      if (set && set.size < CLUSTER_SET_MAX) set.add(r.identity);
    }
    // An `rca` record has no incident id: it belongs to the identity's open incident.
    const key = r.incident_id ?? (r.identity ? (this.openOf.get(r.identity) ?? r.identity) : null);
    const inc = key ? this.open.map.get(key) : undefined;
    if (inc) this.attach(inc, r, transition);
    if (r.kind === 'transition' && transition === 'resolved' && r.identity) {
      this.episodes.map.delete(r.identity);
      if (inc && key) {
        const t = this.timing(inc.type);
        t.recoverN++;
        t.recoverSum += (ms - inc.openedMs) / 1000;
        this.open.map.delete(key);
        if (this.openOf.get(r.identity) === key) this.openOf.delete(r.identity);
        this.close(inc, r.ts, ms);
      }
    }
  }

  private attach(inc: IncAcc, r: ProblemRecord, transition: string | null): void {
    if (SEVERITY_ORDER.indexOf(r.severity) > SEVERITY_ORDER.indexOf(inc.severity)) inc.severity = r.severity;
    if (r.bead_id) inc.beads.add(r.bead_id);
    if (r.kind === 'detection') {
      inc.detections++;
      return;
    }
    const note = rcaNote(r);
    if (note) {
      if (note.summary) inc.cause = note.summary;
      inc.rca.push(note);
      if (inc.rca.length > RCA_MAX) inc.rca.shift();
      this.push(inc, {
        ts: r.ts,
        kind: 'diagnosis',
        text: `${rcaSourceWords(note.source)}: ${note.verdict === 'cause_found' ? (note.summary ?? 'cause found') : `cause ${note.verdict}${note.summary ? ` (${note.summary})` : ''}`}`,
      });
      return;
    }
    const cause = detailString(r.details, 'cause', 'rca_cause', 'diagnosis');
    const isRca = cause !== null && (r.type === 'rca' || r.kind === 'decision' || r.details.rca !== undefined);
    if (isRca) inc.cause = cause;
    let text = r.description;
    if (r.kind === 'transition') text = transitionWords(transition, r, inc.openedMs);
    if (r.kind === 'action' && r.action_taken) {
      const { action } = parseAction(r.action_taken);
      const result = r.action_result ?? 'unknown';
      const detail =
        action === 'alert' ? (alertSaid(r.details) ?? actionDetail(r.description)) : actionDetail(r.description);
      text = `${actionWords(r.action_taken)}: ${resultWords(result)}${detail ? ` — ${detail}` : ''}${r.source === 'rule' ? '' : ` (by ${r.source})`}`;
      if (inc.actions.length < ACTIONS_MAX)
        inc.actions.push({
          ts: r.ts,
          action: r.action_taken,
          result,
          source: r.source,
          bead_id: r.bead_id,
          ...(detail ? { detail } : {}),
        });
      if (FIXES.has(action) && (result === 'success' || result === 'failure')) {
        inc.attempts++;
        if (result === 'success') inc.fixedBy = action;
      }
      if (result === 'skipped' && r.details.exhausted === true) inc.gaveUp = true;
      if (action === 'alert' && detail && /Gave up|Cleaning was not enough/.test(detail)) inc.gaveUp = true;
      if (r.action_result === 'failure') inc.failed = true;
      if (action === 'create_bead' || r.bead_id) inc.escalated = true;
    }
    if (r.kind === 'decision') {
      const decision = detailString(r.details, 'decision', 'kind');
      if (decision === 'escalate') inc.escalated = true;
      text = isRca ? `cause named: ${cause}` : `decision${decision ? ` ${decision}` : ''}: ${r.description}`;
    }
    this.push(inc, { ts: r.ts, kind: r.kind, text });
  }

  /** A timeline entry; the same event again (a restart skipped by the backoff every cycle) is folded into its first line. */
  private push(inc: IncAcc, e: TimelineEntry): void {
    inc.timelineCount++;
    const last = inc.timeline.find((t) => t.kind === e.kind && t.text === e.text);
    if (last) {
      last.repeats = (last.repeats ?? 1) + 1;
      last.until = e.ts;
      return;
    }
    if (inc.timeline.length < TIMELINE_MAX) inc.timeline.push(e);
  }

  private close(inc: IncAcc, resolvedTs: string, ms: number): void {
    const duration = (ms - inc.openedMs) / 1000;
    this.onClosed?.(story(inc, resolvedTs, round(duration, 0)));
    const counts = this.outcomes.upsert(inc.identity, () => ({}));
    if (counts) {
      const key = inc.gaveUp ? 'gave_up' : (inc.fixedBy ?? 'none');
      counts[key] = (counts[key] ?? 0) + 1;
    }
    const list = this.briefs.upsert(inc.identity, () => []);
    if (list) {
      list.push({
        incident_id: inc.id,
        opened: inc.opened,
        resolved: resolvedTs,
        duration_s: round(duration, 0),
        fixed_by: inc.fixedBy,
        attempts: inc.attempts,
        gave_up: inc.gaveUp,
        bead_ids: [...inc.beads].sort(),
        cause: inc.cause,
      });
      if (list.length > INCIDENTS_MAX) list.shift();
    }
    const reasons: IncidentSummary['reasons'] = [];
    if (inc.escalated) reasons.push('escalated');
    if (inc.failed) reasons.push('failed_remediation');
    if (duration > this.options.longOutageMinutes * 60) reasons.push('long_outage');
    if (reasons.length === 0) return;
    if (this.kept.length >= this.options.maxKeys) {
      this.keptDropped++;
      return;
    }
    this.kept.push({
      incident_id: inc.id,
      identity: inc.identity,
      type: inc.type,
      severity: inc.severity,
      opened: inc.opened,
      resolved: resolvedTs,
      duration_s: round(duration, 0),
      duration_min: round(duration / 60, 1),
      reasons,
      cause: inc.cause,
      rca: inc.rca,
      detect_s: inc.detectS,
      first_description: inc.firstDescription,
      detections: inc.detections,
      timeline: [...inc.timeline].sort((a, b) => cmp(a.ts, b.ts)),
      timeline_count: inc.timelineCount,
      actions: inc.actions,
      bead_ids: [...inc.beads].sort(),
    });
  }

  private timing(type: string): TimingAcc {
    let t = this.timings.get(type);
    if (!t) this.timings.set(type, (t = { detectN: 0, detectSum: 0, recoverN: 0, recoverSum: 0 }));
    return t;
  }

  /** Closed incidents per identity (oldest first) and how many are still open, for the runbooks. */
  byIdentity(identity: string): { closed: IncidentBrief[]; outcomes: Record<string, number>; stillOpen: number } {
    let stillOpen = 0;
    for (const inc of this.open.map.values()) if (inc.identity === identity) stillOpen++;
    return {
      closed: this.briefs.map.get(identity) ?? [],
      outcomes: { ...(this.outcomes.map.get(identity) ?? {}) },
      stillOpen,
    };
  }

  /** The incidents still open where the records end (no resolution read yet). */
  openStories(): IncidentStory[] {
    return [...this.open.map.values()].map((inc) => story(inc, null, null));
  }

  incidents(): IncidentSummary[] {
    return [...this.kept].sort((a, b) => cmp(a.opened, b.opened) || cmp(a.incident_id, b.incident_id));
  }

  timingRows(): Timing[] {
    return [...this.timings.entries()]
      .sort((a, b) => cmp(a[0], b[0]))
      .map(([type, t]) => ({
        type,
        detect_count: t.detectN,
        mean_time_to_detect_s: t.detectN ? round(t.detectSum / t.detectN, 0) : null,
        recover_count: t.recoverN,
        mean_time_to_recover_s: t.recoverN ? round(t.recoverSum / t.recoverN, 0) : null,
      }));
  }

  /** Several distinct problems opened in the same clock hour: likely one common cause. */
  clusters(): Pattern[] {
    const groups = new Map<string, { hours: string[]; identities: Set<string> }>();
    for (const [hour, set] of this.hours.map) {
      if (set.size < this.options.clusterMinIdentities) continue;
      const types = [...new Set([...set].map((i) => i.split(':')[0] ?? i))].sort().join('+');
      let g = groups.get(types);
      if (!g) groups.set(types, (g = { hours: [], identities: new Set() }));
      g.hours.push(hour);
      for (const i of set) g.identities.add(i);
    }
    return [...groups.entries()]
      .sort((a, b) => cmp(a[0], b[0]))
      .map(([types, g]) => {
        const ev = new EvidenceBuffer();
        for (const h of g.hours.sort())
          ev.add({
            ts: `${h}:00:00.000Z`,
            description: `${[...(this.hours.map.get(h) ?? [])].sort().join(', ')} opened in the same hour`,
          });
        return {
          id: `cluster:${types}`,
          kind: 'cluster' as const,
          title: `${g.identities.size} problems (${types}) opened together in ${g.hours.length} clock hours`,
          evidence: ev.toList(),
          metrics: { hours: g.hours.length, identities: g.identities.size },
          recommendation: `These problems start together: look for one shared cause (a deploy, a batch job, the host itself) before treating each alone.`,
        };
      });
  }
}

function story(inc: IncAcc, resolved: string | null, duration: number | null): IncidentStory {
  const { id, identity, type, severity, opened, actions, fixedBy, attempts, gaveUp, cause } = inc;
  return {
    incident_id: id,
    identity,
    type,
    severity,
    opened,
    resolved,
    duration_s: duration,
    actions: [...actions],
    fixed_by: fixedBy,
    attempts,
    gave_up: gaveUp,
    bead_ids: [...inc.beads].sort(),
    cause,
  };
}

function newIncident(id: string, r: ProblemRecord, ms: number): IncAcc {
  return {
    id,
    identity: r.identity ?? id,
    type: r.type,
    severity: r.severity,
    opened: r.ts,
    openedMs: ms,
    timeline: [],
    timelineCount: 0,
    actions: [],
    escalated: false,
    failed: false,
    cause: null,
    rca: [],
    detectS: null,
    firstDescription: r.description,
    detections: 0,
    beads: new Set(),
    fixedBy: null,
    attempts: 0,
    gaveUp: false,
  };
}

/** What an alert told a person: its first line and its announcements (❗), without the icon. */
function alertSaid(details: Record<string, unknown>): string | undefined {
  const input = details.input as { message?: unknown } | undefined;
  if (typeof input?.message !== 'string') return undefined;
  const lines = input.message.split(/\n|\\u000a/);
  const said = [lines[0], ...lines.slice(1).filter((l) => l.startsWith('❗'))].filter((l): l is string => !!l);
  return said.map((l) => l.replace(/^(?:🔴|⚠️|ℹ️|❗|✅)\s*/u, '').replace(/…\(\+\d+ chars\)$/, '…')).join(' / ');
}

/** A transition as a person reads it: "incident opened", "resolved after 35 min". */
function transitionWords(transition: string | null, r: ProblemRecord, openedMs: number): string {
  switch (transition) {
    case 'opened':
      return 'incident opened';
    case 'resolved':
      return `resolved after ${durationWords((Date.parse(r.ts) - openedMs) / 1000)}`;
    case 'bead_closed':
      return `bead ${r.bead_id ?? ''} closed`.replace('  ', ' ');
    case 'flapping':
      return 'flapping: notifications held until it settles';
    default:
      return `${transition ?? 'transition'}: ${r.description}`;
  }
}
