// Service rule: a watched systemd unit that is down (failed, died, crash-looping) fires at once; an admin stop is not down.
import type { Finding } from '../../../model/finding.js';
import type { Service, Snapshot } from '../../../model/snapshot.js';
import { makeFinding } from '../format.js';
import { countEvents, noteEvent, swapLevel, type RuleContext } from '../state.js';

const HOUR_MS = 3_600_000;

/** Restarts between looks within this window that make an incident (issue 12: 3 in an hour). */
export const RESTARTS_PER_HOUR_INCIDENT = 3;
import { withUnitType } from '../../../model/unit.js';

/** `nginx` → `nginx.service` (the one rule: src/model/unit.ts). */
export const normalizeUnit = withUnitType;

export type ServiceCondition = 'not-found' | 'failed' | 'died' | 'crash-loop' | 'ok';

/** How a unit's systemd state reads to an operator. Inactive with Result=success means stopped on purpose: ok. */
export function classifyService(s: Service): ServiceCondition {
  if (s.loadState === 'not-found') return 'not-found';
  if (s.activeState === 'failed') return 'failed';
  if (s.activeState === 'inactive' && s.result !== 'success') return 'died';
  if (s.activeState === 'activating' && s.subState === 'auto-restart') return 'crash-loop';
  return 'ok';
}

const TEXT: Record<Exclude<ServiceCondition, 'ok'>, (s: Service) => string> = {
  'not-found': (s) =>
    `Service ${normalizeUnit(s.unit)}: unit not found on this host, so it is not being watched (check the name in ARGUS_SERVICES or services in argus.json)`,
  failed: (s) => `Service ${normalizeUnit(s.unit)} failed (result: ${s.result})`,
  died: (s) => `Service ${normalizeUnit(s.unit)} is down (inactive, result: ${s.result})`,
  'crash-loop': (s) =>
    `Service ${normalizeUnit(s.unit)} is crash-looping (${s.nRestarts} restarts, result: ${s.result})`,
};

export function serviceRule(s: Snapshot, ctx: RuleContext): Finding[] {
  if (s.services === null) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const svc of s.services) {
    const unit = normalizeUnit(svc.unit);
    if (seen.has(unit)) continue;
    seen.add(unit);
    const condition = classifyService(svc);
    const between = restartedBetweenLooks(ctx, unit, svc, condition);
    if (between) out.push(between);
    if (condition === 'ok') continue;
    out.push(
      // A unit that does not exist is a configuration problem, not a crash: a warning, said once (a watch that silently
      // watches nothing is worse than no watch), and never a restart (the playbook leaves it to a person).
      makeFinding('service', unit, condition === 'not-found' ? 'warning' : 'critical', TEXT[condition](svc), {
        unit,
        condition,
        loadState: svc.loadState,
        activeState: svc.activeState,
        subState: svc.subState,
        result: svc.result,
        nRestarts: svc.nRestarts,
        mainPid: svc.mainPid,
        activeEnterTimestamp: svc.activeEnterTimestamp,
      }),
    );
  }
  return out;
}

/**
 * A unit that was up at the last look and is up now, yet restarted in between: systemd restarted it (NRestarts rose)
 * or its main process changed. The crash itself was never seen, so it is recorded (info); 3 within an hour are an
 * incident (warning). Argus's own restarts are not counted: the cycle forgets a unit's levels when it restarts it
 * (forgetUnitLevels).
 */
function restartedBetweenLooks(
  ctx: RuleContext,
  unit: string,
  svc: Service,
  condition: ServiceCondition,
): Finding | null {
  const up = condition === 'ok' && svc.activeState === 'active';
  const prevRestarts = swapLevel(ctx, `nrestarts:${unit}`, svc.nRestarts);
  const prevPid = swapLevel(ctx, `mainpid:${unit}`, up ? svc.mainPid : 0);
  const identity = `restart:${unit}`;
  const systemdRestarts = up && prevRestarts !== null ? svc.nRestarts - prevRestarts : 0;
  const newPid = up && prevPid !== null && prevPid > 0 && svc.mainPid > 0 && svc.mainPid !== prevPid;
  const restarted = systemdRestarts > 0 || newPid;
  const count = restarted ? noteEvent(ctx, identity, HOUR_MS) : countEvents(ctx, identity, HOUR_MS);
  // One steady finding while the last hour holds a restart (info; a warning from 3), not a blip per restart: the
  // router sees one condition, not a flapping one, and the incident ends an hour after the last restart.
  if (count === 0) return null;
  const how = !restarted
    ? 'no new restart since the last look'
    : systemdRestarts > 0
      ? `systemd restarted it ${systemdRestarts === 1 ? 'once' : `${systemdRestarts} times`} (NRestarts ${prevRestarts} → ${svc.nRestarts})`
      : `its main PID changed (${prevPid} → ${svc.mainPid})`;
  const severity = count >= RESTARTS_PER_HOUR_INCIDENT ? 'warning' : 'info';
  return makeFinding(
    'restart',
    unit,
    severity,
    `Service ${unit} restarted between checks: ${count} time${count === 1 ? '' : 's'} in the last hour (${how})`,
    {
      unit,
      restartsInHour: count,
      nRestarts: svc.nRestarts,
      previousNRestarts: prevRestarts,
      mainPid: svc.mainPid,
      previousMainPid: prevPid,
      activeEnterTimestamp: svc.activeEnterTimestamp,
    },
  );
}

/** After Argus restarted a unit itself: its next look starts a new baseline instead of counting that restart. */
export function forgetUnitLevels(levels: Record<string, unknown>, unit: string): void {
  delete levels[`nrestarts:${unit}`];
  delete levels[`mainpid:${unit}`];
}
