// What the fleet receiver says: the Telegram message of a group notification, the bead's title, description, comment
// and close reason. Plain text: label and annotation values are host data, made one line and bounded here; the
// notifier escapes them for Telegram HTML (the alert action), bd gets them as argument values, never through a shell.
import { formatAge } from '../agents/executor/playbooks.js';
import type { Severity } from '../model/finding.js';
import { oneLine } from '../model/escape.js';
import type { GroupRecord } from './group-state.js';
import type { Webhook, WebhookAlert } from './webhook-schema.js';

/** Alerts listed one per line; the rest are counted (the whole group is in Alertmanager, behind the link). */
export const LISTED_ALERTS = 20;

const field = (text: string | undefined, max: number): string => {
  const line = oneLine(text ?? '').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

export interface AlertLine {
  host: string;
  identity: string;
  severity: string;
  summary: string;
  firing: boolean;
}

/** One alert as a person reads it: host, identity, severity and summary from the labels and annotations. */
export function alertLine(a: WebhookAlert, common: Record<string, string> = {}): AlertLine {
  return {
    host: field(a.labels.host ?? a.labels.instance, 80) || '?',
    identity: field(a.labels.identity ?? a.labels.alertname, 120) || '?',
    severity: field(a.labels.severity, 20) || 'none',
    summary: field(a.annotations.summary ?? a.annotations.description ?? common.summary ?? common.description, 300),
    firing: a.status === 'firing',
  };
}

/** The Argus severity of a group: its worst firing alert (`critical`, else `warning`); a resolution is `info`. */
export function groupSeverity(w: Pick<Webhook, 'status' | 'alerts'>): Severity {
  if (w.status === 'resolved') return 'info';
  return w.alerts.some((a) => a.status === 'firing' && a.labels.severity === 'critical') ? 'critical' : 'warning';
}

const hostsOf = (lines: readonly AlertLine[]): string[] => [...new Set(lines.map((l) => l.host))].sort();
/** Hosts named in a headline: the first ten, then a count. */
const HOSTS_NAMED = 10;
const hostList = (hosts: readonly string[]): string =>
  hosts.length <= HOSTS_NAMED
    ? hosts.join(', ')
    : `${hosts.slice(0, HOSTS_NAMED).join(', ')} +${hosts.length - HOSTS_NAMED} more`;
const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The group's labels in one line: `ArgusIncident disk:/` (values only, in Alertmanager's order). */
export function groupTitle(w: Pick<Webhook, 'groupLabels'>): string {
  return field(Object.values(w.groupLabels).join(' '), 160) || 'all alerts';
}

/** Alertmanager's page of this group's alerts (the matchers of its group labels), or null when the URL is not http(s). */
export function alertmanagerLink(w: Pick<Webhook, 'externalURL' | 'groupLabels'>): string | null {
  let base: URL;
  try {
    base = new URL(w.externalURL);
  } catch {
    return null;
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return null;
  const matchers = Object.entries(w.groupLabels).map(([k, v]) => `${k}="${v.replace(/[\\"]/g, '\\$&')}"`);
  const page = `${base.origin}${base.pathname.replace(/\/$/, '')}/#/alerts`;
  return matchers.length ? `${page}?filter=${encodeURIComponent(`{${matchers.join(',')}}`)}` : page;
}

function alertList(w: Webhook): string[] {
  const lines = w.alerts.map((a) => alertLine(a, w.commonAnnotations));
  // Firing first: what a person must look at.
  const ordered = [...lines.filter((l) => l.firing), ...lines.filter((l) => !l.firing)];
  const shown = ordered.slice(0, LISTED_ALERTS).map((l) => {
    const ended = l.firing || w.status === 'resolved' ? '' : ' (resolved)';
    return `• ${l.host} · ${l.identity} · ${l.severity}${ended}${l.summary ? ` — ${l.summary}` : ''}`;
  });
  const more = ordered.length - shown.length + w.truncatedAlerts;
  if (more > 0) shown.push(`… and ${plural(more, 'more alert')} (see Alertmanager)`);
  return shown;
}

/**
 * How long the fleet incident lasted: from the earliest alert's start (or when the receiver first heard of it) to the
 * latest alert's end (Alertmanager's zero time, year 1, means "not ended": then now).
 */
function lasted(w: Webhook, group: GroupRecord, now: Date): string {
  const starts = w.alerts.map((a) => Date.parse(a.startsAt)).filter((t) => Number.isFinite(t) && t > 0);
  const ends = w.alerts.map((a) => Date.parse(a.endsAt)).filter((t) => Number.isFinite(t) && t > 0);
  const from = Math.min(Date.parse(group.openedAt), ...starts);
  const to = ends.length > 0 ? Math.max(...ends) : now.getTime();
  return formatAge(Math.max(0, to - from) / 1000);
}

const ICON: Record<Severity, string> = { critical: '🔴', warning: '🟠', info: '✅' };

/** The one Telegram message of a group notification. */
export function groupMessage(w: Webhook, group: GroupRecord, now: Date): string {
  const lines = w.alerts.map((a) => alertLine(a));
  const link = alertmanagerLink(w);
  const tail = link ? [`Alertmanager: ${link}`] : [];
  if (w.status === 'resolved') {
    const hosts = hostsOf(lines);
    return [
      `${ICON.info} RESOLVED fleet: ${groupTitle(w)} on ${plural(hosts.length, 'host')} (${hostList(hosts)}) after ${lasted(w, group, now)}`,
      ...alertList(w),
      ...tail,
    ].join('\n');
  }
  const firing = lines.filter((l) => l.firing);
  const hosts = hostsOf(firing);
  return [
    `${ICON[groupSeverity(w)]} FIRING fleet: ${groupTitle(w)} — ${plural(firing.length, 'alert')} on ${plural(hosts.length, 'host')} (${hostList(hosts)})`,
    ...alertList(w),
    ...tail,
  ].join('\n');
}

/** create_bead's title and description: a new bead when the group starts firing, a comment when what fires changed. */
export function beadRequest(
  w: Webhook,
  group: GroupRecord,
  step: 'open' | 'comment',
): { title: string; description: string } {
  const firing = w.alerts.filter((a) => a.status === 'firing').map((a) => alertLine(a));
  const hosts = hostsOf(firing);
  const title =
    step === 'open'
      ? `${groupTitle(w)} firing on ${plural(hosts.length, 'host')}`
      : `Now ${plural(firing.length, 'alert')} firing on ${plural(hosts.length, 'host')} (${hostList(hosts)})`;
  const link = alertmanagerLink(w);
  const description = [
    `Fleet incident ${group.incidentId}, from Alertmanager (receiver ${field(w.receiver, 80)}).`,
    `Group: ${field(w.groupKey, 300)}`,
    `Hosts: ${hostList(hosts)}`,
    '',
    ...alertList(w),
    ...(link ? ['', `Alertmanager: ${link}`] : []),
  ].join('\n');
  return { title: title.slice(0, 200), description };
}

/** How the fleet incident ended, for bd's close reason. */
export function closeReason(w: Webhook, group: GroupRecord, now: Date): string {
  const lines = w.alerts.map((a) => alertLine(a));
  const hosts = hostsOf(lines);
  return `Resolved in Alertmanager: ${groupTitle(w)} ended on ${plural(hosts.length, 'host')} (${hostList(hosts)}) after ${lasted(w, group, now)} (fleet incident ${group.incidentId}; its alerts resolved or stopped being posted).`;
}
