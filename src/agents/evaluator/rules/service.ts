// Service rule: a watched systemd unit that is down (failed, died, crash-looping) fires at once; an admin stop is not down.
import type { Finding } from '../../../model/finding.js';
import type { Service, Snapshot } from '../../../model/snapshot.js';
import { makeFinding } from '../format.js';
import type { RuleContext } from '../state.js';
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
  'not-found': (s) => `Service ${normalizeUnit(s.unit)}: unit not found (check the configured name)`,
  failed: (s) => `Service ${normalizeUnit(s.unit)} failed (result: ${s.result})`,
  died: (s) => `Service ${normalizeUnit(s.unit)} is down (inactive, result: ${s.result})`,
  'crash-loop': (s) => `Service ${normalizeUnit(s.unit)} is crash-looping (${s.nRestarts} restarts, result: ${s.result})`,
};

export function serviceRule(s: Snapshot, _ctx: RuleContext): Finding[] {
  if (s.services === null) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const svc of s.services) {
    const unit = normalizeUnit(svc.unit);
    if (seen.has(unit)) continue;
    seen.add(unit);
    const condition = classifyService(svc);
    if (condition === 'ok') continue;
    out.push(
      makeFinding('service', unit, condition === 'not-found' ? 'info' : 'critical', TEXT[condition](svc), {
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
