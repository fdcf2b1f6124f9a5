// Chat commands: /status /incidents /ack /silence /unsilence /problems /help. Arguments are parsed and validated
// (matchers by normalizeMatcher, durations by parseDuration); no text from Telegram reaches a shell or a prompt.
// Replies are short HTML for a phone. Commands that change state leave one registry record each.
import type { StatePaths } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { RouterStateSchema, emptyRouterState } from '../agents/router/route.js';
import type { Incident } from '../agents/router/incidents.js';
import { safeText } from '../agents/executor/sanitise.js';
import { parseDuration, parseSince } from '../model/duration.js';
import { telegramHtml } from '../model/escape.js';
import type { ProblemRecord } from '../model/record.js';
import { readCycleState } from '../orchestrator/cycle-state.js';
import { activeSilences, addSilence, normalizeMatcher, removeSilence } from '../orchestrator/silences.js';
import { readJsonState, writeJsonAtomic } from '../state/atomic.js';
import type { ApprovalStore, Person } from '../state/approvals.js';
import type { Lock } from '../state/lock.js';
import type { Registry } from '../state/registry.js';
import { typeOfIdentity } from './ask.js';

export interface CommandDeps {
  config: Config;
  paths: StatePaths;
  registry: Registry;
  store: ApprovalStore;
  now(): Date;
  /** The single-instance lock (/ack writes incidents.json, which a cycle rewrites). */
  acquireLock(): Promise<Lock | null>;
  host: string;
}

/** Longest silence from the chat (a typo of 300d should not mute a host for most of a year). */
const MAX_SILENCE_MS = 30 * 86_400_000;

export const HELP = [
  '<b>Argus commands</b>',
  '/status — last cycle, open incidents, silences, pending approvals',
  '/incidents — open incidents, numbered',
  '/ack &lt;n|incident&gt; — stop reminders for an incident (still recorded)',
  '/silence &lt;matcher&gt; &lt;duration&gt; [reason] — e.g. /silence service:nginx 2h deploy',
  '/unsilence &lt;id&gt; — end a silence',
  '/problems [24h] — what the registry saw',
  '/help — this list',
].join('\n');

/** `/cmd@bot a b` → { name: 'cmd', args: ['a','b'] }; null when the text is not a command. */
export function parseCommand(text: string): { name: string; args: string[] } | null {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return null;
  const args = (m[2] ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 20);
  return { name: m[1]!.toLowerCase(), args };
}

const ago = (iso: string | null, now: Date): string => {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  return s < 120
    ? `${s}s ago`
    : s < 7200
      ? `${Math.round(s / 60)} min ago`
      : s < 172_800
        ? `${(s / 3600).toFixed(1)} h ago`
        : `${(s / 86_400).toFixed(1)} d ago`;
};

function openIncidents(paths: StatePaths): Incident[] {
  const state = readJsonState(paths.incidents, RouterStateSchema, emptyRouterState);
  return Object.values(state.incidents).sort(
    (a, b) => a.openedAt.localeCompare(b.openedAt) || a.identity.localeCompare(b.identity),
  );
}

/** Run one command from an authorised person; returns the HTML reply. */
export async function runCommand(deps: CommandDeps, name: string, args: string[], by: Person): Promise<string> {
  const now = deps.now();
  switch (name) {
    case 'start':
    case 'help':
      return HELP;
    case 'status':
      return status(deps, now);
    case 'incidents':
      return incidents(deps, now);
    case 'ack':
      return ack(deps, args, by, now);
    case 'silence':
      return silence(deps, args, by, now);
    case 'unsilence':
      return unsilence(deps, args, by, now);
    case 'problems':
      return problems(deps, args, now);
    default:
      return `Unknown command /${telegramHtml(safeText(name, 32))}. /help lists them.`;
  }
}

function status(deps: CommandDeps, now: Date): string {
  const cycle = readCycleState(deps.paths.cycleState);
  const stale =
    cycle.lastFinishedAt === null ||
    now.getTime() - Date.parse(cycle.lastFinishedAt) > 2 * deps.config.intervalSec * 1000;
  const open = openIncidents(deps.paths);
  const pending = deps.store.list().filter((a) => a.status === 'pending').length;
  const health =
    cycle.lastOk === false
      ? `❌ failed: ${telegramHtml(cycle.lastError ?? '?')}`
      : cycle.lastOk
        ? '✅ ok'
        : '— no cycle yet';
  return [
    `<b>${telegramHtml(deps.host)}</b>: last cycle ${ago(cycle.lastFinishedAt, now)}${stale ? ' <b>STALE</b>' : ''}, ${health}`,
    `Open incidents: ${open.length}${
      open.length
        ? ` (${open
            .map((i) => telegramHtml(i.identity))
            .slice(0, 5)
            .join(', ')}${open.length > 5 ? ', …' : ''})`
        : ''
    }`,
    `Silences: ${activeSilences(deps.paths.silences, now).length} · pending approvals: ${pending}`,
  ].join('\n');
}

function incidents(deps: CommandDeps, now: Date): string {
  const open = openIncidents(deps.paths);
  if (!open.length) return 'No open incidents.';
  return open
    .slice(0, 20)
    .map(
      (i, n) =>
        `${n + 1}. ${i.severity === 'critical' ? '🔴' : '🟠'} <code>${telegramHtml(i.identity)}</code> — ${telegramHtml(i.lastFinding.description.slice(0, 120))} (opened ${ago(i.openedAt, now)}${i.ackedAt ? ', acked' : ''})`,
    )
    .join('\n');
}

async function ack(deps: CommandDeps, args: string[], by: Person, now: Date): Promise<string> {
  const wanted = args[0];
  if (!wanted) return 'Usage: /ack &lt;n|incident&gt; — the number from /incidents, an identity or an incident id.';
  const lock = await deps.acquireLock();
  if (!lock) return 'Argus is busy with a cycle: try /ack again in a minute.';
  try {
    const state = readJsonState(deps.paths.incidents, RouterStateSchema, emptyRouterState);
    const open = Object.values(state.incidents).sort(
      (a, b) => a.openedAt.localeCompare(b.openedAt) || a.identity.localeCompare(b.identity),
    );
    const n = /^\d{1,3}$/.test(wanted) ? Number(wanted) : NaN;
    const inc = Number.isInteger(n) ? open[n - 1] : open.find((i) => i.identity === wanted || i.incidentId === wanted);
    if (!inc) return `No open incident ${telegramHtml(safeText(wanted, 80))}. /incidents lists them.`;
    if (inc.ackedAt) return `Already acknowledged by ${telegramHtml(inc.ackedBy ?? '?')}.`;
    state.incidents[inc.identity] = { ...inc, ackedAt: now.toISOString(), ackedBy: `${by.name} (${by.id})` };
    writeJsonAtomic(deps.paths.incidents, state);
    recordCommand(
      deps,
      now,
      by,
      inc.identity,
      inc.incidentId,
      `acknowledged ${inc.identity} by ${by.name} (${by.id}): no more reminders`,
      { command: 'ack' },
    );
    return `Acknowledged <code>${telegramHtml(inc.identity)}</code>: no more reminders (still recorded; told again if it gets worse).`;
  } finally {
    lock.release();
  }
}

function silence(deps: CommandDeps, args: string[], by: Person, now: Date): string {
  const [matcher, duration, ...rest] = args;
  if (!matcher || !duration)
    return 'Usage: /silence &lt;matcher&gt; &lt;duration&gt; [reason], e.g. /silence service:nginx 2h deploy';
  const normal = normalizeMatcher(matcher);
  if ('error' in normal) return telegramHtml(normal.error);
  const ms = parseDuration(duration);
  if (ms === null) return `Duration must look like 30m, 2h or 1d, not ${telegramHtml(safeText(duration, 40))}.`;
  if (ms > MAX_SILENCE_MS) return 'At most 30 days from the chat (argus silence on the host for longer).';
  const reason = rest.length ? safeText(rest.join(' '), 200) : null;
  const s = addSilence(
    deps.paths.silences,
    normal.matcher,
    new Date(now.getTime() + ms),
    now,
    `${reason ?? 'from Telegram'} — ${by.name} (${by.id})`,
  );
  recordCommand(
    deps,
    now,
    by,
    null,
    null,
    `silenced ${s.matcher} until ${s.until} (${s.id}) by ${by.name} (${by.id})`,
    { command: 'silence', silence: s.id, matcher: s.matcher, until: s.until },
  );
  return `Silenced <code>${telegramHtml(s.matcher)}</code> until ${s.until.slice(0, 16).replace('T', ' ')} UTC (id <code>${s.id}</code>). Still recorded.`;
}

function unsilence(deps: CommandDeps, args: string[], by: Person, now: Date): string {
  const id = args[0];
  if (!id || !/^s-[0-9a-f]{1,16}$/.test(id))
    return 'Usage: /unsilence &lt;id&gt; (the s-… id /silence gave; /status counts them).';
  if (!removeSilence(deps.paths.silences, id, now)) return `No silence ${telegramHtml(id)}.`;
  recordCommand(deps, now, by, null, null, `removed silence ${id} by ${by.name} (${by.id})`, {
    command: 'unsilence',
    silence: id,
  });
  return `Removed silence <code>${telegramHtml(id)}</code>.`;
}

async function problems(deps: CommandDeps, args: string[], now: Date): Promise<string> {
  const since = args[0] ?? '24h';
  const from = parseSince(since, now);
  if (from === null)
    return `Since must look like 30m, 24h, 7d or an ISO date, not ${telegramHtml(safeText(since, 40))}.`;
  const counts = new Map<string, { n: number; worst: string; last: string }>();
  for await (const r of deps.registry.query({ sinceMs: from, kind: 'detection' })) {
    const key = r.identity ?? r.type;
    const c = counts.get(key) ?? { n: 0, worst: 'info', last: r.description };
    c.n++;
    if (r.severity === 'critical' || (r.severity === 'warning' && c.worst === 'info')) c.worst = r.severity;
    c.last = r.description;
    counts.set(key, c);
  }
  if (!counts.size) return `Nothing detected since ${telegramHtml(since)}.`;
  const rows = [...counts.entries()].sort((a, b) => b[1].n - a[1].n).slice(0, 10);
  return [
    `<b>Since ${telegramHtml(since)}</b> (${counts.size} identities):`,
    ...rows.map(
      ([id, c]) =>
        `${c.worst === 'critical' ? '🔴' : c.worst === 'warning' ? '🟠' : '⚪'} <code>${telegramHtml(id)}</code> ×${c.n} — ${telegramHtml(c.last.slice(0, 100))}`,
    ),
  ].join('\n');
}

function recordCommand(
  deps: CommandDeps,
  now: Date,
  by: Person,
  identity: string | null,
  incidentId: string | null,
  description: string,
  details: Record<string, unknown>,
): void {
  const r: ProblemRecord = {
    ts: now.toISOString(),
    severity: 'info',
    type: typeOfIdentity(identity),
    description: safeText(description, 500),
    action_taken: null,
    action_result: null,
    bead_id: null,
    host: deps.host,
    kind: 'decision',
    identity,
    incident_id: incidentId,
    source: 'human',
    cycle_id: null,
    details: { ...details, by: { id: safeText(by.id, 40), name: safeText(by.name, 80) } },
  };
  try {
    deps.registry.append([r]);
  } catch {
    // a full disk: the change itself is in its state file
  }
}
