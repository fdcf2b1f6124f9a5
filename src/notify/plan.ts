// Fit one delivery into Telegram: at most two messages per chat; the alerts that do not fit become one summary line.
import type { Severity } from '../model/finding.js';
import { escapeHtml, MESSAGE_LIMIT, renderAlerts, splitLines, stripControl, type Chunk, type Line } from './format.js';
import type { AlertMessage } from './notifier.js';

/** One delivery (a cycle's alerts and whatever waits in the outbox) is at most this many messages per chat. */
export const MAX_MESSAGES = 2;
/** The summary names identities up to this many characters (as sent), then counts the rest. */
const SUMMARY_NAMES_LIMIT = 1000;
/** Room kept for the summary line while choosing what is shown in full. */
const SUMMARY_RESERVE = SUMMARY_NAMES_LIMIT + 200;

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** `--since` wide enough to reach back to `oldest` (never under 10m, the example an operator knows). */
export function sinceFor(oldest: number, now: Date): string {
  const ms = Number.isFinite(oldest) ? now.getTime() - oldest : 0;
  const minutes = Math.max(10, Math.ceil(ms / 60_000) + 1);
  if (minutes <= 120) return `${minutes}m`;
  const hours = Math.ceil(minutes / 60);
  return hours <= 48 ? `${hours}h` : `${Math.ceil(hours / 24)}d`;
}

/**
 * The line that stands for alerts not shown in full: how many, by severity, their identities (named while they fit,
 * then counted), and the command that lists them. Delivering it delivers them: they leave the outbox with it.
 */
function summaryLine(rest: readonly AlertMessage[], now: Date): Line & { completes: string[] } {
  const bySeverity = (['critical', 'warning', 'info'] as const)
    .map((s) => [s, rest.filter((a) => a.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const counts = new Map<string, number>();
  for (const alert of rest) if (alert.identity) counts.set(alert.identity, (counts.get(alert.identity) ?? 0) + 1);
  const names: string[] = [];
  let size = 0;
  let named = 0;
  for (const [identity, n] of counts) {
    const name = `${stripControl(identity).replace(/[\r\n\t]+/g, ' ')}${n > 1 ? ` ×${n}` : ''}`;
    const cost = escapeHtml(name).length + 2;
    if (size + cost > SUMMARY_NAMES_LIMIT) continue; // counted below; a shorter one may still fit
    names.push(name);
    size += cost;
    named += n;
  }
  const others = rest.length - named;
  const list = [...names, ...(others > 0 ? [`+${others} other${others === 1 ? '' : 's'}`] : [])].join(', ');
  const head = `+${rest.length} more ${rest.length === 1 ? 'alert' : 'alerts'}`;
  const oldest = Math.min(...rest.map((a) => Date.parse(a.ts)).filter(Number.isFinite));
  const tail = ` (${bySeverity}): ${list} — argus problems --since ${sinceFor(oldest, now)}`;
  return { html: `<b>${head}</b>${escapeHtml(tail)}`, plain: `${head}${tail}`, completes: rest.map((a) => a.id) };
}

const sentSize = (lines: readonly Line[]): number => lines.reduce((sum, l) => sum + l.html.length + 1, 0);

/**
 * The messages for one delivery, in order, each chunk naming the alert ids it completes. When everything fits in
 * `maxMessages`, that is today's aggregate message (split at line boundaries). Otherwise the alerts shown in full are
 * chosen most severe first, then oldest first (an outbox backlog from an outage is older than this cycle's news), and
 * shown in their delivery order; every other alert is summarized in the last message's final line, named or counted.
 * Each alert's text is already capped (renderAlerts), so one alert alone always fits one message.
 */
export function planMessages(
  hostname: string,
  alerts: readonly AlertMessage[],
  now: Date,
  options: { maxMessages?: number; limit?: number } = {},
): Chunk[] {
  const maxMessages = options.maxMessages ?? MAX_MESSAGES;
  const limit = options.limit ?? MESSAGE_LIMIT;
  if (alerts.length === 0) return [];
  // Each alert rendered (and capped) once; a message is the header, then blocks in delivery order.
  const [header] = renderAlerts(hostname, [], now, alerts.length);
  const blocks = alerts.map((a) => renderAlerts(hostname, [a], now).slice(1));
  const compose = (shown: ReadonlySet<number> | null): Chunk[] => {
    const lines = [header!, ...blocks.filter((_, i) => !shown || shown.has(i)).flat()];
    const rest = shown ? alerts.filter((_, i) => !shown.has(i)) : [];
    return splitLines(rest.length > 0 ? [...lines, summaryLine(rest, now)] : lines, limit);
  };
  const whole = compose(null);
  if (whole.length <= maxMessages) return whole;

  const blockSize = blocks.map(sentSize);
  const capacity = maxMessages * limit - SUMMARY_RESERVE - sentSize([header!]);
  const order = alerts.map((_, i) => i).sort((x, y) => RANK[alerts[x]!.severity] - RANK[alerts[y]!.severity] || x - y);
  const shown = new Set<number>();
  let used = 0;
  for (const i of order) {
    // A cheap necessary condition first; the real split (line boundaries waste room) decides.
    if (used + blockSize[i]! > capacity) continue;
    shown.add(i);
    if (compose(shown).length <= maxMessages) used += blockSize[i]!;
    else shown.delete(i);
  }
  return compose(shown);
}
