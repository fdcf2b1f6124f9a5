// The self-healing matrix as deterministic playbooks (PRD, ARG-004/005/006/007). Every step goes through the gate.
import type { Config } from '../../config/schema.js';
import type { ActionName, ActionResult } from '../../model/action.js';
import type { Decision } from '../../model/finding.js';
import type { ProcessInfo, Snapshot } from '../../model/snapshot.js';

export type RunAction = (action: ActionName, input: Record<string, unknown>) => Promise<ActionResult>;

export interface PlaybookOutcome {
  /** Results of the actions the playbook asked the gate for. */
  results: ActionResult[];
  /** Lines for the operators' alert (what was done, what was found, what to do). */
  notes: string[];
  /** True when an attempted fix failed, or the action asked to escalate (restart backoff exhausted). */
  failed: boolean;
  /** False when no automatic remediation exists for this finding (ARG-002: file a bead). */
  fixable: boolean;
}

const MB = 1024 * 1024;

export function normaliseUnit(name: string): string {
  return name.endsWith('.service') ? name : `${name}.service`;
}

function describeProcess(p: { comm: string; pid: number; rssBytes: number; memPct: number; ageSec: number }): string {
  return `${p.comm} (PID ${p.pid}): RSS ${(p.rssBytes / MB).toFixed(0)} MB, ${p.memPct.toFixed(1)}% of memory, running ${formatAge(p.ageSec)}`;
}

export function formatAge(sec: number): string {
  if (sec < 120) return `${Math.round(sec)}s`;
  if (sec < 7200) return `${Math.round(sec / 60)}m`;
  if (sec < 172_800) return `${(sec / 3600).toFixed(1)}h`;
  return `${(sec / 86_400).toFixed(1)}d`;
}

function outcomeLine(r: ActionResult): string {
  const target = (r.record as { action_taken?: string } | null)?.action_taken ?? 'action';
  return `${target}: ${r.result} — ${r.reason}`;
}

/** Run the playbook for one 'act' decision. */
export async function runPlaybook(decision: Decision, snapshot: Snapshot, config: Config, run: RunAction): Promise<PlaybookOutcome> {
  const f = decision.finding;
  const reason = `${f.identity}: ${f.description}`.slice(0, 1900);
  const results: ActionResult[] = [];
  const notes: string[] = [];
  const step = async (action: ActionName, input: Record<string, unknown>) => {
    const r = await run(action, input);
    results.push(r);
    notes.push(outcomeLine(r));
    return r;
  };

  if (f.type === 'service') {
    const unit = normaliseUnit(f.subject);
    const allowed = config.restartAllowlist.map(normaliseUnit).includes(unit);
    if (!allowed) {
      notes.push(`${unit} is not on the restart allowlist: a person has to look at it.`);
      return { results, notes, failed: false, fixable: false };
    }
    const r = await step('restart_service', { service: unit, reason });
    // The 1 h hold after three attempts that did not stay up is a failed fix too: a person must hear of it even
    // when the router holds notifications (flapping), so it files the bead (deduplicated per identity).
    const held = r.result === 'skipped' && /without staying up/.test(r.reason);
    return { results, notes, failed: r.result === 'failure' || r.details.escalate === true || held, fixable: true };
  }

  if (f.identity === 'process:orphans') {
    const orphans = (f.details.orphans as Array<{ pid: number; comm: string; ageSec: number }> | undefined) ?? [];
    let failed = false;
    for (const o of orphans) {
      const r = await step('kill_pid', { pid: o.pid, reason: `orphan ${o.comm} (PID ${o.pid}) for ${formatAge(o.ageSec)}; parent gone` });
      if (r.result === 'failure') failed = true;
    }
    return { results, notes, failed, fixable: true };
  }

  if (f.type === 'disk' && !f.identity.startsWith('disk:inodes:')) {
    // Clean when the incident opens, worsens or is re-notified, not every cycle: old files do not reappear in 5 minutes.
    if (decision.transition === 'ongoing') return { results, notes, failed: false, fixable: true };
    const r = await step('clean_disk', { reason });
    const d = r.details;
    const usage = (snapshot.disks ?? []).find((x) => x.mount === f.subject);
    const after = (d.filesystems as Array<{ root: string; afterPct: number | null }> | undefined)?.find((x) => usage && x.afterPct !== null && (x.root === usage.mount || x.root.startsWith(`${usage.mount === '/' ? '' : usage.mount}/`)));
    if (usage) notes.push(`${usage.mount}: ${usage.usedPct}% used before cleaning${after ? `, ${after.afterPct}% after` : ''}.`);
    const reclaimed = typeof d.bytesReclaimed === 'number' ? d.bytesReclaimed : null;
    if (reclaimed !== null) notes.push(`Reclaimed ${(reclaimed / MB).toFixed(1)} MB from the safelist (temp files, caches, rotated logs).`);
    // Nothing to clean while the disk stays full: cleaning cannot fix it, a person must look at what fills it.
    const nothing = r.result === 'success' && reclaimed === 0;
    if (nothing) notes.push('The safelist held nothing old enough to remove: something else is filling this disk.');
    return { results, notes, failed: r.result === 'failure' || nothing, fixable: true };
  }

  if (f.type === 'memory') {
    const hog = (f.details.hog as ProcessInfo | undefined) ?? snapshot.processes?.topByRss[0];
    if (hog) {
      notes.push(`Top memory consumer: ${describeProcess(hog)}.`);
      if (config.killMemoryHogs && config.killPatterns.includes(hog.comm)) {
        await step('kill_pid', { pid: hog.pid, reason: `memory hog: ${describeProcess(hog)}` });
      } else {
        notes.push(
          config.killPatterns.includes(hog.comm)
            ? `It matches the kill allowlist; automatic kills of memory hogs are off (killMemoryHogs).`
            : `It is not on the kill allowlist: decide whether to restart or stop it.`,
        );
      }
    }
    return { results, notes, failed: results.some((r) => r.result === 'failure'), fixable: results.length > 0 };
  }

  if (f.identity === 'swap:thrashing') {
    const top = snapshot.processes?.topBySwap.slice(0, 3) ?? [];
    if (top.length) notes.push(`Most swapped out: ${top.map((p) => `${p.comm} (PID ${p.pid}, ${(p.swapBytes / MB).toFixed(0)} MB)`).join(', ')}.`);
    notes.push('Recommendation: restart or limit the top swap user, add memory, or lower its working set; check vm.swappiness.');
    return { results, notes, failed: false, fixable: false };
  }

  notes.push('No automatic remediation exists for this finding.');
  return { results, notes, failed: false, fixable: false };
}
