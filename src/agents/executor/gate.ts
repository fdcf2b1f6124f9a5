// The gate every action passes: allowlist → schema → guard → budget → rate → mode → execute, one audit record each.
import type { z } from 'zod';
import { ActionDeniedError } from '../../errors.js';
import { ACTION_NAMES, type ActionName, type ActionOutcome, type ActionRequest } from '../../model/action.js';
import { SourceSchema, type Source } from '../../model/finding.js';
import type { ProblemRecord } from '../../model/record.js';
import type { Registry } from '../../state/registry.js';
import type { ActionContext, ActionDef, ActionOutcomeValue, Gate } from './action.js';
import { BudgetLedger, type Budgets } from './budgets.js';
import { quote, safeText, sanitiseInput } from './sanitise.js';
import { oneLine } from '../../model/escape.js';

export interface GateDeps {
  registry: Registry;
  now: () => Date;
  /** Hostname written into every record. */
  host: string;
  budgets?: Partial<Budgets>;
}

interface Verdict {
  result: ActionOutcome;
  reason: string;
  target: string;
  details: Record<string, unknown>;
  beadId?: string | null;
}

/** The field of each action's input that names its target, for records of requests refused at the schema. */
const TARGET_FIELD: Partial<Record<ActionName, string>> = {
  kill_pid: 'pid',
  kill_tmux: 'session',
  restart_service: 'service',
};

export function createGate(actions: readonly ActionDef[], deps: GateDeps): Gate {
  const byName = new Map<string, ActionDef>(actions.map((a) => [a.name, a]));
  const ledger = new BudgetLedger(deps.budgets, deps.now);

  async function decide(request: ActionRequest, action: ActionDef, ctx: ActionContext): Promise<Verdict> {
    const parsed = action.schema.safeParse(request.input);
    if (!parsed.success) {
      return {
        result: 'refused',
        reason: schemaReason(action.name, parsed.error),
        target: roughTarget(action.name, request.input),
        details: {},
      };
    }
    const input: unknown = parsed.data;
    let target: string;
    try {
      target = safeText(action.target(input), 200);
    } catch {
      target = '?';
    }
    const verdict = (result: ActionOutcome, reason: string, details: Record<string, unknown> = {}): Verdict => ({
      result,
      reason,
      target,
      details,
    });

    try {
      await action.guard(input, ctx);
    } catch (error) {
      if (error instanceof ActionDeniedError) return verdict('refused', error.reason);
      return verdict('failure', `guard could not decide: ${errorText(error)}`);
    }

    const budget = ledger.take(action.name, ctx.cycleId);
    if (!budget.allowed) {
      const per = ctx.cycleId === null ? 'per 5 minutes' : 'per cycle';
      return verdict('refused', `budget of ${budget.limit} ${action.name} ${per} used`, { budget: budget.limit });
    }

    // A person approved a retry past the backoff (source human): the budget still applies, the backoff does not.
    const backoffLifted = ctx.source === 'human' && ctx.approval?.liftBackoff === true;
    if (action.rate && !backoffLifted) {
      try {
        const rate = await action.rate(input, ctx);
        if (!rate.allowed) return verdict('skipped', rate.reason || 'rate limited', rate.details ?? {});
      } catch (error) {
        return verdict('failure', `rate check failed: ${errorText(error)}`);
      }
    }

    const inputDryRun =
      typeof input === 'object' && input !== null && (input as { dry_run?: unknown }).dry_run === true;
    if (ctx.dryRun || inputDryRun) {
      const details: Record<string, unknown> = { dryRun: true };
      const preview = action.preview;
      if (preview) {
        try {
          details.preview = await preview.call(action, input, ctx);
        } catch (error) {
          details.previewError = errorText(error);
        }
      }
      return verdict('dry_run', `would ${action.name} ${target}`, details);
    }

    let outcome: ActionOutcomeValue;
    try {
      outcome = await action.execute(input, ctx);
    } catch (error) {
      outcome = { result: 'failure', reason: errorText(error), details: {} };
    }
    if (action.afterExecute) {
      try {
        await action.afterExecute(input, outcome, ctx);
      } catch (error) {
        ctx.log.warn({ action: action.name, err: errorText(error) }, 'afterExecute failed');
      }
    }
    return {
      ...verdict(outcome.result, outcome.reason || outcome.result, outcome.details),
      beadId: outcome.beadId ?? null,
    };
  }

  return {
    async run(request, ctx) {
      const source: Source = SourceSchema.safeParse(request.source).data ?? 'mcp';
      const identity = typeof request.identity === 'string' ? request.identity : (ctx.identity ?? null);
      const incidentId = typeof request.incidentId === 'string' ? request.incidentId : (ctx.incidentId ?? null);
      const actx: ActionContext = { ...ctx, identity, incidentId, source };
      const name = typeof request.action === 'string' ? request.action : String(request.action);
      const action = byName.get(name);
      const known = (ACTION_NAMES as readonly string[]).includes(name);

      let verdict: Verdict;
      if (!known || !action) {
        verdict = {
          result: 'refused',
          reason: known
            ? `${name} is allowlisted but not available in this gate`
            : `${quote(name)} is not one of the seven allowlisted actions`,
          target: roughTarget(undefined, request.input),
          details: {},
        };
      } else {
        try {
          verdict = await decide(request, action, actx);
        } catch (error) {
          verdict = { result: 'failure', reason: `gate error: ${errorText(error)}`, target: '?', details: {} };
        }
      }
      // Line breaks in a reason (systemctl's stderr, a journal line) read as spaces; other controls stay escaped.
      const reason = safeText(oneLine(verdict.reason), 1000) || verdict.result;
      const actionLabel = known ? name : safeText(name, 64);
      const record: ProblemRecord = {
        ts: deps.now().toISOString(),
        severity: verdict.result === 'refused' || verdict.result === 'failure' ? 'warning' : 'info',
        type: typeOf(identity),
        description: `${actionLabel} ${verdict.target}: ${verdict.result} — ${reason}`,
        action_taken: `${actionLabel}:${verdict.target}`,
        action_result: verdict.result,
        bead_id: verdict.beadId ?? null,
        host: deps.host,
        kind: 'action',
        identity,
        incident_id: incidentId,
        source,
        cycle_id: ctx.cycleId,
        details: { ...verdict.details, ...(request.audit ?? {}), reason, input: safeInput(request.input) },
      };
      try {
        deps.registry.append([record]);
      } catch (error) {
        ctx.log.error({ err: errorText(error), action: actionLabel }, 'could not record an action attempt');
        record.details.auditError = errorText(error);
      }
      return { result: verdict.result, reason, details: record.details, record };
    },
  };
}

function safeInput(input: unknown): unknown {
  try {
    return sanitiseInput(input);
  } catch {
    return '<unreadable input>';
  }
}

/** The finding type behind an identity (`disk:/` → `disk`), or `action`. */
function typeOf(identity: string | null): string {
  const prefix = identity?.split(':', 1)[0] ?? '';
  return /^[a-z]{1,20}$/.test(prefix) ? prefix : 'action';
}

/** A short, safe rendering of the target of a request that failed validation. */
function roughTarget(action: ActionName | undefined, input: unknown): string {
  const field = action ? TARGET_FIELD[action] : undefined;
  if (!field || typeof input !== 'object' || input === null) return '?';
  let value: unknown;
  try {
    value = (input as Record<string, unknown>)[field];
  } catch {
    return '?';
  }
  if (typeof value === 'string' || typeof value === 'number')
    return safeText(String(value), 64).replace(/\s/g, '_') || '?';
  return '?';
}

/** A refusal reason naming the field and the problem: `kill_pid.pid: expected an integer`. */
function schemaReason(action: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const path = [action, ...issue.path.map((p) => safeText(String(p), 40))].join('.');
    return `${path}: ${describeIssue(issue)}`;
  });
  if (error.issues.length > 3) parts.push(`and ${error.issues.length - 3} more problems`);
  return parts.join('; ');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const got = issue.message.match(/received (\w+)$/)?.[1] ?? 'something else';
      if (got === 'undefined') return 'is required';
      if (issue.expected === 'int') return 'expected an integer';
      if (issue.expected === 'object' && issue.path.length === 0) return 'expected an object of named fields';
      return `expected ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}, got ${got}`;
    }
    case 'too_big':
      return issue.origin === 'string'
        ? `too long (at most ${String(issue.maximum)} characters)`
        : `too large (at most ${String(issue.maximum)})`;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `too short (at least ${String(issue.minimum)} characters)`;
      return `too small (at least ${String(issue.minimum)})`;
    case 'unrecognized_keys':
      return `unexpected field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
        .slice(0, 5)
        .map((k) => quote(k, 40))
        .join(', ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values
        .slice(0, 10)
        .map((v) => quote(v, 40))
        .join(', ')}`;
    default:
      return safeText(issue.message, 200);
  }
}

function errorText(error: unknown): string {
  return safeText(error instanceof Error ? error.message : String(error), 500);
}
