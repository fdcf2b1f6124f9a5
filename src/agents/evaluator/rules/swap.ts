// Swap rules: swap space in use, and swap thrashing (swap-in + swap-out rate) with the processes holding most swap.
import type { Finding } from '../../../model/finding.js';
import type { Snapshot } from '../../../model/snapshot.js';
import { fmtBytes, fmtPct, makeFinding, pctSeverity, procSummary, ratioSeverity } from '../format.js';
import { track, type RuleContext } from '../state.js';

/** Thrashing clears when the rate falls under this fraction of the threshold (hysteresis). */
export const THRASH_CLEAR_FRACTION = 0.5;
/** Thrashing is critical at this many times the threshold. */
export const THRASH_CRITICAL_FACTOR = 3;

export function swapRule(s: Snapshot, ctx: RuleContext): Finding[] {
  const sw = s.swap;
  if (sw === null) return [];
  const out: Finding[] = [];
  const band = ctx.config.thresholds.swap;
  const confirm = ctx.config.confirmCycles.swap;
  const usage = {
    fires: sw.totalBytes > 0 && sw.usedPct >= band.fire,
    clears: sw.totalBytes <= 0 || sw.usedPct < band.clear,
  };
  if (track(ctx, 'swap:usage', usage, confirm)) {
    out.push(
      makeFinding(
        'swap',
        'usage',
        pctSeverity(sw.usedPct, band.fire),
        `Swap at ${fmtPct(sw.usedPct)} (${fmtBytes(sw.usedBytes)} of ${fmtBytes(sw.totalBytes)})`,
        {
          usedPct: sw.usedPct,
          usedBytes: sw.usedBytes,
          totalBytes: sw.totalBytes,
          fire: band.fire,
          clear: band.clear,
        },
      ),
    );
  }
  if (sw.inBytesPerSec === null || sw.outBytesPerSec === null) return out; // rate unknown: neither firing nor healthy
  const rate = sw.inBytesPerSec + sw.outBytesPerSec;
  const threshold = ctx.config.thresholds.swapIoMBps * 1e6;
  const obs = { fires: rate > threshold, clears: rate < threshold * THRASH_CLEAR_FRACTION };
  if (!track(ctx, 'swap:thrashing', obs, confirm)) return out;
  const topBySwap = (s.processes?.topBySwap ?? []).slice(0, 5);
  const culprit = topBySwap[0];
  const recommendation =
    culprit === undefined
      ? 'Find what is paging (vmstat 1, /proc/*/status VmSwap); add memory or reduce the working set.'
      : `${culprit.comm} (pid ${culprit.pid}) holds the most swap (${fmtBytes(culprit.swapBytes)}): restart or limit it, or add memory.`;
  out.push(
    makeFinding(
      'swap',
      'thrashing',
      ratioSeverity(rate, threshold, THRASH_CRITICAL_FACTOR),
      `Swap thrashing: ${fmtBytes(rate)}/s in+out (threshold ${fmtBytes(threshold)}/s)`,
      {
        inBytesPerSec: sw.inBytesPerSec,
        outBytesPerSec: sw.outBytesPerSec,
        thresholdBytesPerSec: threshold,
        swapUsedPct: sw.usedPct,
        memoryPct: s.memory?.effectivePct ?? null,
        topBySwap: topBySwap.map(procSummary),
        recommendation,
      },
    ),
  );
  return out;
}
