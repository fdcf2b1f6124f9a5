// Checks a replay against the scenario's expectations; each failure is one readable sentence.
import type { ActionNote, ScenarioResult } from './outcome.js';
import type { Scenario } from './scenario.js';

const INERT = new Set(['refused', 'skipped']);
const THINKER_FAILED = /(evaluator analysis|diagnosis of \S+|planner for \S+) failed/;

function matches(a: ActionNote, want: { action: string; target?: string; result?: string; source?: string }): boolean {
  if (a.action !== want.action) return false;
  if (want.source !== undefined && a.source !== want.source) return false;
  if (want.target !== undefined && a.target !== want.target && !a.target.includes(want.target)) return false;
  return want.result === undefined ? true : a.result === want.result;
}

function seen(actions: ActionNote[]): string {
  if (actions.length === 0) return 'no actions at all';
  const counts = new Map<string, number>();
  for (const a of actions)
    counts.set(`${a.action}:${a.target}=${a.result}`, (counts.get(`${a.action}:${a.target}=${a.result}`) ?? 0) + 1);
  return [...counts].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ');
}

export function checkExpectations(s: Scenario, r: ScenarioResult): string[] {
  const e = s.expect;
  const reasons: string[] = [];
  if (r.failedCycles > 0) reasons.push(`${r.failedCycles} cycles failed: ${r.errors.slice(0, 3).join('; ')}`);

  for (const want of e.actions) {
    const hits = r.actions.filter(
      (a) =>
        matches(a, want) &&
        (want.byMin === undefined || a.minute <= want.byMin) &&
        (want.afterMin === undefined || a.minute >= want.afterMin),
    );
    const label = `${want.action}${want.target ? ` ${want.target}` : ''}${want.source ? ` (source ${want.source})` : ''}${want.result ? ` → ${want.result}` : ''}${want.afterMin !== undefined ? ` from t=${want.afterMin} min` : ''}${want.byMin !== undefined ? ` by t=${want.byMin} min` : ''}`;
    if (hits.length < want.min) {
      const late = r.actions.filter((a) => matches(a, want));
      const when =
        late.length > 0 && want.byMin !== undefined ? ` (it happened first at t=${late[0]!.minute} min, too late)` : '';
      reasons.push(
        `expected ${want.min > 1 ? `at least ${want.min}× ` : ''}${label}, saw ${hits.length}${when}; actions: ${seen(r.actions)}`,
      );
    }
    if (want.max !== undefined && hits.length > want.max)
      reasons.push(`expected at most ${want.max}× ${label}, saw ${hits.length}`);
  }
  for (const ban of e.forbid) {
    const hits = r.actions.filter(
      (a) =>
        matches(a, ban) &&
        (ban.result !== undefined || !INERT.has(a.result)) &&
        (ban.beforeMin === undefined || a.minute < ban.beforeMin),
    );
    if (hits.length > 0)
      reasons.push(
        `forbidden ${ban.action}${ban.target ? ` ${ban.target}` : ''}${ban.source ? ` (source ${ban.source})` : ''}${ban.beforeMin !== undefined ? ` before t=${ban.beforeMin} min` : ''} happened ${hits.length}× (first at t=${hits[0]!.minute} min: ${hits[0]!.result} — ${hits[0]!.reason})`,
      );
  }
  if (e.maxAlerts !== undefined && r.alerts.length > e.maxAlerts) {
    reasons.push(
      `expected at most ${e.maxAlerts} alerts, sent ${r.alerts.length}: ${r.alerts
        .slice(0, 5)
        .map((a) => `t=${a.minute} "${a.text.split('\n')[0]!.slice(0, 80)}"`)
        .join('; ')}`,
    );
  }
  if (e.minAlerts !== undefined && r.alerts.length < e.minAlerts)
    reasons.push(`expected at least ${e.minAlerts} alerts, sent ${r.alerts.length}`);
  if (e.maxBeads !== undefined && r.beads.opened > e.maxBeads)
    reasons.push(
      `expected at most ${e.maxBeads} beads, opened ${r.beads.opened}: ${r.beads.titles.slice(0, 3).join('; ')}`,
    );
  if (e.minBeads !== undefined && r.beads.opened < e.minBeads)
    reasons.push(`expected at least ${e.minBeads} beads, opened ${r.beads.opened}`);
  for (const want of e.incidents) {
    const inc = r.incidents.find((i) => i.identity === want.identity);
    const opened = (inc?.openedAtMin.length ?? 0) > 0;
    if (opened !== want.opened) {
      const others = r.incidents.filter((i) => i.openedAtMin.length > 0).map((i) => i.identity);
      reasons.push(
        `expected incident ${want.identity} ${want.opened ? 'to open' : 'not to open'}, it ${opened ? 'did' : 'did not'} (opened: ${others.join(', ') || 'none'})`,
      );
    }
    if (want.resolved !== undefined) {
      const resolved = (inc?.resolvedAtMin.length ?? 0) > 0;
      if (resolved !== want.resolved)
        reasons.push(
          `expected incident ${want.identity} ${want.resolved ? 'to be resolved' : 'to stay open'}, it ${resolved ? 'was resolved' : 'was not resolved'}`,
        );
    }
  }
  for (const text of e.alertMentions) {
    if (!r.alerts.some((a) => a.text.includes(text)))
      reasons.push(`expected an alert mentioning "${text}", none did (${r.alerts.length} alerts)`);
  }
  for (const f of e.files) {
    const seen = r.files?.find((x) => x.path === f.path);
    if (seen && seen.exists !== f.exists)
      reasons.push(
        `expected ${f.path} to ${f.exists ? 'still exist' : 'be removed'}, it ${seen.exists ? 'is still there' : 'is gone'}`,
      );
  }
  if (e.telegram) reasons.push(...checkTelegram(e.telegram, r));
  for (const text of e.alertsNeverMention) {
    const bad = r.alerts.find((a) => a.text.includes(text));
    if (bad) reasons.push(`expected no alert to mention "${text.slice(0, 40)}", the t=${bad.minute} alert did`);
  }
  if (e.quiet) {
    const acted = r.actions.filter((a) => a.action !== 'alert' && !INERT.has(a.result));
    if (r.alerts.length > 0 || acted.length > 0)
      reasons.push(`expected silence, saw ${r.alerts.length} alerts and ${acted.length} actions (${seen(acted)})`);
  }
  reasons.push(...checkModel(s, r));
  return reasons;
}

function checkModel(s: Scenario, r: ScenarioResult): string[] {
  const m = r.model;
  const want = s.expect.model;
  const reasons = [...m.unexpected];
  // With a scripted model, the model's part of the cycle must work: a thinker that threw never reached the model.
  if (m.mode === 'scripted')
    reasons.push(
      ...r.warnings.filter((w) => THINKER_FAILED.test(w)).map((w) => `the model's part of a cycle failed: ${w}`),
    );
  if (m.unused > 0) reasons.push(`${m.unused} scripted model replies were never served (${m.calls} calls made)`);
  if (!want) return reasons;
  const tokens = m.inputTokens + m.outputTokens;
  if (want.maxCalls !== undefined && m.calls > want.maxCalls)
    reasons.push(`expected at most ${want.maxCalls} model calls, saw ${m.calls} (${agents(r)})`);
  if (want.minCalls !== undefined && m.calls < want.minCalls)
    reasons.push(`expected at least ${want.minCalls} model calls, saw ${m.calls}`);
  if (want.maxTokens !== undefined && tokens > want.maxTokens)
    reasons.push(`expected at most ${want.maxTokens} model tokens, used ${tokens}`);
  if (want.neverSent?.length)
    reasons.push(...m.leaks.map((l) => `the model must never be sent a planted secret: ${l}`));
  if (want.proposalsRefused === true) {
    if (m.proposals.length === 0)
      reasons.push('expected the model to propose tool calls that are refused, it proposed none');
    for (const p of m.proposals.filter((x) => x.refused !== true)) {
      reasons.push(
        `expected the model's ${p.name} ${JSON.stringify(p.input)} to be refused, it was ${p.refused === null ? 'never answered' : `run: ${p.result ?? ''}`}`,
      );
    }
  }
  return reasons;
}

const agents = (r: ScenarioResult) =>
  Object.entries(r.model.byAgent)
    .map(([a, v]) => `${a} ${v.calls}`)
    .join(', ') || 'none';

/** A delivered message as a person reads it: tags gone, entities back. */
const plainText = (html: string): string =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Each alert's words (its first line without the icon and severity word) must reach the chat once, in raise order. */
function checkTelegram(want: NonNullable<Scenario['expect']['telegram']>, r: ScenarioResult): string[] {
  const messages = (r.telegram ?? []).map((m) => ({ ...m, text: plainText(m.text) }));
  const reasons: string[] = [];
  if (want.maxMessages !== undefined && messages.length > want.maxMessages)
    reasons.push(`expected at most ${want.maxMessages} Telegram messages, the chat got ${messages.length}`);
  let at = 0;
  for (const a of r.alerts) {
    const key = (a.text.split('\n')[0] ?? '').replace(/^\S+ [A-Z]+ /, '').slice(0, 80);
    const where = messages.findIndex((m, i) => i >= at && m.text.includes(key));
    const anywhere = messages.findIndex((m) => m.text.includes(key));
    if (want.allDeliveredOnce && anywhere < 0)
      reasons.push(`the t=${a.minute} alert never reached the chat: "${key.slice(0, 50)}"`);
    else if (want.inOrder && where < 0 && anywhere >= 0)
      reasons.push(`the t=${a.minute} alert reached the chat out of order: "${key.slice(0, 50)}"`);
    if (where >= 0) at = where;
  }
  if (want.allDeliveredOnce) {
    const keys = r.alerts.map((a) => (a.text.split('\n')[0] ?? '').replace(/^\S+ [A-Z]+ /, '').slice(0, 80));
    for (const key of new Set(keys)) {
      const sent = messages.reduce((n, m) => n + m.text.split(key).length - 1, 0);
      const raised = keys.filter((k) => k === key).length;
      if (sent > raised)
        reasons.push(`"${key.slice(0, 50)}" reached the chat ${sent} times for ${raised} alerts (delivered twice)`);
    }
  }
  return reasons;
}
