// What every allowlisted action is made of. The gate (gate.ts) runs: schema → guard → rate/backoff → mode → audit.
import type { z } from 'zod';
import type { Config } from '../../config/schema.js';
import type { StatePaths } from '../../config/load.js';
import type { Host } from '../../host/port.js';
import type { Log } from '../../log.js';
import type { ActionName, ActionOutcome } from '../../model/action.js';
import type { Source } from '../../model/finding.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { Notifier } from '../../notify/notifier.js';

export interface ActionContext {
  host: Host;
  config: Config;
  paths: StatePaths;
  log: Log;
  /** The Snapshot the request was made against (PID-reuse guard, tmux existence); null outside a cycle. */
  snapshot: Snapshot | null;
  notifier: Notifier;
  dryRun: boolean;
  cycleId: string | null;
  /** Filled by the gate from the request: the finding identity and incident this attempt is for, and who asked. */
  identity?: string | null;
  incidentId?: string | null;
  source?: Source;
  /** Set only for an action a person approved (src/solicitor/): `liftBackoff` lets a retry past exhausted restart backoff. */
  approval?: { id: string; liftBackoff: boolean };
}

export interface ActionOutcomeValue {
  result: Exclude<ActionOutcome, 'refused' | 'dry_run'>;
  reason: string;
  details: Record<string, unknown>;
  /** Set by create_bead (and playbooks that file one). */
  beadId?: string | null;
}

export interface ActionDef<S extends z.ZodType = z.ZodType> extends ActionRate<S> {
  name: ActionName;
  schema: S;
  /** Target for `action_taken` (`restart_service:nginx.service`). */
  target(input: z.infer<S>): string;
  /** Policy guard: throw ActionDeniedError with a reason a person understands. Read-only. */
  guard(input: z.infer<S>, ctx: ActionContext): Promise<void>;
  /** Dry-run preview (clean_disk lists what it would remove); the gate puts it in `details.preview`. Read-only. */
  preview?(input: z.infer<S>, ctx: ActionContext): Promise<Record<string, unknown>>;
  /** Change the host. Only called after guard, rate limits and mode allowed it. */
  execute(input: z.infer<S>, ctx: ActionContext): Promise<ActionOutcomeValue>;
}

/** A rate/backoff verdict: `allowed: false` makes the attempt `skipped` (not refused): it may be allowed later. */
export interface RateVerdict {
  allowed: boolean;
  reason: string;
  /** Recorded with a skipped attempt (e.g. when the next attempt is allowed). */
  details?: Record<string, unknown>;
}

/** Optional per-action rate step (restart backoff), run after the guard and the per-cycle budget. */
export interface ActionRate<S extends z.ZodType = z.ZodType> {
  rate?(input: z.infer<S>, ctx: ActionContext): Promise<RateVerdict>;
  /** Told the outcome of an executed attempt (to advance backoff state). */
  afterExecute?(input: z.infer<S>, outcome: ActionOutcomeValue, ctx: ActionContext): Promise<void>;
}

/**
 * The gate every caller passes: a playbook (`rule`), a micro-agent (`llm`), Athena over MCP (`mcp`), the CLI (`cli`).
 * Never throws for a refusal: the result says `refused` with the reason, and the attempt is in the registry.
 */
export interface Gate {
  run(
    request: import('../../model/action.js').ActionRequest,
    ctx: ActionContext,
  ): Promise<import('../../model/action.js').ActionResult>;
}
