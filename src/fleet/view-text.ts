// `argus status --fleet` as text: the hosts the fleet receiver heard of, its fleet incidents. Host text is put in lines
// as it is; the caller makes each line safe for the terminal (terminalLines).
import { formatAge } from '../agents/executor/playbooks.js';
import type { FleetGroupView, FleetView } from './view.js';

export const NO_FLEET = "no fleet data: this host runs no receiver (see README 'Running a fleet')";
/** Hosts and incidents listed; the rest are counted. */
const LISTED = 50;

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

function groupLine(g: FleetGroupView, now: Date): string {
  const worst =
    g.status === 'resolved'
      ? 'RESOLVED'
      : g.alerts.some((a) => a.firing && a.severity === 'critical')
        ? 'CRITICAL'
        : 'WARNING';
  const hosts =
    g.hosts.length <= 10 ? g.hosts.join(', ') : `${g.hosts.slice(0, 10).join(', ')} +${g.hosts.length - 10} more`;
  const since = `${g.status === 'firing' ? 'since' : 'at'} ${g.since} (${formatAge(Math.max(0, now.getTime() - Date.parse(g.since)) / 1000)} ago)`;
  return `  ${worst.padEnd(8)} ${g.title} on ${plural(g.hosts.length, 'host')} (${hosts}) ${since}; ${g.beadId ? `bead ${g.beadId}` : 'no bead yet'}`;
}

export function fleetStatusLines(view: FleetView, groupsPath: string, now: Date): string[] {
  const firingHosts = view.hosts.filter((h) => h.firing.length > 0);
  const out = [`Fleet (the receiver's state: ${groupsPath})`];
  if (view.hostsFile) out.push(`Hosts file: ${view.hostsFile.path}`);
  out.push('', `Hosts: ${view.hosts.length} heard of, ${firingHosts.length} with incidents firing`);
  for (const h of view.hosts.slice(0, LISTED)) {
    const heard =
      h.lastHeardAt === null
        ? 'not heard from'
        : `heard ${formatAge(Math.max(0, now.getTime() - Date.parse(h.lastHeardAt)) / 1000)} ago`;
    const firing = h.firing.length ? `${h.firing.length} firing: ${h.firing.join(', ')}; ` : '';
    out.push(
      `  ${(h.worst ?? 'ok').toUpperCase().padEnd(8)} ${h.name} — ${firing}${heard}${h.url ? ` · ${h.url}` : ''}`,
    );
  }
  if (view.hosts.length > LISTED) out.push(`  … and ${view.hosts.length - LISTED} more hosts`);
  const firing = view.groups.filter((g) => g.status === 'firing');
  const resolved = view.groups.filter((g) => g.status === 'resolved');
  out.push('', firing.length ? `Fleet incidents firing (${view.firingGroups})` : 'Fleet incidents firing: none');
  for (const g of firing.slice(0, LISTED)) out.push(groupLine(g, now));
  if (resolved.length) {
    out.push('', `Resolved in the last day (${resolved.length})`);
    for (const g of resolved.slice(0, LISTED)) out.push(groupLine(g, now));
  }
  out.push(
    '',
    `Silences: ${view.silenced === null ? "kept in Alertmanager (a silenced alert never reaches the receiver): 'amtool silence query'" : String(view.silenced)}`,
  );
  return out;
}
