// The fleet view (dashboard and `argus status --fleet`): what the fleet receiver remembers (fleet_groups.json) turned
// into hosts and fleet incidents, with links to each host's dashboard from the hosts file (ARGUS_FLEET_HOSTS).
// Read-only. Host names, identities and summaries are text from every host of the fleet: each sink escapes them.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { z } from 'zod';
import { SEVERITY_RANK, type Severity } from '../model/finding.js';
import { readGroups, type GroupRecord, type RememberedAlert } from './group-state.js';

export const FleetHostsSchema = z.strictObject({
  hosts: z
    .array(
      z.strictObject({
        /** The `host` label its alerts carry (ARGUS_HOSTNAME on that host). */
        name: z.string().min(1).max(253),
        /** Its dashboard, as a person's browser reaches it. */
        url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
      }),
    )
    .max(1000),
});
export type FleetHosts = z.infer<typeof FleetHostsSchema>;

/** The hosts file is small; a bigger one is a mistake, said as such. */
const MAX_HOSTS_FILE = 1024 * 1024;

export type HostsFileResult = { hosts: FleetHosts['hosts']; error: null } | { hosts: []; error: string };

/** The hosts file checked: its hosts, or one line naming the file and the key that is wrong. Never throws. */
export function readFleetHosts(path: string | null): HostsFileResult {
  if (path === null) return { hosts: [], error: null };
  const bad = (why: string): HostsFileResult => ({
    hosts: [],
    error: `fleet hosts file ${path} (ARGUS_FLEET_HOSTS): ${why}`,
  });
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > MAX_HOSTS_FILE) return bad(`larger than ${MAX_HOSTS_FILE} bytes`);
      const buf = Buffer.alloc(size);
      readSync(fd, buf, 0, size, 0);
      text = buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return bad(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return bad(`not JSON (${(error as Error).message})`);
  }
  const parsed = FleetHostsSchema.safeParse(raw);
  if (parsed.success) return { hosts: parsed.data.hosts, error: null };
  const issue = parsed.error.issues[0]!;
  const key =
    issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') ||
    '(the whole file)';
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : '';
  return bad(`${key}: ${issue.message}${more}`);
}

export interface FleetHostView {
  name: string;
  /** Identities firing on it now (across fleet incidents), sorted. */
  firing: string[];
  /** Its worst firing severity, or null when nothing fires. */
  worst: string | null;
  /** The last notification that named it; null for a host only in the hosts file. */
  lastHeardAt: string | null;
  /** Its dashboard (hosts file), or null. */
  url: string | null;
}

export interface FleetGroupView {
  id: string;
  status: 'firing' | 'resolved';
  /** What fires (the alerts' identities), for a person. */
  title: string;
  /** Firing since (openedAt), or resolved since (resolvedAt). */
  since: string;
  openedAt: string;
  updatedAt: string;
  hosts: string[];
  /** Alerts firing at the last notification. */
  firingAlerts: number;
  /** The first alerts (firing first); `alertsLeftOut` more not shown. */
  alerts: RememberedAlert[];
  alertsLeftOut: number;
  beadId: string | null;
}

export interface FleetView {
  hosts: FleetHostView[];
  /** Firing first, newest first. */
  groups: FleetGroupView[];
  firingGroups: number;
  /** The hosts file: null when none is configured; its problem in one line when it is bad. */
  hostsFile: { path: string; error: string | null } | null;
  /** Alertmanager's silences are the fleet's: a silenced alert never reaches the receiver, so the count is not known here. */
  silenced: number | null;
}

/** The model's severity rank; a label outside it (Alertmanager alerts of other rules) ranks below info, nothing below that. */
const rank = (s: string | null): number =>
  s === null ? -2 : Object.hasOwn(SEVERITY_RANK, s) ? SEVERITY_RANK[s as Severity] : -1;
/** Alerts listed per group (the rest counted): the page stays light with a large fleet. */
const ALERTS_SHOWN = 20;
const MAX_GROUPS_SHOWN = 200;

function groupView(g: GroupRecord): FleetGroupView {
  const alerts = g.alerts ?? [];
  const live = g.status === 'firing' ? alerts.filter((a) => a.firing) : alerts;
  const identities = [...new Set(live.map((a) => a.identity))];
  const title =
    identities.length === 0
      ? '(alerts not recorded)'
      : identities.length <= 3
        ? identities.join(', ')
        : `${identities.slice(0, 3).join(', ')} +${identities.length - 3} more`;
  return {
    id: g.identity,
    status: g.status,
    title,
    since: g.status === 'resolved' ? (g.resolvedAt ?? g.updatedAt) : g.openedAt,
    openedAt: g.openedAt,
    updatedAt: g.updatedAt,
    hosts: [...new Set(live.map((a) => a.host))].sort(),
    firingAlerts: g.status === 'firing' ? g.firing.length : 0,
    alerts: alerts.slice(0, ALERTS_SHOWN),
    alertsLeftOut: Math.max(0, alerts.length - ALERTS_SHOWN) + (g.alertsLeftOut ?? 0),
    beadId: g.beadId ?? null,
  };
}

/**
 * The fleet as the receiver knows it, or null when there is nothing to show (no group remembered and no hosts file):
 * this host runs no receiver.
 */
export function readFleetView(groupsPath: string, hostsPath: string | null): FleetView | null {
  const groups = Object.values(readGroups(groupsPath).groups);
  if (groups.length === 0 && hostsPath === null) return null;
  const file = readFleetHosts(hostsPath);
  return fleetView(groups, file.hosts, hostsPath === null ? null : { path: hostsPath, error: file.error });
}

/** Pure: the view of remembered groups and configured hosts. */
export function fleetView(
  groups: readonly GroupRecord[],
  configured: FleetHosts['hosts'],
  hostsFile: FleetView['hostsFile'],
): FleetView {
  const hosts = new Map<string, FleetHostView>();
  const hostOf = (name: string): FleetHostView => {
    let h = hosts.get(name);
    if (!h) hosts.set(name, (h = { name, firing: [], worst: null, lastHeardAt: null, url: null }));
    return h;
  };
  for (const g of groups) {
    for (const a of g.alerts ?? []) {
      const h = hostOf(a.host);
      if (h.lastHeardAt === null || g.updatedAt > h.lastHeardAt) h.lastHeardAt = g.updatedAt;
      if (g.status !== 'firing' || !a.firing) continue;
      if (!h.firing.includes(a.identity)) h.firing.push(a.identity);
      if (rank(a.severity) > rank(h.worst)) h.worst = a.severity;
    }
  }
  for (const c of configured) hostOf(c.name).url = c.url;
  for (const h of hosts.values()) h.firing.sort();
  const views = groups
    .map(groupView)
    .sort(
      (a, b) =>
        Number(b.status === 'firing') - Number(a.status === 'firing') ||
        (a.since < b.since ? 1 : a.since > b.since ? -1 : 0),
    );
  return {
    hosts: [...hosts.values()].sort(
      (a, b) =>
        rank(b.worst) - rank(a.worst) ||
        b.firing.length - a.firing.length ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    ),
    groups: views.slice(0, MAX_GROUPS_SHOWN),
    firingGroups: views.filter((g) => g.status === 'firing').length,
    hostsFile,
    silenced: null,
  };
}
