// CPU rules: utilisation over the interval and 1-minute load per core, both confirmed over several cycles.
import type { Finding } from '../../../model/finding.js';
import type { Snapshot } from '../../../model/snapshot.js';
import { fmtPct, makeFinding, pctSeverity, procSummary, ratioSeverity } from '../format.js';
import { track, type RuleContext } from '../state.js';

/** Load per core is critical at this many times its fire threshold. */
export const LOAD_CRITICAL_FACTOR = 2;

export function cpuRule(s: Snapshot, ctx: RuleContext): Finding[] {
  const c = s.cpu;
  if (c === null) return [];
  const out: Finding[] = [];
  const confirm = ctx.config.confirmCycles.cpu;
  const { cpu: band, loadPerCore } = ctx.config.thresholds;
  const top = (s.processes?.topByCpu ?? []).slice(0, 5).map(procSummary);
  if (c.utilPct !== null) {
    const obs = { fires: c.utilPct >= band.fire, clears: c.utilPct < band.clear };
    if (track(ctx, 'cpu:util', obs, confirm)) {
      out.push(
        makeFinding(
          'cpu',
          'util',
          pctSeverity(c.utilPct, band.fire),
          `CPU at ${fmtPct(c.utilPct)} on ${c.cores} cores`,
          {
            utilPct: c.utilPct,
            cores: c.cores,
            topByCpu: top,
            fire: band.fire,
            clear: band.clear,
          },
        ),
      );
    }
  }
  const load = c.load1PerCore;
  if (track(ctx, 'cpu:load', { fires: load >= loadPerCore.fire, clears: load < loadPerCore.clear }, confirm)) {
    out.push(
      makeFinding(
        'cpu',
        'load',
        ratioSeverity(load, loadPerCore.fire, LOAD_CRITICAL_FACTOR),
        `Load ${c.load1.toFixed(2)} on ${c.cores} cores (${load.toFixed(2)} per core)`,
        {
          load1: c.load1,
          load5: c.load5,
          load15: c.load15,
          perCore: load,
          cores: c.cores,
          topByCpu: top,
          fire: loadPerCore.fire,
          clear: loadPerCore.clear,
        },
      ),
    );
  }
  return out;
}
