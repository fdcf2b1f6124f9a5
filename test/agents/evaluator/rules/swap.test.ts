import { describe, expect, it } from 'vitest';
import { proc, processes, snapshot, swap } from '../../../support/snapshot.js';
import { config, find, runCycles, trace } from '../helpers.js';

const one = config({ confirmCycles: { swap: 1 } });
const io = (...mbps: Array<number | null>) =>
  mbps.map((r) =>
    snapshot({
      swap: swap({
        inBytesPerSec: r === null ? null : (r * 1e6) / 2,
        outBytesPerSec: r === null ? null : (r * 1e6) / 2,
      }),
    }),
  );

describe('swap rules', () => {
  it.each([
    ['over 10 MB/s in+out fires', [12], ['warning']],
    ['exactly the threshold does not', [10], ['-']],
    ['critical at 3x', [30], ['critical']],
    ['stays until under half the threshold', [12, 8, 4.9], ['warning', 'warning', '-']],
    ['unknown rates (first sample) neither fire nor clear', [12, null, 8], ['warning', '-', 'warning']],
  ] as const)('thrashing: %s', (_n, rates, expected) => {
    expect(trace(runCycles(io(...rates), one).perCycle, 'swap:thrashing')).toEqual(expected);
  });

  it('thrashing needs confirmCycles.swap (default 2)', () => {
    expect(trace(runCycles(io(12, 12)).perCycle, 'swap:thrashing')).toEqual(['-', 'warning']);
  });

  it('thrashing names the processes with most swap and recommends', () => {
    const hog = proc({ comm: 'postgres', pid: 321, swapBytes: 900e6 });
    const s = snapshot({
      swap: swap({ inBytesPerSec: 8e6, outBytesPerSec: 7e6 }),
      processes: processes({ topBySwap: [hog] }),
    });
    const f = find(runCycles([s], one).perCycle[0], 'swap:thrashing');
    expect(f?.details['topBySwap']).toEqual([
      expect.objectContaining({ name: 'postgres', pid: 321, swapBytes: 900e6 }),
    ]);
    expect(String(f?.details['recommendation'])).toContain('postgres');
    expect(f?.details).toMatchObject({ inBytesPerSec: 8e6, outBytesPerSec: 7e6, thresholdBytesPerSec: 10e6 });
  });

  it.each([
    ['80 % fires (warning)', 80, 'warning'],
    ['90 % is critical', 90, 'critical'],
    ['79 % does not fire', 79, '-'],
  ] as const)('usage: %s', (_n, pct, sev) => {
    const s = snapshot({ swap: swap({ usedPct: pct, usedBytes: pct * 2e7 }) });
    expect(trace(runCycles([s], one).perCycle, 'swap:usage')).toEqual([sev]);
  });

  it('no swap configured never fires usage', () => {
    const s = snapshot({ swap: swap({ totalBytes: 0, usedBytes: 0, usedPct: 100 }) });
    expect(runCycles([s], one).perCycle[0]).toEqual([]);
  });
});
