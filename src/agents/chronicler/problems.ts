// Per-identity accumulation: runbook summaries, recurring-per-day and time-of-day / weekday correlation.
import type { ProblemRecord } from '../../model/record.js';
import type { AggregateOptions, DayRow, Pattern, ProblemSummary } from './analysis.js';
import { BoundedMap, EvidenceBuffer, WEEKDAYS, cmp, dayKey, hourOf, increment, parseAction, sortedRecord, subjectOf } from './util.js';

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
  occurrences: EvidenceBuffer;
  hours: Map<number, Set<string>>;
  weekdays: Map<number, Set<string>>;
  activeDays: Set<string>;
}

const MAX_DETAIL_KEYS = 30;

export class ProblemAccumulator {
  private readonly problems: BoundedMap<string, ProblemAcc>;
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
    const day = dayKey(ms);
    const row = dayRow(p, day);
    const transition = typeof r.details.transition === 'string' ? r.details.transition : null;
    if (r.kind === 'detection') {
      p.detections++;
      row.detections++;
      p.severities.add(r.severity);
      p.lastDescription = r.description;
      for (const k of Object.keys(r.details)) if (p.detailKeys.size < MAX_DETAIL_KEYS) p.detailKeys.add(k);
      p.evidence.add({ ts: r.ts, description: r.description, identity: r.identity });
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
      this.occur(p, r, ms, day);
    }
  }

  private occur(p: ProblemAcc, r: ProblemRecord, ms: number, day: string): void {
    p.activeDays.add(day);
    const h = hourOf(ms);
    let hs = p.hours.get(h);
    if (!hs) p.hours.set(h, (hs = new Set()));
    hs.add(day);
    const w = new Date(ms).getUTCDay();
    let ws = p.weekdays.get(w);
    if (!ws) p.weekdays.set(w, (ws = new Set()));
    ws.add(day);
    const what = r.kind === 'transition' ? 'opened' : `${r.action_taken ?? ''} ${r.action_result ?? ''}`.trim();
    p.occurrences.add({ ts: r.ts, description: `${what}: ${r.description}`, identity: r.identity });
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
        days: [...p.days.values()]
          .sort((a, b) => cmp(a.day, b.day))
          .map(({ acted: _acted, ...row }) => row),
        evidence: p.evidence.toList(),
      }));
  }

  /** Recurring (N+ a day), same hour of day on several days, same weekday. */
  patterns(): Pattern[] {
    const out: Pattern[] = [];
    const o = this.options;
    for (const p of this.problems.map.values()) {
      const days = [...p.days.values()].map((d) => ({ day: d.day, n: Math.max(d.opened, ...Object.values(d.acted), 0) }));
      const hot = days.filter((d) => d.n >= o.recurringPerDay);
      if (hot.length > 0) {
        const max = Math.max(...hot.map((d) => d.n));
        out.push({
          id: `recurring:${p.identity}`,
          kind: 'recurring',
          identity: p.identity,
          title: `${p.identity} recurs: up to ${max} times a day, on ${hot.length} of ${days.length} days`,
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
    return [...this.problems.map.values()].map((p) => ({ identity: p.identity, type: p.type, incidents: p.opened, detections: p.detections }));
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
