// Per-identity accumulation: runbook summaries, recurring-per-day and time-of-day / weekday correlation.
import type { ProblemRecord } from '../../model/record.js';
import {
  RCA_MAX,
  type AggregateOptions,
  type DayRow,
  type KnownFacts,
  type Pattern,
  type ProblemSummary,
  type RcaNote,
} from './schemas.js';
import {
  BoundedMap,
  EvidenceBuffer,
  FoldedEvidence,
  TimeKeys,
  WEEKDAYS,
  cmp,
  hourOf,
  increment,
  parseAction,
  sortedRecord,
  subjectOf,
  weekdayOf,
} from './util.js';
import { rcaNote } from './words.js';

interface DayAcc extends DayRow {
  /** action name → attempts that day */
  acted: Record<string, number>;
}

interface ProblemAcc {
  identity: string;
  type: string;
  severities: Set<string>;
  first: string;
  last: string;
  lastDescription: string;
  detailKeys: Set<string>;
  detections: number;
  opened: number;
  actions: Record<string, Record<string, number>>;
  days: Map<string, DayAcc>;
  evidence: EvidenceBuffer;
  folded: FoldedEvidence;
  known: KnownFacts;
  rca: RcaNote[];
  occurrences: EvidenceBuffer;
  hours: Map<number, Set<string>>;
  weekdays: Map<number, Set<string>>;
  activeDays: Set<string>;
}

const MAX_DETAIL_KEYS = 30;

export class ProblemAccumulator {
  private readonly problems: BoundedMap<string, ProblemAcc>;
  private readonly keys = new TimeKeys();
  constructor(private readonly options: AggregateOptions) {
    this.problems = new BoundedMap(options.maxKeys);
  }

  get dropped(): number {
    return this.problems.dropped;
  }

  add(r: ProblemRecord, ms: number): void {
    if (!r.identity || r.kind === 'self') return;
    const p = this.problems.upsert(r.identity, () => newProblem(r));
    if (!p) return;
    if (r.ts < p.first) p.first = r.ts;
    if (r.ts >= p.last) p.last = r.ts;
    const day = this.keys.day(ms);
    const row = dayRow(p, day);
    const transition = typeof r.details.transition === 'string' ? r.details.transition : null;
    if (r.kind === 'detection') {
      p.detections++;
      row.detections++;
      p.severities.add(r.severity);
      p.lastDescription = r.description;
      for (const k of Object.keys(r.details)) if (p.detailKeys.size < MAX_DETAIL_KEYS) p.detailKeys.add(k);
      p.evidence.add({ ts: r.ts, description: r.description, identity: r.identity });
      p.folded.add(r.ts, r.description);
      learn(p.known, r.type, subjectOf(r.identity), r.details);
    }
    const note = rcaNote(r);
    if (note) {
      // The latest analyses, one per distinct summary.
      p.rca = [...p.rca.filter((x) => x.summary !== note.summary), note].slice(-RCA_MAX);
    }
    if (r.kind === 'transition' && transition === 'opened') {
      p.opened++;
      row.opened++;
      this.occur(p, r, ms, day);
    }
    if (r.kind === 'transition' && transition === 'resolved') row.resolved++;
    if (r.action_taken && (r.kind === 'action' || r.kind === 'detection')) {
      const { action } = parseAction(r.action_taken);
      const counts = (p.actions[r.action_taken] ??= {});
      increment(counts, r.action_result ?? 'unknown');
      row.actions++;
      if (r.action_result === 'failure') row.failures++;
      increment(row.acted, action);
    }
  }

  private occur(p: ProblemAcc, r: ProblemRecord, ms: number, day: string): void {
    p.activeDays.add(day);
    const h = hourOf(ms);
    let hs = p.hours.get(h);
    if (!hs) p.hours.set(h, (hs = new Set()));
    hs.add(day);
    const w = weekdayOf(ms);
    let ws = p.weekdays.get(w);
    if (!ws) p.weekdays.set(w, (ws = new Set()));
    ws.add(day);
    p.occurrences.add({
      ts: r.ts,
      description: `incident ${r.incident_id ?? r.identity} opened`,
      identity: r.identity,
    });
  }

  summaries(): ProblemSummary[] {
    return [...this.problems.map.values()]
      .sort((a, b) => cmp(a.identity, b.identity))
      .map((p) => ({
        identity: p.identity,
        type: p.type,
        subject: subjectOf(p.identity),
        severities: [...p.severities].sort(),
        first_seen: p.first,
        last_seen: p.last,
        last_description: p.lastDescription,
        detail_keys: [...p.detailKeys].sort(),
        detections: p.detections,
        opened: p.opened,
        actions: sortedRecord(Object.fromEntries(Object.entries(p.actions).map(([k, v]) => [k, sortedRecord(v)]))),
        days: [...p.days.values()].sort((a, b) => cmp(a.day, b.day)).map(({ acted: _acted, ...row }) => row),
        evidence: p.evidence.toList(),
        evidence_rows: p.folded.rows(),
        known: sortedRecord(p.known) as KnownFacts,
        closed: [],
        closed_outcomes: {},
        still_open: 0,
        rca: p.rca,
      }));
  }

  /**
   * Recurring (N+ incidents opened a day), same hour of day on several days, same weekday. Openings only: restart
   * attempts, skipped attempts and alerts within one incident are not recurrences.
   */
  patterns(): Pattern[] {
    const out: Pattern[] = [];
    const o = this.options;
    for (const p of this.problems.map.values()) {
      const days = [...p.days.values()].filter((d) => d.opened > 0).map((d) => ({ day: d.day, n: d.opened }));
      const hot = days.filter((d) => d.n >= o.recurringPerDay);
      if (hot.length > 0) {
        const max = Math.max(...hot.map((d) => d.n));
        out.push({
          id: `recurring:${p.identity}`,
          kind: 'recurring',
          identity: p.identity,
          title: `${p.identity} recurs: up to ${max} incidents a day, on ${hot.length} of ${days.length} days with incidents`,
          evidence: p.occurrences.toList(),
          metrics: { max_per_day: max, days_over: hot.length, days_seen: days.length, threshold: o.recurringPerDay },
          recommendation: recurringAdvice(p.type, p.identity),
        });
      }
      const active = p.activeDays.size;
      for (const [h, set] of [...p.hours.entries()].sort((a, b) => a[0] - b[0])) {
        if (set.size < o.timeOfDayMinDays || set.size < 0.6 * active) continue;
        const hh = `${String(h).padStart(2, '0')}:00`;
        out.push({
          id: `time_of_day:${p.identity}:${hh}`,
          kind: 'time_of_day',
          identity: p.identity,
          title: `${p.identity} happens around ${hh} UTC, on ${set.size} of ${active} days`,
          evidence: p.occurrences.toList(),
          metrics: { hour_utc: hh, days_at_hour: set.size, days_active: active },
          recommendation: `Look for a scheduled job at ${hh} UTC (cron, systemd timers, backups, log rotation) that coincides with ${p.identity}; move or fix it.`,
        });
      }
      for (const [w, set] of [...p.weekdays.entries()].sort((a, b) => a[0] - b[0])) {
        const others = [...p.weekdays.entries()].filter(([k]) => k !== w).map(([, s]) => s.size);
        if (set.size < 2 || set.size < 0.6 * active || others.some((n) => n >= set.size)) continue;
        const name = WEEKDAYS[w] ?? String(w);
        out.push({
          id: `weekday:${p.identity}:${name}`,
          kind: 'weekday',
          identity: p.identity,
          title: `${p.identity} happens on ${name}s, on ${set.size} of ${active} days`,
          evidence: p.occurrences.toList(),
          metrics: { weekday: name, days_on_weekday: set.size, days_active: active },
          recommendation: `Look for a weekly job on ${name} (cron, systemd timers, backups, reports) that coincides with ${p.identity}.`,
        });
      }
    }
    return out;
  }

  /** incidents and detections per identity, for hotspots */
  counts(): Array<{ identity: string; type: string; incidents: number; detections: number }> {
    return [...this.problems.map.values()].map((p) => ({
      identity: p.identity,
      type: p.type,
      incidents: p.opened,
      detections: p.detections,
    }));
  }
}

function newProblem(r: ProblemRecord): ProblemAcc {
  return {
    identity: r.identity!,
    type: r.type,
    severities: new Set(),
    first: r.ts,
    last: r.ts,
    lastDescription: r.description,
    detailKeys: new Set(),
    detections: 0,
    opened: 0,
    actions: {},
    days: new Map(),
    evidence: new EvidenceBuffer(),
    folded: new FoldedEvidence(),
    known: {},
    rca: [],
    occurrences: new EvidenceBuffer(),
    hours: new Map(),
    weekdays: new Map(),
    activeDays: new Set(),
  };
}

function dayRow(p: ProblemAcc, day: string): DayAcc {
  let row = p.days.get(day);
  if (!row) p.days.set(day, (row = { day, detections: 0, opened: 0, resolved: 0, actions: 0, failures: 0, acted: {} }));
  return row;
}

function recurringAdvice(type: string, identity: string): string {
  switch (type) {
    case 'service':
      return `Find why ${identity} keeps failing (journalctl for the unit around the evidence times); restarts hide the cause. Fix it, or file a bead with the evidence.`;
    case 'disk':
      return `Space on ${identity} keeps running short: find what writes there (du, log rotation, caches) and cap it, or grow the filesystem.`;
    case 'memory':
    case 'swap':
      return `Memory pressure (${identity}) keeps coming back: identify the consumer from the evidence and cap it (systemd MemoryMax=) or add memory.`;
    case 'process':
      return `The same process problem (${identity}) keeps coming back: fix what spawns it rather than killing it each time.`;
    default:
      return `${identity} keeps coming back: look at what the evidence times have in common and fix the cause.`;
  }
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= 300 ? v : undefined;

/** Keep what a runbook needs to print real commands: the unit, URL, mount, process of the latest detection. */
function learn(known: KnownFacts, type: string, subject: string, details: Record<string, unknown>): void {
  const set = <K extends keyof KnownFacts>(k: K, v: KnownFacts[K] | undefined) => {
    if (v !== undefined) known[k] = v;
  };
  if (type === 'service' || type === 'restart') {
    set('unit', str(details.unit) ?? subject);
    set('condition', str(details.condition));
  }
  if (type === 'probe') {
    set('probe', str(details.name) ?? subject);
    set('url', str(details.url));
    set('service', str(details.service));
  }
  if (type === 'disk') set('mount', subject.startsWith('inodes:') ? subject.slice('inodes:'.length) : subject);
  const hog = (details.hog ?? null) as { comm?: unknown; pid?: unknown; cmdline?: unknown } | null;
  if (hog && typeof hog === 'object') {
    set('process', str(hog.comm));
    set('pid', typeof hog.pid === 'number' && Number.isInteger(hog.pid) ? hog.pid : undefined);
    set('cmdline', str(hog.cmdline));
  }
}
