// Outcomes of actions (per action, per playbook = source:action, per source), failure patterns, hotspots.
import type { ProblemRecord } from '../../model/record.js';
import type { AggregateOptions, Hotspot, Outcome, Pattern } from './schemas.js';
import { BoundedMap, EvidenceBuffer, cmp, increment, parseAction, round, sortedRecord } from './util.js';

interface OutcomeAcc {
  key: string;
  by: Outcome['by'];
  results: Record<string, number>;
  failures: EvidenceBuffer;
}

const HOTSPOTS_PER_GROUP = 10;

export class OutcomeAccumulator {
  private readonly outcomes: BoundedMap<string, OutcomeAcc>;
  constructor(private readonly options: AggregateOptions) {
    this.outcomes = new BoundedMap(options.maxKeys);
  }

  get dropped(): number {
    return this.outcomes.dropped;
  }

  add(r: ProblemRecord): void {
    if (r.kind !== 'action' || !r.action_taken) return;
    const { action } = parseAction(r.action_taken);
    const result = r.action_result ?? 'unknown';
    const keys: Array<[Outcome['by'], string]> = [
      ['action', action],
      ['playbook', `${r.source}:${action}`],
      ['source', r.source],
    ];
    for (const [by, key] of keys) {
      const acc = this.outcomes.upsert(`${by}|${key}`, () => ({
        key,
        by,
        results: {},
        failures: new EvidenceBuffer(),
      }));
      if (!acc) continue;
      increment(acc.results, result);
      if (result === 'failure')
        acc.failures.add({ ts: r.ts, description: `${r.action_taken} failed: ${r.description}`, identity: r.identity });
    }
  }

  rows(): Outcome[] {
    return [...this.outcomes.map.values()]
      .sort((a, b) => cmp(a.by, b.by) || cmp(a.key, b.key))
      .map((a) => {
        const ok = a.results.success ?? 0;
        const bad = a.results.failure ?? 0;
        return {
          key: a.key,
          by: a.by,
          results: sortedRecord(a.results),
          attempts: Object.values(a.results).reduce((s, n) => s + n, 0),
          success_pct: ok + bad > 0 ? round((100 * ok) / (ok + bad), 1) : null,
        };
      });
  }

  /** An action that fails often is a pattern: the playbook needs a look. */
  patterns(): Pattern[] {
    const out: Pattern[] = [];
    for (const a of this.outcomes.map.values()) {
      if (a.by !== 'action') continue;
      const ok = a.results.success ?? 0;
      const bad = a.results.failure ?? 0;
      if (ok + bad < this.options.failureMinAttempts || bad === 0) continue;
      const pct = round((100 * bad) / (ok + bad), 1);
      if (pct < this.options.failurePct) continue;
      out.push({
        id: `action_failures:${a.key}`,
        kind: 'action_failures',
        title: `${a.key} fails ${pct} % of the time (${bad} of ${ok + bad})`,
        evidence: a.failures.toList(),
        metrics: { failure_pct: pct, failures: bad, attempts: ok + bad },
        recommendation: `Review the ${a.key} playbook: read the failure details in the evidence, fix the cause, or stop automating it and escalate instead.`,
      });
    }
    return out.sort((x, y) => cmp(x.id, y.id));
  }
}

/** Which services, mounts and processes have the most incidents (then detections). */
export function hotspots(
  rows: ReadonlyArray<{ identity: string; type: string; incidents: number; detections: number }>,
): Hotspot[] {
  const groupOf = (type: string): Hotspot['group'] =>
    type === 'service'
      ? 'service'
      : type === 'disk'
        ? 'mount'
        : type === 'process' || type === 'memory'
          ? 'process'
          : 'other';
  const groups = new Map<Hotspot['group'], Hotspot[]>();
  for (const r of rows) {
    const g = groupOf(r.type);
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push({ group: g, identity: r.identity, incidents: r.incidents, detections: r.detections });
  }
  const out: Hotspot[] = [];
  for (const g of ['service', 'mount', 'process', 'other'] as const) {
    const list = (groups.get(g) ?? []).sort(
      (a, b) => b.incidents - a.incidents || b.detections - a.detections || cmp(a.identity, b.identity),
    );
    out.push(...list.slice(0, HOTSPOTS_PER_GROUP));
  }
  return out;
}
