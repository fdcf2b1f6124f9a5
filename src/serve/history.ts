// history.jsonl in a time window, as columns for the charts (uPlot's aligned data: one x array, one array per series).
//
// history.jsonl is appended in time order with `ts` first on each line, like the registry: the window's start is
// found by the same binary search over byte offsets (registry-window.ts), so 24 hours out of a year of history
// reads ~300 lines, not 100,000.
import { open } from 'node:fs/promises';
import { windowStart } from '../state/registry-window.js';

export interface HistorySeries {
  /** Unix seconds. */
  t: number[];
  mem: Array<number | null>;
  swap: Array<number | null>;
  swapIn: Array<number | null>;
  swapOut: Array<number | null>;
  cpu: Array<number | null>;
  /** Load average (1 min) per core, when the core count is known. */
  load: Array<number | null>;
  /** mount → used %; null where a point lacks the mount. */
  disks: Record<string, Array<number | null>>;
}

/** Distinct mounts charted (a host with hundreds of mounts gets the first ones seen). */
const MAX_MOUNTS = 12;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function emptySeries(): HistorySeries {
  return { t: [], mem: [], swap: [], swapIn: [], swapOut: [], cpu: [], load: [], disks: {} };
}

/** Points with fromMs ≤ ts < toMs, oldest first. `cores` turns load into load per core. */
export async function readHistory(
  path: string,
  fromMs: number,
  toMs: number,
  cores: number | null,
): Promise<HistorySeries> {
  const out = emptySeries();
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return out;
  }
  try {
    const size = (await handle.stat()).size;
    const start = windowStart(handle.fd, size, fromMs - 3_600_000);
    const buf = Buffer.alloc(size - start);
    const { bytesRead } = await handle.read(buf, 0, buf.length, start);
    const lines = buf.subarray(0, bytesRead).toString('utf8').split('\n');
    lines.pop(); // a last line without its newline is not a point yet
    if (start > 0) lines.shift(); // and the first is partial
    for (const line of lines) addPoint(out, line, fromMs, toMs, cores);
  } finally {
    await handle.close();
  }
  return out;
}

function addPoint(out: HistorySeries, line: string, fromMs: number, toMs: number, cores: number | null): void {
  const ms = Date.parse(line.slice(7, 31));
  if (!(ms >= fromMs && ms < toMs)) return;
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  const i = out.t.length;
  const sec = Math.round(ms / 1000);
  if (i > 0 && sec <= out.t[i - 1]!) return; // out of order or repeated: uPlot needs x ascending
  out.t.push(sec);
  out.mem.push(num(p.mem_pct));
  out.swap.push(num(p.swap_pct));
  out.swapIn.push(num(p.swap_in_bps));
  out.swapOut.push(num(p.swap_out_bps));
  out.cpu.push(num(p.cpu_pct));
  const load = num(p.load1);
  out.load.push(load !== null && cores ? Math.round((load / cores) * 100) / 100 : load);
  const disks = typeof p.disks === 'object' && p.disks !== null ? (p.disks as Record<string, unknown>) : {};
  for (const [mount, pct] of Object.entries(disks)) {
    let column = out.disks[mount];
    if (!column) {
      if (Object.keys(out.disks).length >= MAX_MOUNTS) continue;
      column = out.disks[mount] = new Array<number | null>(i).fill(null);
    }
    column.push(num(pct));
  }
  for (const column of Object.values(out.disks)) if (column.length === i) column.push(null);
}
