// The gate's own checks, reused: before asking a person (a hard limit is never put to anyone) and when the answer
// comes (the approved action runs through the same gate, source `human`, against the machine as it is now).
import type { ActionContext, ActionDef } from '../agents/executor/action.js';
import { createCleanDisk } from '../agents/executor/actions/clean-disk.js';
import { createKillPid } from '../agents/executor/actions/kill-pid.js';
import { createKillTmux } from '../agents/executor/actions/kill-tmux.js';
import { createRestartService } from '../agents/executor/actions/restart-service.js';
import { ActionDeniedError } from '../errors.js';
import { ProcessInfoSchema, type Snapshot } from '../model/snapshot.js';
import type { Approval } from '../state/approvals.js';
import { liftedConfig, liftsOf, type Lifts } from './policy.js';

/** The guards of the approvable actions (stateless: building them reads nothing). */
const GUARDS: Record<string, () => ActionDef> = {
  restart_service: () => createRestartService() as unknown as ActionDef,
  kill_pid: () => createKillPid() as unknown as ActionDef,
  kill_tmux: () => createKillTmux() as unknown as ActionDef,
  clean_disk: () => createCleanDisk() as unknown as ActionDef,
};

/**
 * The Snapshot an approved request is checked against: the process it was based on (PID and start time) and nothing
 * else. kill_pid's guard compares that start time with /proc now, so a PID reused since the request is refused.
 */
export function factsSnapshot(
  base: Snapshot | null,
  facts: Record<string, unknown>,
  now: Date,
  pid: number,
  stateDir: string,
): Snapshot | null {
  const parsed = ProcessInfoSchema.safeParse(facts.process);
  if (!parsed.success) return base;
  return {
    ts: now.toISOString(),
    host: base?.host ?? '',
    memory: null,
    swap: null,
    disks: null,
    cpu: null,
    services: null,
    processes: { total: 1, topByRss: [parsed.data], topByCpu: [], topBySwap: [], orphans: [] },
    tmux: null,
    probes: null,
    athena: null,
    self: base?.self ?? { pid, stateDir, stateFreeBytes: null, consecutiveFailures: 0 },
    gaps: [],
    collectMs: 0,
  };
}

/** The context an approved request runs in: source human, its one rule lifted, checked against its facts. */
export function approvedContext(
  base: ActionContext,
  approval: Pick<Approval, 'id' | 'kind' | 'input' | 'facts'>,
  now: Date,
): ActionContext {
  const lifts = liftsOf(approval.kind, approval.input);
  return {
    ...base,
    config: liftedConfig(base.config, lifts),
    snapshot:
      approval.facts.process !== undefined
        ? factsSnapshot(base.snapshot, approval.facts, now, base.host.pid, base.paths.stateDir)
        : base.snapshot,
    source: 'human',
    approval: { id: approval.id, liftBackoff: lifts.liftBackoff },
    cycleId: null,
  };
}

/**
 * Would the gate's schema and guard accept this request once its rule is lifted? null when yes; else the reason (a
 * hard limit: PID 1, Argus itself, a command off the kill list, a session that does not exist…).
 */
export async function preflight(
  action: string,
  input: Record<string, unknown>,
  facts: Record<string, unknown>,
  lifts: Lifts,
  ctx: ActionContext,
): Promise<string | null> {
  const make = GUARDS[action];
  if (!make) return `${action} is never put to a person`;
  const def = make();
  const parsed = def.schema.safeParse(input);
  if (!parsed.success) return `${action}: invalid input (${parsed.error.issues[0]?.message ?? 'invalid'})`;
  const lifted: ActionContext = {
    ...ctx,
    config: liftedConfig(ctx.config, lifts),
    snapshot:
      facts.process !== undefined
        ? factsSnapshot(ctx.snapshot, facts, ctx.host.now(), ctx.host.pid, ctx.paths.stateDir)
        : ctx.snapshot,
  };
  try {
    await def.guard(parsed.data, lifted);
    return null;
  } catch (error) {
    if (error instanceof ActionDeniedError) return error.reason;
    return `could not check: ${(error as Error).message}`;
  }
}
