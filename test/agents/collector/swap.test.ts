import { afterEach, describe, expect, it } from 'vitest';
import type { Samples } from '../../../src/agents/collector/samples.js';
import { readSwap } from '../../../src/agents/collector/swap.js';
import { makeProcTree } from '../../support/proc-tree.js';
import { NOW, fixture, fixtureHost, tempDirs } from './helpers.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

const prev = (swapIo: Samples['swapIo'], secondsAgo: number): Samples => ({
  ts: NOW.getTime() - secondsAgo * 1000,
  cpu: null,
  swapIo,
  procs: null,
});

describe('readSwap', () => {
  it('on this machine (no swap): zero use, no rate on the first sample', async () => {
    const { swap, sample } = await readSwap(fixtureHost(fixture('this-vm')), null, NOW.getTime());
    expect(swap).toEqual({ totalBytes: 0, usedBytes: 0, usedPct: 0, inBytesPerSec: null, outBytesPerSec: null });
    expect(sample).toEqual({ pswpin: 0, pswpout: 0 });
  });

  it.each([
    // previous counters, seconds ago, expected in/out bytes per second
    ['pages × 4096 / seconds', { pswpin: 0, pswpout: 250 }, 10, 409_600, 102_400],
    ['no movement', { pswpin: 1000, pswpout: 500 }, 300, 0, 0],
    ['counters went backwards (reboot)', { pswpin: 5000, pswpout: 9000 }, 10, null, null],
    ['previous sample without swap counters', null, 10, null, null],
    ['clock went backwards', { pswpin: 0, pswpout: 0 }, -5, null, null],
  ] as const)('%s', async (_name, before, secondsAgo, inRate, outRate) => {
    const root = temp.make();
    makeProcTree(root, { swapTotalKb: 2_097_152, swapFreeKb: 1_572_864, pswpin: 1000, pswpout: 500 });
    const { swap, sample } = await readSwap(fixtureHost(root), prev(before, secondsAgo), NOW.getTime());
    expect(swap.inBytesPerSec).toBe(inRate);
    expect(swap.outBytesPerSec).toBe(outRate);
    expect(swap.usedBytes).toBe(524_288 * 1024);
    expect(swap.usedPct).toBe(25);
    expect(sample).toEqual({ pswpin: 1000, pswpout: 500 });
  });
});
