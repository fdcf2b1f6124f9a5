// restart_service: restart an allowlisted systemd unit, with ARG-006 backoff, and verify it is running.
import { ActionDeniedError } from '../../../errors.js';
import type { Host } from '../../../host/port.js';
import { RestartServiceInputSchema } from '../../../model/action.js';
import { DEFAULT_SCHEDULE, RestartStore, type BackoffSchedule } from '../../../state/restarts.js';
import type { ActionContext, ActionDef, ActionOutcomeValue } from '../action.js';

const UNIT_RE = /^[A-Za-z0-9:_.@-]+\.service$/;
const OTHER_UNIT_TYPES = /\.(socket|timer|target|mount|automount|path|slice|scope|device|swap)$/;
const SHOW_PROPS = [
  'LoadState',
  'ActiveState',
  'SubState',
  'Result',
  'UnitFileState',
  'Type',
  'MainPID',
  'InvocationID',
] as const;

export type UnitState = Record<(typeof SHOW_PROPS)[number], string>;

/**
 * `nginx` → `nginx.service`; null for anything that is not a plain service unit name
 * (other unit types, NUL, slashes, `..`, a leading `-` that systemctl would read as an option).
 */
export function normalizeUnit(name: string): string | null {
  if (name.length === 0 || name.length > 256) return null;
  if (name.includes('\0') || name.includes('/') || name.includes('..') || name.startsWith('-')) return null;
  if (OTHER_UNIT_TYPES.test(name)) return null;
  const unit = name.endsWith('.service') ? name : `${name}.service`;
  return UNIT_RE.test(unit) && unit !== '.service' && !unit.startsWith('.') ? unit : null;
}

/** Read a unit's state; null when systemctl could not answer. */
export async function showUnit(host: Host, unit: string): Promise<UnitState | null> {
  const r = await host.exec('systemctl', ['show', `--property=${SHOW_PROPS.join(',')}`, '--', unit], {
    timeoutMs: 10_000,
  });
  if (r.failed) return null;
  const state = Object.fromEntries(SHOW_PROPS.map((p) => [p, ''])) as UnitState;
  for (const line of r.stdout.split('\n')) {
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    if (eq > 0 && (SHOW_PROPS as readonly string[]).includes(key))
      state[key as keyof UnitState] = line.slice(eq + 1).trim();
  }
  return state.LoadState ? state : null;
}

export interface RestartServiceOptions {
  /** How long a restarted unit has to come up (and `systemctl restart` may block), ms. */
  verifyTimeoutMs?: number;
  pollMs?: number;
  /** A unit must still be active, same invocation, this long after it first looked up (catches instant crashes), ms. */
  settleMs?: number;
  schedule?: BackoffSchedule;
  /** Real-time sleep for polling (not the domain clock: a test's frozen clock must not hang verification). */
  sleep?: (ms: number) => Promise<void>;
  monotonic?: () => number;
}

type Input = ReturnType<typeof RestartServiceInputSchema.parse>;

/** The probe is configured for this unit, and the latest snapshot saw it failing. */
function probeTiedTo(name: string | undefined, unit: string, ctx: ActionContext): boolean {
  if (name === undefined) return false;
  const probe = ctx.config.probes.find((p) => p.name === name);
  if (!probe?.service || normalizeUnit(probe.service) !== unit) return false;
  return ctx.snapshot?.probes?.some((p) => p.name === name && !p.ok) ?? false;
}

const deny = (reason: string): never => {
  throw new ActionDeniedError('restart_service', reason);
};

function unitOf(input: Input): string {
  return normalizeUnit(input.service) ?? deny(`"${input.service.slice(0, 80)}" is not a valid service unit name`);
}

/** Build the action. The store lives in `ctx.paths.restarts`; nothing is kept in memory between calls. */
export function createRestartService(options: RestartServiceOptions = {}): ActionDef<typeof RestartServiceInputSchema> {
  const verifyTimeoutMs = options.verifyTimeoutMs ?? 10_000;
  const pollMs = options.pollMs ?? 250;
  const settleMs = options.settleMs ?? 1000;
  const schedule = options.schedule ?? DEFAULT_SCHEDULE;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const monotonic = options.monotonic ?? (() => performance.now());
  const store = (ctx: ActionContext) =>
    new RestartStore(ctx.paths.restarts, schedule, (reason) =>
      ctx.log.warn({ reason }, 'restarts.json invalid; starting fresh'),
    );

  /** Poll until the unit is active and stays active for settleMs, it fails, or the deadline passes. */
  async function verify(
    host: Host,
    unit: string,
    deadline: number,
  ): Promise<{ ok: boolean; state: UnitState | null; why: string }> {
    let up: { at: number; id: string } | null = null;
    for (;;) {
      const state = await showUnit(host, unit);
      const now = monotonic();
      const active =
        state?.ActiveState === 'active' &&
        (state.Type !== 'simple' && state.Type !== 'exec' ? true : state.SubState === 'running');
      const id = `${state?.InvocationID ?? ''}:${state?.MainPID ?? ''}`;
      if (active) {
        if (!up || up.id !== id) up = { at: now, id };
        else if (now - up.at >= settleMs) return { ok: true, state, why: 'verified active' };
      } else {
        up = null;
        if (state?.ActiveState === 'failed')
          return { ok: false, state, why: `failed after restart (Result=${state.Result})` };
      }
      if (now >= deadline) {
        return {
          ok: false,
          state,
          why: `not active within ${verifyTimeoutMs} ms (ActiveState=${state?.ActiveState ?? '?'}, SubState=${state?.SubState ?? '?'})`,
        };
      }
      await sleep(pollMs);
    }
  }

  /** Count the attempt; an unwritable state file must not turn a done restart into a failure (it is logged). */
  function recordAttempt(ctx: ActionContext, unit: string, ok: boolean) {
    const now = ctx.host.now();
    try {
      return store(ctx).record(unit, ok, now);
    } catch (error) {
      ctx.log.error({ unit, err: (error as Error).message }, 'could not record the restart attempt in restarts.json');
      const verdict = store(ctx).verdict(unit, now);
      const escalate = !ok && verdict.attempt >= schedule.delaysMs.length;
      return {
        attempt: verdict.attempt,
        escalate,
        nextAllowedAt: new Date(now.getTime() + (escalate ? schedule.holdMs : 0)),
      };
    }
  }

  return {
    name: 'restart_service',
    schema: RestartServiceInputSchema,
    target: (input) => normalizeUnit(input.service) ?? input.service.slice(0, 80),

    async guard(input, ctx) {
      const unit = unitOf(input);
      const allowed = ctx.config.restartAllowlist.map(normalizeUnit);
      if (!allowed.includes(unit)) deny(`${unit} is not on the restart allowlist (restartAllowlist)`);
      const state = await showUnit(ctx.host, unit);
      if (!state) return deny(`cannot read the state of ${unit} from systemctl`);
      if (state.LoadState === 'not-found') deny(`${unit} does not exist (LoadState=not-found)`);
      if (state.LoadState === 'masked' || state.UnitFileState === 'masked')
        deny(`${unit} is masked by an administrator`);
      if (state.ActiveState === 'inactive' && state.Result === 'success') {
        deny(`${unit} was stopped by an administrator; Argus leaves it alone`);
      }
    },

    async rate(input, ctx) {
      const unit = unitOf(input);
      const verdict = store(ctx).verdict(unit, ctx.host.now());
      const exhausted = !verdict.allowed && verdict.attempt > schedule.delaysMs.length;
      const lastResult = store(ctx).entry(unit)?.lastResult ?? null;
      const details = verdict.nextAllowedAt
        ? { nextAttemptAt: verdict.nextAllowedAt.toISOString(), attempt: verdict.attempt, exhausted, lastResult }
        : {};
      return { allowed: verdict.allowed, reason: verdict.reason, details };
    },

    async execute(input, ctx): Promise<ActionOutcomeValue> {
      const unit = unitOf(input);
      const host = ctx.host;
      const before = await showUnit(host, unit);
      // A running unit is restarted only for its own failing health probe (Monit's `if failed port then restart`).
      if (before?.ActiveState === 'active' && !probeTiedTo(input.failing_probe, unit, ctx)) {
        store(ctx).markHealthy(unit, host.now());
        return { result: 'skipped', reason: `${unit} is already active`, details: { before } };
      }
      const started = monotonic();
      let resetFailed = false;
      if (before?.Result === 'start-limit-hit' || before?.ActiveState === 'failed') {
        const r = await host.exec('systemctl', ['reset-failed', '--', unit], { timeoutMs: 10_000 });
        resetFailed = !r.failed;
      }
      const restart = await host.exec('systemctl', ['restart', '--', unit], { timeoutMs: verifyTimeoutMs });
      const verdict =
        restart.timedOut || !restart.failed
          ? await verify(host, unit, started + verifyTimeoutMs)
          : {
              ok: false,
              state: await showUnit(host, unit),
              why: `systemctl restart failed: ${(restart.stderr || restart.spawnError || `exit ${restart.exitCode}`).trim().slice(0, 500)}`,
            };
      const recorded = recordAttempt(ctx, unit, verdict.ok);
      const details = {
        unit,
        before,
        after: verdict.state,
        resetFailed,
        attempt: recorded.attempt,
        escalate: recorded.escalate,
        nextAttemptAt: recorded.nextAllowedAt.toISOString(),
      };
      if (verdict.ok)
        return {
          result: 'success',
          reason: `${unit} restarted and verified active (attempt ${recorded.attempt})`,
          details,
        };
      const tail = recorded.escalate ? `; no more attempts until ${recorded.nextAllowedAt.toISOString()}` : '';
      return { result: 'failure', reason: `${unit}: ${verdict.why} (attempt ${recorded.attempt})${tail}`, details };
    },
  };
}

/**
 * The orchestrator's view of restart health (RestartHealthPort): `markHealthy` each cycle a watched unit is active,
 * so the backoff counter resets after an hour of health; `markDown` when it is seen down.
 */
export function createRestartHealth(path: string, schedule: BackoffSchedule = DEFAULT_SCHEDULE) {
  const store = new RestartStore(path, schedule);
  return {
    markHealthy: (unit: string, now: Date): void => store.markHealthy(normalizeUnit(unit) ?? unit, now),
    markDown: (unit: string): void => store.markDown(normalizeUnit(unit) ?? unit),
    shift: (ms: number): void => store.shift(ms),
  };
}
