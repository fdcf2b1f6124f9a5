// One incident per cause: findings that share a cause are grouped under one of them before routing. A service down
// and its own health probes are one incident (the probe is tied by `probes[].service`); CPU load and CPU utilisation
// of the same moment are one incident; memory pressure and the swapping it causes are one incident (memory is the
// parent: its playbook names, and may stop, the process that fills it). The others are in the parent's `details.grouped`.
import { SEVERITY_RANK, type Finding } from '../../model/finding.js';
import { withUnitType } from '../../model/unit.js';

export interface Grouped {
  identity: string;
  severity: Finding['severity'];
  description: string;
}

/** The cause a finding shares with others, or null when it stands alone. */
export function causeOf(f: Finding): string | null {
  if (f.type === 'service') return `unit:${withUnitType(f.subject)}`;
  if (f.type === 'probe' && typeof f.details.service === 'string') return `unit:${withUnitType(f.details.service)}`;
  if (f.identity === 'cpu:load' || f.identity === 'cpu:util') return 'cpu';
  if (f.identity === 'memory:host' || f.identity === 'swap:thrashing' || f.identity === 'swap:usage') return 'memory';
  return null;
}

/**
 * Group this cycle's findings by cause. The parent is the member whose incident is already open (an incident keeps
 * its identity while its symptoms change), else the service itself, else the most severe; it takes the group's
 * highest severity. When the open incident of a cause has no finding of its own this cycle (the service is up again
 * but its probe still fails; the load fell but the CPU is still pinned), the cause's findings continue that incident
 * under its identity. Pure; findings without a shared cause pass through unchanged, in order.
 */
export function correlate(findings: readonly Finding[], open: ReadonlyMap<string, string>): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const cause = causeOf(f);
    if (cause !== null) groups.set(cause, [...(groups.get(cause) ?? []), f]);
  }
  const replaced = new Map<Finding, Finding | null>();
  for (const [cause, members] of groups) {
    const openIdentity = open.get(cause) ?? null;
    const continues = openIdentity !== null && !members.some((m) => m.identity === openIdentity);
    if (members.length < 2 && !continues) continue;
    const parent = pickParent(members, openIdentity);
    const others = members.filter((m) => m !== parent);
    const severity = members.reduce(
      (s, m) => (SEVERITY_RANK[m.severity] > SEVERITY_RANK[s] ? m.severity : s),
      parent.severity,
    );
    const grouped: Grouped[] = others.map((m) => ({
      identity: m.identity,
      severity: m.severity,
      description: m.description,
    }));
    for (const m of others) replaced.set(m, null);
    const rekey = continues
      ? {
          identity: openIdentity,
          subject: openIdentity.slice(openIdentity.indexOf(':') + 1),
          details: { ...parent.details, grouped, symptom: parent.identity },
        }
      : { details: { ...parent.details, grouped } };
    replaced.set(parent, { ...parent, severity, ...rekey });
  }
  return findings.flatMap((f) => {
    const r = replaced.get(f);
    return r === undefined ? [f] : r === null ? [] : [r];
  });
}

/** cause → the identity of its open incident (the first, if several are open from before grouping existed). */
export function openCauses(incidents: Iterable<{ identity: string; lastFinding: Finding }>): Map<string, string> {
  const out = new Map<string, string>();
  for (const inc of incidents) {
    const cause = causeOf(inc.lastFinding);
    if (cause !== null && !out.has(cause)) out.set(cause, inc.identity);
  }
  return out;
}

function pickParent(members: readonly Finding[], openIdentity: string | null): Finding {
  const rank = (f: Finding): number =>
    (f.identity === openIdentity ? 100 : 0) +
    (f.type === 'service' || f.identity === 'memory:host' ? 10 : 0) +
    SEVERITY_RANK[f.severity];
  return [...members].sort((a, b) => rank(b) - rank(a) || a.identity.localeCompare(b.identity))[0]!;
}
