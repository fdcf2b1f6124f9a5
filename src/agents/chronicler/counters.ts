// Registry counters for Prometheus: monotonic counts over every retained registry file, read incrementally.
//
// A counter must never go down while its process lives. The registry only grows (appends; rotation is a rename,
// which keeps the inode), so a reader that remembers, per inode, how far it has read counts each record once:
// a scrape reads only what was appended since the last one. A segment deleted past the retention keeps its counts
// until the process restarts, which Prometheus sees as a counter reset.
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { lineBlocks } from '../../state/line-reader.js';
import { listSegments } from '../../state/registry-segments.js';
import { parseAction } from './util.js';

/** Distinct label sets kept per counter family (memory stays bounded on any registry). */
const MAX_KEYS = 2_000;

export interface RegistryCounters {
  records: number;
  /** `type\0severity` → detections. */
  detections: Map<string, number>;
  /** type → incidents opened / resolved. */
  opened: Map<string, number>;
  resolved: Map<string, number>;
  /** `action\0result\0source` → attempts. */
  actions: Map<string, number>;
}

export const emptyCounters = (): RegistryCounters => ({
  records: 0,
  detections: new Map(),
  opened: new Map(),
  resolved: new Map(),
  actions: new Map(),
});

function bump(map: Map<string, number>, key: string): void {
  const n = map.get(key);
  if (n !== undefined) map.set(key, n + 1);
  else if (map.size < MAX_KEYS) map.set(key, 1);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : 'unknown');

/** Count one registry line (a JSON object); anything else is skipped. */
export function countLine(c: RegistryCounters, line: string): void {
  let r: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    r = value as Record<string, unknown>;
  } catch {
    return;
  }
  c.records++;
  const type = str(r.type);
  const details = typeof r.details === 'object' && r.details !== null ? (r.details as Record<string, unknown>) : {};
  if (r.kind === 'detection') bump(c.detections, `${type}\u0000${str(r.severity)}`);
  if (r.kind === 'transition' && details.transition === 'opened') bump(c.opened, type);
  if (r.kind === 'transition' && details.transition === 'resolved') bump(c.resolved, type);
  if (r.kind === 'action' && typeof r.action_taken === 'string') {
    bump(c.actions, `${parseAction(r.action_taken).action}\u0000${str(r.action_result)}\u0000${str(r.source)}`);
  }
}

/**
 * Follows the registry (its segments and the current file) and keeps counting. `refresh()` reads what was appended
 * since the previous call; a torn last line is left for the next call.
 */
export class RegistryTail {
  readonly counters = emptyCounters();
  /** inode → bytes consumed (always at a line boundary). */
  private readonly offsets = new Map<number, number>();
  private running: Promise<RegistryCounters> | null = null;

  constructor(private readonly registryPath: string) {}

  /** Concurrent callers share one read. */
  refresh(): Promise<RegistryCounters> {
    this.running ??= this.read().finally(() => (this.running = null));
    return this.running;
  }

  private async read(): Promise<RegistryCounters> {
    const files = [...listSegments(this.registryPath).map((s) => s.path), this.registryPath];
    for (const file of files) {
      if (!existsSync(file)) continue;
      try {
        const { ino, size } = await stat(file);
        const from = this.offsets.get(ino) ?? 0;
        // Smaller than what was read: the file was replaced by one reusing the inode; start it again.
        this.offsets.set(ino, await this.consume(file, size < from ? 0 : from, size));
      } catch {
        // Rotated or deleted between the listing and the read: the next refresh sees it under its new name.
      }
    }
    return this.counters;
  }

  private async consume(file: string, from: number, size: number): Promise<number> {
    if (from >= size) return from;
    const handle = await open(file, 'r');
    try {
      let consumed = from;
      for await (const block of lineBlocks(handle, { from, to: size })) {
        consumed += block.length;
        for (const line of block.toString('utf8', 0, block.length - 1).split('\n'))
          if (line) countLine(this.counters, line);
      }
      return consumed;
    } finally {
      await handle.close();
    }
  }
}

/** One pass over the whole retained registry (the textfile, `argus stats --prometheus`). */
export async function countRegistry(registryPath: string): Promise<RegistryCounters> {
  return new RegistryTail(registryPath).refresh();
}
