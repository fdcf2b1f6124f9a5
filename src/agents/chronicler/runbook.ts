// The runbook (SOP) template: one markdown document per problem class and subject, written from closed incidents:
// when it applies, how to confirm, what Argus does and when it gives up, what worked before, steps with verify and undo.
import type { IncidentBrief, IncidentSummary, Pattern, ProblemSummary } from './schemas.js';
import { postmortemPath } from './doc-paths.js';
import { bullets, cell, humanBlock, table } from './markdown.js';
import { guideFor, type Guide } from './runbook-steps.js';
import { actionWords, durationWords, minuteOf, rcaSourceWords, resultWords } from './words.js';

export { runbookPath } from './doc-paths.js';

/** A fenced shell block; the commands are built from shell-quoted words only (runbook-steps.ts), never raw host text. */
function shell(commands: readonly string[]): string {
  return commands.length ? ['```sh', ...commands, '```', ''].join('\n') : '';
}

const FIX_WORDS: Record<string, string> = {
  restart_service: 'a restart by Argus',
  clean_disk: 'the disk cleanup by Argus',
  kill_pid: 'a kill by Argus',
  kill_tmux: 'ending the tmux session',
};

/** How a closed incident ended, in words. */
export function endedWords(b: IncidentBrief): string {
  const beads = b.bead_ids.length ? ` (bead ${b.bead_ids.join(', ')})` : '';
  if (b.gave_up)
    return `Argus gave up after ${b.attempts} attempt${b.attempts === 1 ? '' : 's'}; it ended later${beads}`;
  if (b.fixed_by) return `${FIX_WORDS[b.fixed_by] ?? b.fixed_by}${beads}`;
  return `ended by itself, no fix from Argus${beads}`;
}

/** "Of 5 closed incidents: a restart by Argus fixed 4; 1 ended by itself." — from every closed incident of the window. */
export function workedSummary(outcomes: Readonly<Record<string, number>>): string | null {
  const n = Object.values(outcomes).reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const words = (key: string, c: number) =>
    key === 'gave_up'
      ? `Argus gave up on ${c}`
      : key === 'none'
        ? `${c} ended by itself`
        : `${FIX_WORDS[key] ?? key} fixed ${c}`;
  const parts = Object.entries(outcomes)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, c]) => words(k, c));
  return `Of ${n} closed incident${n === 1 ? '' : 's'}: ${parts.join('; ')}.`;
}

const RANK = ['info', 'warning', 'critical'];
const worst = (severities: readonly string[]): string =>
  [...severities].sort((a, b) => RANK.indexOf(a) - RANK.indexOf(b)).at(-1) ?? 'none';

const RESULT_ORDER = ['success', 'failure', 'refused', 'skipped', 'dry_run'];
const resultOrder = (r: string): number => (RESULT_ORDER.includes(r) ? RESULT_ORDER.indexOf(r) : RESULT_ORDER.length);

/** Actions seen in the window, as a person reads them: "restart api.service: done 6, skipped 16". */
function actionLines(p: ProblemSummary): string[] {
  return Object.entries(p.actions).map(([key, results]) => {
    const counts = Object.entries(results)
      .sort(([a], [b]) => resultOrder(a) - resultOrder(b))
      .map(
        ([r, n]) =>
          `${resultWords(r)} ${n}${r === 'skipped' && key.startsWith('restart_service:') ? ' (waiting out the backoff)' : ''}`,
      )
      .join(', ');
    return `${cell(actionWords(key))}: ${counts}`;
  });
}

/** Everything a runbook prints besides the summary itself: the facts check reads it as a source. */
export interface RunbookView {
  guide: Guide;
  actions: string[];
  worked: string | null;
  closed: Array<{ opened: string; lasted: string; ended: string; cause: string; postmortem: string | null }>;
  causes: string[];
  postmortems: string[];
}

export function runbookView(p: ProblemSummary, incidents: readonly IncidentSummary[]): RunbookView {
  const mine = incidents.filter((i) => i.identity === p.identity);
  const pmOf = new Map(mine.map((i) => [i.incident_id, postmortemPath(i)]));
  return {
    guide: guideFor(p),
    actions: actionLines(p),
    worked: workedSummary(p.closed_outcomes),
    closed: p.closed.map((b) => ({
      opened: minuteOf(b.opened),
      lasted: durationWords(b.duration_s),
      ended: endedWords(b),
      cause: b.cause ?? 'no diagnosis',
      postmortem: pmOf.get(b.incident_id) ?? null,
    })),
    // Only analyses that said something: "unknown" with no words is no knowledge.
    causes: p.rca
      .filter((r) => r.summary)
      .map(
        (r) =>
          `${rcaSourceWords(r.source)}, ${minuteOf(r.ts)}: ${r.verdict === 'cause_found' ? r.summary : `cause ${r.verdict} (${r.summary})`}`,
      ),
    postmortems: mine.map((i) => postmortemPath(i)),
  };
}

export function renderRunbook(
  p: ProblemSummary,
  patterns: readonly Pattern[],
  incidents: readonly IncidentSummary[] = [],
): string {
  const v = runbookView(p, incidents);
  const g = v.guide;
  const mine = patterns.filter((x) => x.identity === p.identity);
  const link = (path: string) => `[${cell(path.slice(path.lastIndexOf('/') + 1))}](../${path})`;
  const out: string[] = [];
  out.push(`# Runbook: ${cell(p.identity)}`, '');
  out.push(
    '<!-- Generated by argus chronicle from the registry. Edit only the notes section: the rest is rewritten. -->',
    '',
  );
  out.push(`**When it applies.** ${g.applies}`, '');
  const open = p.still_open ? `, ${p.still_open} still open` : '';
  out.push(
    `Seen from ${minuteOf(p.first_seen)} to ${minuteOf(p.last_seen)} UTC: ${p.opened} incident${p.opened === 1 ? '' : 's'} opened, ${p.closed.length} closed${open}; worst severity ${worst(p.severities)}.`,
    '',
  );
  out.push('## Confirm', '');
  out.push(g.confirm.length ? shell(g.confirm) : '_Nothing to run: see the evidence below._\n');
  out.push('## What Argus does by itself', '');
  out.push(bullets([...g.automatic, ...(v.actions.length ? [`In this window: ${v.actions.join('; ')}.`] : [])]));
  out.push('## What has worked before', '');
  if (v.worked) out.push(v.worked, '');
  out.push(
    table(
      ['Opened (UTC)', 'Lasted', 'How it ended', 'Cause', 'Post-mortem'],
      v.closed.map((c) => [c.opened, c.lasted, c.ended, c.cause, c.postmortem ? link(c.postmortem) : '']),
    ),
  );
  out.push('## Known causes', '');
  out.push(v.causes.length ? bullets(v.causes.map(cell)) : '_No diagnosis has named a cause yet._\n');
  out.push('## Steps (in order)', '');
  g.steps.forEach((s, i) => {
    out.push(`### ${i + 1}. ${s.title}`, '');
    if (s.run.length) out.push(shell(s.run));
    out.push(bullets([`Verify: ${s.verify}`, `Roll back: ${s.rollback}`]));
  });
  if (g.steps.length === 0) out.push('_No manual step is known for it._', '');
  out.push('## Evidence', '');
  const folded = p.evidence.count - p.evidence_rows.reduce((n, r) => n + r.count, 0);
  out.push(
    `${p.evidence.count} detection${p.evidence.count === 1 ? '' : 's'} in the window, the same observation said once:`,
    '',
  );
  out.push(
    table(
      ['First (UTC)', 'Last (UTC)', 'Times', 'What Argus saw'],
      p.evidence_rows.map((r) => [minuteOf(r.first), minuteOf(r.last), String(r.count), r.description]),
    ),
  );
  if (folded > 0) out.push(`_${folded} earlier detections with other descriptions are not shown._`, '');
  out.push('## Patterns', '');
  out.push(bullets(mine.map((x) => `**${cell(x.title)}.** ${cell(x.recommendation)}`)));
  if (v.postmortems.length) out.push('## Post-mortems', '', bullets(v.postmortems.map(link)));
  out.push('## History', '');
  out.push(
    table(
      ['Day (UTC)', 'Detections', 'Opened', 'Resolved', 'Actions', 'Failures'],
      p.days.map((d) => [
        d.day,
        String(d.detections),
        String(d.opened),
        String(d.resolved),
        String(d.actions),
        String(d.failures),
      ]),
    ),
  );
  out.push('## Notes', '', humanBlock(), '');
  return out.join('\n');
}
