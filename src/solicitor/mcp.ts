// The Solicitor over MCP: an action call that policy holds for a person answers "pending approval <id>" (a restart of a
// watched unit off the allowlist, or one past exhausted backoff), and get_approval tells a request's state.
import { z } from 'zod';
import type { ActionContext } from '../agents/executor/action.js';
import { normalizeUnit } from '../agents/executor/actions/restart-service.js';
import type { HoldForApproval } from '../agents/executor/tools.js';
import { RestartServiceInputSchema } from '../model/action.js';
import { defineTool, READ_ONLY } from '../tools/define.js';
import { ToolError, type ToolDef } from '../tools/tool.js';
import { APPROVAL_ID_RE, type ApprovalStore } from '../state/approvals.js';
import type { Registry } from '../state/registry.js';
import { RestartStore } from '../state/restarts.js';
import { ask } from './ask.js';
import { approvalPolicy, solicitorConfigured } from './policy.js';

export interface McpApprovalDeps {
  store: ApprovalStore;
  registry: Registry;
  host: string;
}

/** Hold a restart a person may approve; everything else goes to the gate unchanged. */
export function holdForApproval(deps: McpApprovalDeps): HoldForApproval {
  return async (action, input, ctx: ActionContext, call) => {
    if (action !== 'restart_service' || !solicitorConfigured(ctx.config) || ctx.dryRun) return null;
    const parsed = RestartServiceInputSchema.safeParse(input);
    if (!parsed.success || parsed.data.dry_run || parsed.data.failing_probe !== undefined) return null;
    const unit = normalizeUnit(parsed.data.service);
    if (unit === null) return null;
    const now = ctx.host.now();
    const listed = ctx.config.restartAllowlist.map(normalizeUnit).includes(unit);
    const restarts = new RestartStore(ctx.paths.restarts);
    const verdict = listed ? restarts.verdict(unit, now) : null;
    const backoffExhausted =
      verdict !== null && !verdict.allowed && verdict.attempt > restarts.schedule.delaysMs.length;
    const policy = approvalPolicy(action, { service: unit, reason: parsed.data.reason }, ctx.config, {
      backoffExhausted,
    });
    if (!policy.approvable) return null;
    const identity = call.identity ?? `service:${unit}`;
    const r = await ask(
      { store: deps.store, registry: deps.registry, ctx, now: () => ctx.host.now(), host: deps.host },
      {
        action,
        input: { service: unit, reason: parsed.data.reason },
        facts: { unit },
        summary: `Asked by ${call.source === 'mcp' ? 'Athena over MCP' : call.source}: ${parsed.data.reason}`.slice(
          0,
          600,
        ),
        identity,
        incidentId: call.incidentId ?? null,
        requestedBy: call.source,
        situation: { backoffExhausted },
      },
    );
    if (r.status === 'refused') return null;
    if (r.status === 'exists' && r.approval.status !== 'pending') return null;
    return { id: r.approval.id, expiresAt: r.approval.expiresAt };
  };
}

/** get_approval: the state of one approval request. */
export function getApprovalTool(store: ApprovalStore): ToolDef {
  return defineTool({
    name: 'get_approval',
    title: 'Approval request state',
    description:
      'The state of an approval request an action call answered with "pending approval <id>": pending (a person has not ' +
      'answered yet; expiresAt says until when), approved (with the verified outcome once done), rejected, silenced or ' +
      'expired, who decided and when. Changes nothing.',
    input: z.strictObject({ id: z.string().regex(APPROVAL_ID_RE, 'the 16-character id from "pending approval <id>"') }),
    annotations: { title: 'Approval request state', ...READ_ONLY },
    async run({ id }) {
      const a = store.get(id);
      if (!a) throw new ToolError(`no approval request ${id}`);
      return {
        id: a.id,
        status: a.status,
        action: a.action,
        input: a.input,
        kind: a.kind,
        createdAt: a.createdAt,
        expiresAt: a.expiresAt,
        decidedBy: a.decision?.by ?? null,
        decidedAt: a.decision?.at ?? null,
        outcome: a.outcome,
        sentToTelegram: a.message !== null,
      };
    },
  });
}
