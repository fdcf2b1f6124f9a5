// kill_pid: signal one allowlisted process the Snapshot saw (TERM, then KILL after a grace period); success = gone.
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActionDeniedError } from '../../../errors.js';
import { KillPidInputSchema } from '../../../model/action.js';
import type { ProcessInfo, Snapshot } from '../../../model/snapshot.js';
import type { ActionContext, ActionDef, ActionOutcomeValue } from '../action.js';
import { ancestorsOf, isKernelThread, readArgv0, readProcStat } from '../proc.js';
import { quote } from '../sanitise.js';

export interface KillPidOptions {
  /** How long SIGTERM may take before SIGKILL, ms. */
  graceMs?: number;
  pollMs?: number;
}

const MAX_PID = 4_194_304; // PID_MAX_LIMIT on 64-bit Linux

/** Every process the Snapshot listed, by PID (top by RSS/CPU/swap and orphans). */
function seenInSnapshot(snapshot: Snapshot, pid: number): ProcessInfo | undefined {
  const p = snapshot.processes;
  if (!p) return undefined;
  return [...p.topByRss, ...p.topByCpu, ...p.topBySwap, ...p.orphans].find((info) => info.pid === pid);
}

export function createKillPid(options: KillPidOptions = {}): ActionDef<typeof KillPidInputSchema> {
  const graceMs = options.graceMs ?? 5000;
  const pollMs = Math.max(1, options.pollMs ?? 100);
  const deny = (reason: string): never => {
    throw new ActionDeniedError('kill_pid', reason);
  };

  /** True when the process that had `startTicks` no longer runs (gone, zombie, or the PID now names another). */
  async function gone(ctx: ActionContext, pid: number, startTicks: number): Promise<boolean> {
    const s = await readProcStat(ctx.host.root, pid);
    return !s || s.state === 'Z' || s.state === 'X' || s.startTicks !== startTicks;
  }

  /** Send a signal; ESRCH means it is already gone. */
  function signal(ctx: ActionContext, pid: number, sig: NodeJS.Signals): 'sent' | 'gone' {
    try {
      ctx.host.kill(pid, sig);
      return 'sent';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
      throw error;
    }
  }

  async function waitGone(
    ctx: ActionContext,
    pid: number,
    startTicks: number,
    budgetMs: number,
  ): Promise<{ gone: boolean; waitedMs: number }> {
    let waited = 0;
    while (true) {
      if (await gone(ctx, pid, startTicks)) return { gone: true, waitedMs: waited };
      if (waited >= budgetMs) return { gone: false, waitedMs: waited };
      await sleep(pollMs);
      waited += pollMs;
    }
  }

  return {
    name: 'kill_pid',
    schema: KillPidInputSchema,
    target: (input) => String(input.pid),

    async guard(input, ctx) {
      const pid = input.pid;
      if (!Number.isSafeInteger(pid) || pid <= 0 || pid > MAX_PID)
        deny(`PID must be a positive integer up to ${MAX_PID}, got ${quote(pid)}`);
      if (pid === 1) deny('PID 1 (init) is never killed');
      if (pid === ctx.host.pid) deny(`PID ${pid} is Argus itself`);
      if ((await ancestorsOf(ctx.host.root, ctx.host.pid)).includes(pid))
        deny(`PID ${pid} is an ancestor of Argus (PID ${ctx.host.pid})`);
      const stat = await readProcStat(ctx.host.root, pid);
      if (!stat) deny(`no process with PID ${pid} is running`);
      const s = stat!;
      if (s.state === 'Z' || s.state === 'X') deny(`PID ${pid} has already exited (zombie)`);
      if (isKernelThread(s)) deny(`PID ${pid} (${quote(s.comm)}) is a kernel thread`);
      const argv0 = basename(await readArgv0(ctx.host.root, pid));
      const patterns = ctx.config.killPatterns;
      if (!patterns.includes(s.comm) && !patterns.includes(argv0)) {
        deny(
          `PID ${pid} runs ${quote(s.comm)}, which is not on the kill list (${patterns.join(', ')}; whole command names only)`,
        );
      }
      if (!ctx.snapshot)
        deny(`no snapshot to check PID ${pid} against (PID-reuse guard); kill_pid needs a cycle's snapshot`);
      const seen = seenInSnapshot(ctx.snapshot!, pid);
      if (!seen) deny(`PID ${pid} was not seen in the latest snapshot`);
      if (seen!.startTicks !== s.startTicks) deny(`PID reused: start time changed for PID ${pid} since the snapshot`);
    },

    async execute(input, ctx): Promise<ActionOutcomeValue> {
      const pid = input.pid;
      const before = await readProcStat(ctx.host.root, pid);
      const seen = ctx.snapshot ? seenInSnapshot(ctx.snapshot, pid) : undefined;
      if (!before || before.state === 'Z')
        return { result: 'success', reason: `PID ${pid} had already exited`, details: { signal: null, waitedMs: 0 } };
      if (seen && seen.startTicks !== before.startTicks) {
        return {
          result: 'failure',
          reason: `PID reused before signalling; nothing sent`,
          details: { signal: null, waitedMs: 0 },
        };
      }
      const startTicks = before.startTicks;
      if (signal(ctx, pid, 'SIGTERM') === 'gone')
        return {
          result: 'success',
          reason: `PID ${pid} exited before SIGTERM`,
          details: { signal: null, waitedMs: 0 },
        };
      const term = await waitGone(ctx, pid, startTicks, graceMs);
      if (term.gone)
        return {
          result: 'success',
          reason: `PID ${pid} (${before.comm}) exited after SIGTERM`,
          details: { signal: 'SIGTERM', waitedMs: term.waitedMs, comm: before.comm },
        };
      // Still the same process (waitGone checks start time): escalate.
      signal(ctx, pid, 'SIGKILL');
      const kill = await waitGone(ctx, pid, startTicks, Math.max(graceMs, 2000));
      const waitedMs = term.waitedMs + kill.waitedMs;
      if (kill.gone)
        return {
          result: 'success',
          reason: `PID ${pid} (${before.comm}) ignored SIGTERM for ${term.waitedMs} ms; killed with SIGKILL`,
          details: { signal: 'SIGKILL', waitedMs, comm: before.comm },
        };
      return {
        result: 'failure',
        reason: `PID ${pid} (${before.comm}) is still running after SIGTERM and SIGKILL`,
        details: { signal: 'SIGKILL', waitedMs, comm: before.comm },
      };
    },
  };
}
