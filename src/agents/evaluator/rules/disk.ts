// Disk rule: space and inodes per mounted filesystem, with confirmation and hysteresis.
import type { Finding } from '../../../model/finding.js';
import type { Snapshot } from '../../../model/snapshot.js';
import { fmtBytes, fmtPct, makeFinding, pctSeverity } from '../format.js';
import { sweep, track, type RuleContext } from '../state.js';

export function diskRule(s: Snapshot, ctx: RuleContext): Finding[] {
  if (s.disks === null) return [];
  const { disk: space, inodes } = ctx.config.thresholds;
  const confirm = ctx.config.confirmCycles.disk;
  const out: Finding[] = [];
  for (const d of s.disks) {
    const base = { mount: d.mount, device: d.device, fstype: d.fstype, totalBytes: d.totalBytes };
    const spaceObs = { fires: d.usedPct >= space.fire, clears: d.usedPct < space.clear };
    if (track(ctx, `disk:${d.mount}`, spaceObs, confirm)) {
      out.push(
        makeFinding(
          'disk',
          d.mount,
          pctSeverity(d.usedPct, space.fire),
          `Disk ${d.mount} at ${fmtPct(d.usedPct)} (${fmtBytes(d.availBytes)} free)`,
          { ...base, usedPct: d.usedPct, usedBytes: d.usedBytes, availBytes: d.availBytes, fire: space.fire, clear: space.clear },
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
          { ...base, inodesPct: d.inodesPct, inodesUsed: d.inodesUsed, inodesTotal: d.inodesTotal, fire: inodes.fire, clear: inodes.clear },
        ),
      );
    }
  }
  sweep(ctx, (id) => id.startsWith('disk:'));
  return out;
}
