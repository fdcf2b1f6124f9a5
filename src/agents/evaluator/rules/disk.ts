// Disk rule: space and inodes per mounted filesystem, with confirmation and hysteresis.
import type { Finding } from '../../../model/finding.js';
import type { Snapshot } from '../../../model/snapshot.js';
import { fmtBytes, fmtDuration, fmtPct, makeFinding, pctSeverity } from '../format.js';
import { rateOf, sweep, track, type RuleContext } from '../state.js';

/** A disk that would be full within this long at its current rate fires at once, without confirmation. */
export const FAST_FILL_SEC = 3600;

export function diskRule(s: Snapshot, ctx: RuleContext): Finding[] {
  if (s.disks === null) return [];
  const { disk: space, inodes } = ctx.config.thresholds;
  const confirm = ctx.config.confirmCycles.disk;
  const out: Finding[] = [];
  for (const d of s.disks) {
    const base = { mount: d.mount, device: d.device, fstype: d.fstype, totalBytes: d.totalBytes };
    const spaceObs = { fires: d.usedPct >= space.fire, clears: d.usedPct < space.clear };
    const { rate, previousRate } = rateOf(ctx, `disk:${d.mount}`, d.usedBytes);
    const fullInSec = rate !== null && rate > 0 ? d.availBytes / rate : null;
    // Filling, not a jump: it grew over the interval before too (a one-look blip is a jump and waits for confirmation).
    const fast = fullInSec !== null && fullInSec <= FAST_FILL_SEC && previousRate !== null && previousRate > 0;
    if (track(ctx, `disk:${d.mount}`, spaceObs, fast ? 1 : confirm)) {
      const filling =
        fullInSec !== null && fullInSec <= 86_400
          ? `, filling at ${fmtBytes(rate! * 60)}/min: full in about ${fmtDuration(fullInSec)}`
          : '';
      out.push(
        makeFinding(
          'disk',
          d.mount,
          pctSeverity(d.usedPct, space.fire),
          `Disk ${d.mount} at ${fmtPct(d.usedPct)} (${fmtBytes(d.availBytes)} free${filling})`,
          {
            ...base,
            usedPct: d.usedPct,
            usedBytes: d.usedBytes,
            availBytes: d.availBytes,
            fire: space.fire,
            clear: space.clear,
            bytesPerSec: rate,
            fullInSec,
          },
        ),
      );
    }
    if (d.inodesTotal <= 0) continue;
    const inodeObs = { fires: d.inodesPct >= inodes.fire, clears: d.inodesPct < inodes.clear };
    if (track(ctx, `disk:inodes:${d.mount}`, inodeObs, confirm)) {
      out.push(
        makeFinding(
          'disk',
          `inodes:${d.mount}`,
          pctSeverity(d.inodesPct, inodes.fire),
          `Inodes on ${d.mount} at ${fmtPct(d.inodesPct)} (${d.inodesTotal - d.inodesUsed} free)`,
          {
            ...base,
            inodesPct: d.inodesPct,
            inodesUsed: d.inodesUsed,
            inodesTotal: d.inodesTotal,
            fire: inodes.fire,
            clear: inodes.clear,
          },
        ),
      );
    }
  }
  sweep(ctx, (id) => id.startsWith('disk:'));
  return out;
}
