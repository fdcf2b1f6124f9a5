// Swap: use from /proc/meminfo, and swap-in/out rates from /proc/vmstat page counters against the previous sample.
import type { Host } from '../../host/port.js';
import type { Swap } from '../../model/snapshot.js';
import { PAGE_SIZE, need, parseKbLines, parseSpaceLines, readHostText, round1 } from './proc-files.js';
import { elapsedSec, type Samples, type SwapIoCounters } from './samples.js';

function rate(now: number, before: number, seconds: number | null): number | null {
  if (seconds === null || now < before) return null; // counters reset: another boot
  return Math.round(((now - before) * PAGE_SIZE) / seconds);
}

export async function readSwap(
  host: Host,
  previous: Samples | null,
  nowMs: number,
): Promise<{ swap: Swap; sample: SwapIoCounters }> {
  const [meminfoText, vmstatText] = await Promise.all([
    readHostText(host, '/proc/meminfo'),
    readHostText(host, '/proc/vmstat'),
  ]);
  const meminfo = parseKbLines(meminfoText);
  const vmstat = parseSpaceLines(vmstatText);
  const totalBytes = need(meminfo, 'SwapTotal', '/proc/meminfo');
  const usedBytes = Math.max(0, totalBytes - need(meminfo, 'SwapFree', '/proc/meminfo'));
  const sample = { pswpin: need(vmstat, 'pswpin', '/proc/vmstat'), pswpout: need(vmstat, 'pswpout', '/proc/vmstat') };
  const before = previous?.swapIo ?? null;
  const seconds = before ? elapsedSec(previous, nowMs) : null;
  return {
    swap: {
      totalBytes,
      usedBytes,
      usedPct: totalBytes > 0 ? round1((usedBytes / totalBytes) * 100) : 0,
      inBytesPerSec: before ? rate(sample.pswpin, before.pswpin, seconds) : null,
      outBytesPerSec: before ? rate(sample.pswpout, before.pswpout, seconds) : null,
    },
    sample,
  };
}
