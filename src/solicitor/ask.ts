// Asking a person: check the policy and the gate's hard limits, keep one request per incident and kind, store the
// request (the listener sends it) and record it in the registry as `pending`.
import type { ActionContext } from '../agents/executor/action.js';
import { safeText } from '../agents/executor/sanitise.js';
import type { ProblemRecord } from '../model/record.js';
import type { Approval, ApprovalStore, NewApproval } from '../state/approvals.js';
import type { Registry } from '../state/registry.js';
import { approvalPolicy, type Situation } from './policy.js';
import { preflight } from './preflight.js';

export interface AskRequest extends Omit<NewApproval, 'kind'> {
  situation?: Situation;
}

export type AskResult =
  | { status: 'asked'; approval: Approval }
  /** This incident already has a request of this kind (pending or answered), or the same action is pending. */
  | { status: 'exists'; approval: Approval }
  | { status: 'refused'; reason: string };

export interface AskDeps {
  store: ApprovalStore;
  registry: Registry;
  /** The context of the asker (host, config, snapshot): the gate's guards are run on it with the rule lifted. */
  ctx: ActionContext;
  now: () => Date;
  /** Hostname for records. */
  host: string;
  /** Tell the listener a request is waiting (optional: it also looks on every poll). */
  wake?: () => void;
}

/** A short target like the gate's `action_taken` (`restart_service:nginx.service`, `kill_pid:4100`). */
export function targetOf(action: string, input: Record<string, unknown>): string {
  const t =
    action === 'kill_pid'
      ? input.pid
      : action === 'kill_tmux'
        ? input.session
        : action === 'restart_service'
          ? input.service
          : action === 'clean_disk'
            ? 'safelist'
            : '?';
  return safeText(String(t ?? '?'), 200);
}

export async function ask(deps: AskDeps, request: AskRequest): Promise<AskResult> {
  const { situation, ...fields } = request;
  const verdict = approvalPolicy(fields.action, fields.input, deps.ctx.config, situation);
  if (!verdict.approvable) return { status: 'refused', reason: verdict.reason };
  const existing = deps.store
    .list()
    .find(
      (a) =>
        (fields.incidentId !== null && a.incidentId === fields.incidentId && a.kind === verdict.kind) ||
        (a.status === 'pending' &&
          a.action === fields.action &&
          JSON.stringify(a.input) === JSON.stringify(fields.input)),
    );
  if (existing) return { status: 'exists', approval: existing };
  const hard = await preflight(fields.action, fields.input, fields.facts, verdict.lifts, deps.ctx);
  if (hard !== null) return { status: 'refused', reason: hard };
  const now = deps.now();
  const approval = deps.store.create(
    { ...fields, kind: verdict.kind },
    now,
    deps.ctx.config.approval.ttlMinutes * 60_000,
  );
  const target = targetOf(fields.action, fields.input);
  const record: ProblemRecord = {
    ts: now.toISOString(),
    severity: 'info',
    type: typeOfIdentity(fields.identity),
    description: `${fields.action} ${target}: pending — approval ${approval.id} asked of a person (${verdict.kind}), answerable until ${approval.expiresAt}`,
    action_taken: `${fields.action}:${target}`,
    action_result: 'pending',
    bead_id: null,
    host: deps.host,
    kind: 'action',
    identity: fields.identity,
    incident_id: fields.incidentId,
    source: fields.requestedBy,
    cycle_id: deps.ctx.cycleId,
    details: {
      approval: approval.id,
      approvalKind: verdict.kind,
      expiresAt: approval.expiresAt,
      facts: fields.facts,
      input: fields.input,
    },
  };
  try {
    deps.registry.append([record]);
  } catch (error) {
    deps.ctx.log.error(
      { err: (error as Error).message, approval: approval.id },
      'could not record an approval request',
    );
  }
  deps.wake?.();
  return { status: 'asked', approval };
}

/** The finding type behind an identity (`disk:/` → `disk`), or `action` (as the gate writes it). */
export function typeOfIdentity(identity: string | null): string {
  const prefix = identity?.split(':', 1)[0] ?? '';
  return /^[a-z]{1,20}$/.test(prefix) ? prefix : 'action';
}
