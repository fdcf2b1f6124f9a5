// Incident tracking over the stream: time to detect / recover per type, post-mortem candidates, clusters.
import type { ProblemRecord } from '../../model/record.js';
import type { AggregateOptions, IncidentSummary, Pattern, TimelineEntry, Timing } from './analysis.js';
import { BoundedMap, EvidenceBuffer, cmp, detailString, parseAction, round } from './util.js';

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
  firstDescription: string;
  detections: number;
  beads: Set<string>;
}

interface TimingAcc {
  detectN: number;
  detectSum: number;
  recoverN: number;
  recoverSum: number;
}

const SEVERITY_ORDER = ['info', 'warning', 'critical'];

export class IncidentTracker {
  private readonly episodes: BoundedMap<string, Episode>;
  private readonly open: BoundedMap<string, IncAcc>;
  private readonly kept: IncidentSummary[] = [];
  private readonly timings = new Map<string, TimingAcc>();
  private readonly hours: BoundedMap<string, Set<string>>;
  private keptDropped = 0;

  constructor(private readonly options: AggregateOptions) {
    this.episodes = new BoundedMap(options.maxKeys);
    this.open = new BoundedMap(options.maxKeys);
    this.hours = new BoundedMap(options.maxKeys);
  }

  get dropped(): number {
    return this.episodes.dropped + this.open.dropped + this.hours.dropped + this.keptDropped;
  }

  add(r: ProblemRecord, ms: number): void {
    const transition = typeof r.details.transition === 'string' ? r.details.transition : null;
    const incidentKey = r.incident_id ?? r.identity;
    if (r.identity && r.kind === 'detection') {
      const ep = this.episodes.upsert(r.identity, () => ({ firstDetection: ms, firstTs: r.ts, firstDescription: r.description, detections: 0, openedAt: null }));
      if (ep && ep.openedAt === null) ep.detections++;
    }
    if (r.kind === 'transition' && transition === 'opened' && r.identity && incidentKey) {
      const ep = this.episodes.upsert(r.identity, () => ({ firstDetection: null, firstTs: r.ts, firstDescription: r.description, detections: 0, openedAt: null }));
      if (ep) {
        if (ep.firstDetection !== null) {
          const t = this.timing(r.type);
          t.detectN++;
          t.detectSum += (ms - ep.firstDetection) / 1000;
        }
        ep.openedAt = ms;
      }
      const inc = this.open.upsert(incidentKey, () => newIncident(incidentKey, r, ms));
      if (inc && ep && ep.firstDetection !== null) {
        inc.detections = ep.detections;
        inc.firstDescription = ep.firstDescription;
        inc.timelineCount++;
        inc.timeline.push({ ts: ep.firstTs, kind: 'detection', text: `first detected: ${ep.firstDescription}` });
      }
      const set = this.hours.upsert(new Date(ms).toISOString().slice(0, 13), () => new Set());
      if (set && set.size < CLUSTER_SET_MAX) set.add(r.identity);
    }
    const inc = incidentKey ? this.open.map.get(incidentKey) : undefined;
    if (inc) this.attach(inc, r, transition);
    if (r.kind === 'transition' && transition === 'resolved' && r.identity) {
      this.episodes.map.delete(r.identity);
      if (inc && incidentKey) {
        const t = this.timing(inc.type);
        t.recoverN++;
        t.recoverSum += (ms - inc.openedMs) / 1000;
        this.open.map.delete(incidentKey);
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
    const cause = detailString(r.details, 'cause', 'rca_cause', 'diagnosis');
    const isRca = cause !== null && (r.type === 'rca' || r.kind === 'decision' || r.details.rca !== undefined);
    if (isRca) inc.cause = cause;
    let text = r.description;
    if (r.kind === 'transition') text = `${transition ?? 'transition'}: ${r.description}`;
    if (r.kind === 'action' && r.action_taken) {
      const { action } = parseAction(r.action_taken);
      text = `${r.action_taken} → ${r.action_result ?? 'unknown'} (${r.source})`;
      if (inc.actions.length < ACTIONS_MAX)
        inc.actions.push({ ts: r.ts, action: r.action_taken, result: r.action_result ?? 'unknown', source: r.source, bead_id: r.bead_id });
      if (r.action_result === 'failure') inc.failed = true;
      if (action === 'create_bead' || r.bead_id) inc.escalated = true;
    }
    if (r.kind === 'decision') {
      const decision = detailString(r.details, 'decision', 'kind');
      if (decision === 'escalate') inc.escalated = true;
      text = isRca ? `cause named: ${cause}` : `decision${decision ? ` ${decision}` : ''}: ${r.description}`;
    }
    inc.timelineCount++;
    if (inc.timeline.length < TIMELINE_MAX) inc.timeline.push({ ts: r.ts, kind: r.kind, text });
  }

  private close(inc: IncAcc, resolvedTs: string, ms: number): void {
    const duration = (ms - inc.openedMs) / 1000;
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
        for (const h of g.hours.sort()) ev.add({ ts: `${h}:00:00.000Z`, description: `${[...(this.hours.map.get(h) ?? [])].sort().join(', ')} opened in the same hour` });
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
    firstDescription: r.description,
    detections: 0,
    beads: new Set(),
  };
}
