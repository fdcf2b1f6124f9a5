// The daily summary: a markdown digest of the analysis, published at most once a day through an injected port.
import { z } from 'zod';
import { readJsonState, writeJsonAtomic } from '../../state/atomic.js';
import type { Analysis } from './schemas.js';
import { bullets, code, table } from './markdown.js';
import type { PlannedDoc } from './write-docs.js';

export const DailySummarySchema = z.object({
  /** `summary:<YYYY-MM-DD>`: the dedup key (a bead's external ref, an alert id). */
  key: z.string(),
  day: z.string(),
  title: z.string(),
  markdown: z.string(),
});
export type DailySummary = z.infer<typeof DailySummarySchema>;

export const ChronicleStateSchema = z.object({ last_published_day: z.string().nullable() });
export type ChronicleState = z.infer<typeof ChronicleStateSchema>;

/** The lead wires this to beads / Telegram / Relay; an expected failure is a value, not a throw. */
export type PublishSummary = (summary: DailySummary) => Promise<{ delivered: boolean; detail: string }>;

/** The digest of a chronicle run; `docs` (what the run wrote) adds the new and changed runbooks and post-mortems. */
export function buildDailySummary(
  analysis: Analysis,
  day: string,
  docs: ReadonlyArray<Pick<PlannedDoc, 'path' | 'status'>> = [],
): DailySummary {
  const actions = analysis.outcomes.filter((o) => o.by === 'action' && o.success_pct !== null);
  const out: string[] = [];
  out.push(
    `Window ${analysis.since} to ${analysis.until}: ${analysis.records} registry records, ${analysis.history_points} history points.`,
    '',
  );
  out.push('## Patterns', '');
  out.push(bullets(analysis.patterns.map((p) => `**${p.title}.** ${p.recommendation}`)));
  out.push('## Actions', '');
  out.push(
    table(
      ['Action', 'Attempts', 'Success %'],
      actions.map((o) => [code(o.key), String(o.attempts), String(o.success_pct)]),
    ),
  );
  out.push('## Hotspots', '');
  out.push(
    table(
      ['Group', 'Identity', 'Incidents', 'Detections'],
      analysis.hotspots
        .filter((h) => h.incidents > 0)
        .map((h) => [h.group, code(h.identity), String(h.incidents), String(h.detections)]),
    ),
  );
  out.push('## Post-mortem drafts', '');
  out.push(bullets(analysis.incidents.map((i) => `${code(i.incident_id)} ${i.identity}: ${i.reasons.join(', ')}`)));
  const changed = docs.filter((d) => d.status !== 'unchanged');
  const word = (d: { status: string }) => (d.status === 'created' ? 'new' : 'updated');
  out.push('## Runbooks and post-mortems changed', '');
  out.push(bullets(changed.map((d) => `${word(d)}: ${code(d.path)}`)));
  const n = analysis.patterns.length;
  const docsNote = changed.length
    ? `, ${changed.length} document${changed.length === 1 ? '' : 's'} new or updated`
    : '';
  return {
    key: `summary:${day}`,
    day,
    title: `Argus daily summary ${day}: ${n} pattern${n === 1 ? '' : 's'}${docsNote}`,
    markdown: out.join('\n'),
  };
}

export interface PublishDailyInput {
  /** Path of chronicle_state.json (the last published day). */
  statePath: string;
  summary: DailySummary;
  publish: PublishSummary;
}

export type PublishDailyResult = { status: 'published' | 'already' | 'failed'; detail: string };

/** Publish unless this day's summary went out already; the day is recorded only after a delivery. */
export async function publishDaily(input: PublishDailyInput): Promise<PublishDailyResult> {
  const state = readJsonState(input.statePath, ChronicleStateSchema, () => ({ last_published_day: null }));
  if (state.last_published_day !== null && state.last_published_day >= input.summary.day) {
    return { status: 'already', detail: `summary for ${state.last_published_day} already published` };
  }
  let outcome: { delivered: boolean; detail: string };
  try {
    outcome = await input.publish(input.summary);
  } catch (error) {
    outcome = { delivered: false, detail: (error as Error).message };
  }
  if (!outcome.delivered) return { status: 'failed', detail: outcome.detail };
  writeJsonAtomic(input.statePath, { last_published_day: input.summary.day } satisfies ChronicleState);
  return { status: 'published', detail: outcome.detail };
}
