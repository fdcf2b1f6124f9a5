// Who asks, from a cycle: the playbooks' cases that Argus may not fix alone but a person may approve. `playbookAsk` is
// pure (a table test); `solicitForDecision` stores the request (the listener sends it) and gives a line for the alert.
import type { ActionContext } from '../agents/executor/action.js';
import { unitOfFinding, type PlaybookOutcome } from '../agents/executor/playbooks.js';
import { normalizeUnit } from '../agents/executor/actions/restart-service.js';
import type { Config } from '../config/schema.js';
import type { Decision } from '../model/finding.js';
import type { ProcessInfo, Snapshot } from '../model/snapshot.js';
import type { Registry } from '../state/registry.js';
import { ApprovalStore, approvalsDir } from '../state/approvals.js';
import { ask, type AskRequest } from './ask.js';

/** The request a decision calls for, or null (fixed alone, nothing approvable, or not this cycle). */
export function playbookAsk(
  d: Decision,
  outcome: Pick<PlaybookOutcome, 'announce'>,
  snapshot: Snapshot,
  config: Config,
): AskRequest | null {
  if (d.kind !== 'act') return null;
  const f = d.finding;
  const base = { identity: d.identity, incidentId: d.incidentId, requestedBy: 'rule' as const };
  const reason = `${f.identity}: ${f.description}`.slice(0, 1900);
  const unit = f.type === 'service' ? unitOfFinding(f) : null;
  if (unit !== null) {
    const normal = normalizeUnit(unit);
    if (normal === null || !config.services.map(normalizeUnit).includes(normal)) return null;
    const state = snapshot.services?.find((s) => normalizeUnit(s.unit) === normal) ?? null;
    if (state?.activeState === 'active') return null;
    const facts = {
      unit: normal,
      activeState: state?.activeState ?? null,
      subState: state?.subState ?? null,
      result: state?.result ?? null,
    };
    const listed = config.restartAllowlist.map(normalizeUnit).includes(normal);
    if (!listed)
      return {
        ...base,
        action: 'restart_service',
        input: { service: normal, reason },
        facts,
        summary: `${f.description}. It is watched but not on the restart allowlist, so Argus only alerted.`,
      };
    if (outcome.announce?.key === 'gave_up') {
      return {
        ...base,
        action: 'restart_service',
        input: { service: normal, reason },
        facts,
        summary: `${f.description}. Argus gave up restarting it (attempts used up); approve to try once more now.`,
        situation: { backoffExhausted: true },
      };
    }
    return null;
  }
  if (f.type === 'memory') {
    const hog = (f.details.hog as ProcessInfo | undefined) ?? snapshot.processes?.topByRss[0];
    if (!hog || config.killMemoryHogs || !config.killPatterns.includes(hog.comm)) return null;
    return {
      ...base,
      action: 'kill_pid',
      input: { pid: hog.pid, reason: `memory hog: ${hog.comm} (PID ${hog.pid})` },
      facts: { process: hog },
      summary: `${f.description}. Top memory user: ${hog.comm} (PID ${hog.pid}, started ${hog.startedAt}). Automatic kills of memory hogs are off (killMemoryHogs).`,
    };
  }
  if (
    f.type === 'disk' &&
    !f.identity.startsWith('disk:inodes:') &&
    d.transition === 'ongoing' &&
    f.severity === 'critical'
  ) {
    const usage = snapshot.disks?.find((x) => x.mount === f.subject);
    return {
      ...base,
      action: 'clean_disk',
      input: { reason },
      facts: { mount: f.subject, usedPct: usage?.usedPct ?? null },
      summary: `${f.description}. Argus cleans when the incident opens or worsens; approve to clean the safelist again now.`,
    };
  }
  return null;
}

export interface CycleSolicitDeps {
  config: Config;
  registry: Registry;
  stateDir: string;
  snapshot: Snapshot;
  ctx: ActionContext;
  now: () => Date;
  host: string;
}

/** Ask for what this decision calls for; lines for the incident's alert (what was asked, or that a request waits). */
export async function solicitForDecision(
  deps: CycleSolicitDeps,
  d: Decision,
  outcome: Pick<PlaybookOutcome, 'announce'>,
): Promise<string[]> {
  const request = playbookAsk(d, outcome, deps.snapshot, deps.config);
  if (!request) return [];
  const store = new ApprovalStore(approvalsDir(deps.stateDir), (reason) =>
    deps.ctx.log.warn({ reason }, 'an approval file is invalid; ignored'),
  );
  const r = await ask({ store, registry: deps.registry, ctx: deps.ctx, now: deps.now, host: deps.host }, request);
  const until = (iso: string): string => `${iso.slice(11, 16)} UTC`;
  if (r.status === 'asked')
    return [
      `Asked a person on Telegram to approve ${request.action} (approval ${r.approval.id}, until ${until(r.approval.expiresAt)}).`,
    ];
  if (r.status === 'exists' && r.approval.status === 'pending')
    return [`An approval request is waiting on Telegram (${r.approval.id}, until ${until(r.approval.expiresAt)}).`];
  return [];
}
