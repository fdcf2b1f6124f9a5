// The self-healing matrix as deterministic playbooks (PRD, ARG-004/005/006/007). Every step goes through the gate.
import type { Config } from '../../config/schema.js';
import { withUnitType } from '../../model/unit.js';
import type { ActionName, ActionResult } from '../../model/action.js';
import { fmtBytes } from '../../model/bytes.js';
import { memoryShare } from '../../model/memory-share.js';
import type { Decision } from '../../model/finding.js';
import type { ProcessInfo, Snapshot } from '../../model/snapshot.js';

export type RunAction = (action: ActionName, input: Record<string, unknown>) => Promise<ActionResult>;

export interface PlaybookOutcome {
  /** Results of the actions the playbook asked the gate for. */
  results: ActionResult[];
  /** Lines for the operators' alert (what was done, what was found, what to do). */
  notes: string[];
  /** True when the fix has failed for good (restart attempts used up, cleaning not enough): ARG-002 files a bead. */
  failed: boolean;
  /** False when no automatic remediation exists for this finding (ARG-002: file a bead). */
  fixable: boolean;
  /** What a person must hear once per incident even while notifications are held (gave up, cleaning not enough). */
  announce: Announcement | null;
}

export interface Announcement {
  key: 'gave_up' | 'not_enough';
  text: string;
}

export interface PlaybookEnv {
  now(): Date;
  /**
   * Wait inside the cycle. ARG-006 spaces restart attempts at 0, +1 and +5 min while a timer cycle runs every 5 min:
   * an attempt due within IN_CYCLE_WAIT_MAX_MS is waited for rather than pushed to a later cycle. Absent: never wait.
   */
  wait?(ms: number): Promise<void>;
}

/** The longest a cycle waits for a restart attempt that is due soon (above the +1 min step, below the 5 min timer). */
export const IN_CYCLE_WAIT_MAX_MS = 90_000;

function describeProcess(
  p: Pick<ProcessInfo, 'comm' | 'pid' | 'rssBytes' | 'memPct' | 'ageSec' | 'cgroupMemory'>,
): string {
  return `${p.comm} (PID ${p.pid}): RSS ${fmtBytes(p.rssBytes)}, ${memoryShare(p)}, running ${formatAge(p.ageSec)}`;
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

type Step = (action: ActionName, input: Record<string, unknown>) => Promise<ActionResult>;
type Verdict = Omit<PlaybookOutcome, 'results' | 'notes'>;

/** The unit a finding is about: a service, or the service a health probe belongs to (`probes[].service`). */
export function unitOfFinding(f: Decision['finding']): string | null {
  if (f.type === 'service') return withUnitType(f.subject);
  if (f.type === 'probe' && typeof f.details.service === 'string') return withUnitType(f.details.service);
  return null;
}

/** Run the playbook for one 'act' decision. */
export async function runPlaybook(
  decision: Decision,
  snapshot: Snapshot,
  config: Config,
  run: RunAction,
  env: PlaybookEnv = { now: () => new Date() },
): Promise<PlaybookOutcome> {
  const f = decision.finding;
  const reason = `${f.identity}: ${f.description}`.slice(0, 1900);
  const results: ActionResult[] = [];
  const notes: string[] = [];
  const step: Step = async (action, input) => {
    const r = await run(action, input);
    results.push(r);
    notes.push(outcomeLine(r));
    return r;
  };
  const done = (v: Verdict): PlaybookOutcome => ({ results, notes, ...v });
  const quiet = (fixable: boolean, failed = false): PlaybookOutcome => done({ failed, fixable, announce: null });

  const unit = unitOfFinding(f);
  if (unit !== null && f.type === 'service' && f.details.condition === 'not-found') {
    notes.push(
      `${unit} does not exist on this host: fix the name in the configuration (ARGUS_SERVICES or services); there is nothing to restart.`,
    );
    return quiet(false);
  }
  if (unit !== null) {
    if (!config.restartAllowlist.map(withUnitType).includes(unit)) {
      notes.push(`${unit} is not on the restart allowlist: a person has to look at it.`);
      return quiet(false);
    }
    const input = { service: unit, reason, ...(f.type === 'probe' ? { failing_probe: f.subject } : {}) };
    return done(await restartWithBackoff(input, step, notes, env));
  }

  if (f.identity === 'process:orphans') {
    const orphans = (f.details.orphans as Array<{ pid: number; comm: string; ageSec: number }> | undefined) ?? [];
    let failed = false;
    for (const o of orphans) {
      const r = await step('kill_pid', {
        pid: o.pid,
        reason: `orphan ${o.comm} (PID ${o.pid}) for ${formatAge(o.ageSec)}; parent gone`,
      });
      if (r.result === 'failure') failed = true;
    }
    return quiet(true, failed);
  }

  if (f.type === 'disk' && !f.identity.startsWith('disk:inodes:')) {
    // Clean when the incident opens, worsens or is re-notified, not every cycle: old files do not reappear in 5 minutes.
    if (decision.transition === 'ongoing') return quiet(true);
    const r = await step('clean_disk', { reason });
    return done({ ...judgeCleaning(r, f.subject, snapshot, config, notes), fixable: true });
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
    return quiet(
      results.length > 0,
      results.some((r) => r.result === 'failure'),
    );
  }

  if (f.identity === 'swap:thrashing') {
    const top = snapshot.processes?.topBySwap.slice(0, 3) ?? [];
    if (top.length)
      notes.push(
        `Most swapped out: ${top.map((p) => `${p.comm} (PID ${p.pid}, ${fmtBytes(p.swapBytes)})`).join(', ')}.`,
      );
    notes.push(
      'Recommendation: restart or limit the top swap user, add memory, or lower its working set; check vm.swappiness.',
    );
    return quiet(false);
  }

  notes.push('No automatic remediation exists for this finding.');
  return quiet(false);
}

const hhmm = (iso: unknown): string => (typeof iso === 'string' ? `${iso.slice(11, 16)} UTC` : 'later');

/**
 * ARG-006: restart with backoff. A failed attempt is not yet a failed fix (no bead); the fix has failed when the
 * attempts are used up. An attempt due within IN_CYCLE_WAIT_MAX_MS is waited for in this cycle.
 */
async function restartWithBackoff(
  input: { service: string; reason: string; failing_probe?: string },
  step: Step,
  notes: string[],
  env: PlaybookEnv,
): Promise<Verdict> {
  const unit = input.service;
  let r = await step('restart_service', input);
  for (let waited = 0; waited < 3; waited++) {
    const dueInMs =
      typeof r.details.nextAttemptAt === 'string'
        ? Date.parse(r.details.nextAttemptAt) - env.now().getTime()
        : Infinity;
    const retryable =
      (r.result === 'failure' && r.details.escalate !== true) ||
      (r.result === 'skipped' && r.details.exhausted === false);
    if (!env.wait || !retryable || dueInMs > IN_CYCLE_WAIT_MAX_MS) break;
    // A skipped attempt that is waited for is not news: only the attempt that follows is reported.
    if (r.result === 'skipped') notes.pop();
    await env.wait(Math.max(0, dueInMs));
    r = await step('restart_service', input);
  }
  const d = r.details;
  const guide = `A person should look: journalctl -u ${unit} -n 50 --no-pager; systemctl status ${unit}`;
  if ((r.result === 'failure' && d.escalate === true) || (r.result === 'skipped' && d.exhausted === true)) {
    // Restarts that were verified, yet the unit is down again: it dies after every start (a crash loop).
    const looping = r.result === 'skipped' && d.lastResult === 'success';
    const what = input.failing_probe
      ? `restarting ${unit} did not make its health probe ${input.failing_probe} pass`
      : looping
        ? `${unit} is crash-looping: each restart came up and died again`
        : `the restarts of ${unit} did not bring it up`;
    const text = `Gave up restarting: ${what}; Argus tries again after ${hhmm(d.nextAttemptAt)}. ${guide}.`;
    return { failed: true, fixable: true, announce: { key: 'gave_up', text } };
  }
  if (r.result === 'failure')
    notes.push(`Attempt ${String(d.attempt)} failed; the next one at ${hhmm(d.nextAttemptAt)}.`);
  return { failed: false, fixable: true, announce: null };
}

/** After clean_disk: did it bring the filesystem back under its threshold? If not, say what fills it. */
function judgeCleaning(
  r: ActionResult,
  mount: string,
  snapshot: Snapshot,
  config: Config,
  notes: string[],
): Omit<Verdict, 'fixable'> {
  const d = r.details;
  const usage = (snapshot.disks ?? []).find((x) => x.mount === mount);
  const fs = (d.filesystems as Array<{ root: string; afterPct: number | null }> | undefined)?.find(
    (x) => x.afterPct !== null && (x.root === mount || x.root.startsWith(`${mount === '/' ? '' : mount}/`)),
  );
  const after = fs?.afterPct ?? null;
  if (usage)
    notes.push(`${usage.mount}: ${usage.usedPct}% used before cleaning${after !== null ? `, ${after}% after` : ''}.`);
  const reclaimed = typeof d.bytesReclaimed === 'number' ? d.bytesReclaimed : null;
  if (reclaimed !== null)
    notes.push(`Reclaimed ${fmtBytes(reclaimed)} from the safelist (temp files, caches, rotated logs).`);
  if (r.result !== 'success') return { failed: r.result === 'failure', announce: null };
  const stillFull = after !== null ? after >= config.thresholds.disk.fire : reclaimed === 0;
  if (!stillFull) return { failed: false, announce: null };
  const kept = (d.largestKept as Array<{ path: string; size: number; why: string; ageSec: number }> | undefined) ?? [];
  const culprits = kept.length
    ? `Largest files it had to keep: ${kept
        .slice(0, 3)
        .map(
          (k) =>
            `${k.path} ${fmtBytes(k.size)} (${k.why === 'open' ? 'in use' : `changed ${formatAge(k.ageSec)} ago`})`,
        )
        .join(', ')}.`
    : 'Nothing large and recent in the safelist: what fills it is elsewhere.';
  const text =
    `Cleaning was not enough: it freed ${fmtBytes(reclaimed ?? 0)} but ${mount} is still at ${after ?? usage?.usedPct ?? '?'}%. ${culprits} ` +
    `Find the rest: du -xh --max-depth=2 ${mount} 2>/dev/null | sort -h | tail -15`;
  return { failed: true, announce: { key: 'not_enough', text } };
}
