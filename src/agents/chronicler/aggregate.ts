// One streaming pass over problems.jsonl and history.jsonl → Analysis (patterns, outcomes, summaries); memory stays bounded.
import { HistoryPointSchema } from '../../model/history.js';
import { readJsonl } from '../../state/jsonl.js';
import { forEachRecordInWindow } from '../../state/registry-window.js';
import { AggregateOptionsSchema, type AggregateOptions, type Analysis, type Pattern } from './schemas.js';
import { IncidentTracker } from './incidents.js';
import { OutcomeAccumulator, hotspots } from './outcomes.js';
import { ProblemAccumulator } from './problems.js';
import { TrendAccumulator } from './trends.js';
import { cmp } from './util.js';

export interface AggregateInput {
  registryPath: string;
  historyPath: string;
  since: Date;
  until: Date;
  options?: Partial<AggregateOptions>;
  /** Told how many registry records were read so far, every PROGRESS_EVERY of them (a long read shows it is moving). */
  onRecords?: (read: number) => void;
}

/** How often onRecords is told. */
export const PROGRESS_EVERY = 20_000;

const KIND_ORDER: Record<Pattern['kind'], number> = {
  recurring: 0,
  time_of_day: 1,
  weekday: 2,
  cluster: 3,
  disk_full: 4,
  memory_creep: 5,
  swap_growth: 6,
  leak_suspect: 7,
  action_failures: 8,
};

/** Analyse the window [since, until). Records and history points outside it, or invalid, are skipped. */
export async function aggregate(input: AggregateInput): Promise<Analysis> {
  const options = AggregateOptionsSchema.parse(input.options ?? {});
  const from = input.since.getTime();
  const to = input.until.getTime();
  const problems = new ProblemAccumulator(options);
  const incidents = new IncidentTracker(options);
  const outcomes = new OutcomeAccumulator(options);
  const trends = new TrendAccumulator(options, from);
  let read = 0;

  const records = await forEachRecordInWindow(input.registryPath, from, to, (r, ms) => {
    if (++read % PROGRESS_EVERY === 0) input.onRecords?.(read);
    problems.add(r, ms);
    incidents.add(r, ms);
    outcomes.add(r);
  });
  for await (const value of readJsonl(input.historyPath)) {
    // The window first: a point outside it is not validated (a point without a string ts fails the schema anyway).
    const ts = typeof value === 'object' && value !== null ? (value as { ts?: unknown }).ts : undefined;
    const ms = typeof ts === 'string' ? Date.parse(ts) : NaN;
    if (!(ms >= from && ms < to)) continue;
    const parsed = HistoryPointSchema.safeParse(value);
    if (parsed.success) trends.add(parsed.data, ms);
  }

  const patterns = [...problems.patterns(), ...incidents.clusters(), ...trends.patterns(), ...outcomes.patterns()].sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.id, b.id),
  );
  return {
    since: input.since.toISOString(),
    until: input.until.toISOString(),
    records,
    history_points: trends.points,
    options,
    patterns,
    outcomes: outcomes.rows(),
    timings: incidents.timingRows(),
    hotspots: hotspots(problems.counts()),
    problems: problems.summaries().map((p) => {
      const { closed, outcomes, stillOpen } = incidents.byIdentity(p.identity);
      return { ...p, closed, closed_outcomes: outcomes, still_open: stillOpen };
    }),
    incidents: incidents.incidents(),
    dropped_keys: problems.dropped + incidents.dropped + outcomes.dropped + trends.dropped,
  };
}
