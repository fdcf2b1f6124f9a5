// The outbox: alerts not yet delivered, as JSONL, bounded to the newest entries, rewritten atomically.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SeveritySchema } from '../model/finding.js';
import { writeFileAtomic } from '../state/atomic.js';
import type { AlertMessage } from './notifier.js';

export const OUTBOX_LIMIT = 500;
/** Id of the synthetic entry that counts alerts dropped because the outbox was full. */
export const DROPPED_ID = 'argus:outbox-dropped';

const OutboxEntrySchema = z.object({
  id: z.string().min(1),
  ts: z.string(),
  severity: SeveritySchema,
  text: z.string(),
  identity: z.string().nullable(),
  /** Only on the DROPPED_ID entry. */
  dropped: z.number().int().nonnegative().optional(),
});
export type OutboxEntry = z.infer<typeof OutboxEntrySchema>;

export interface Outbox {
  readonly path: string;
  /** Entries in delivery order (oldest first); the dropped-count entry, if any, comes first. */
  read(): OutboxEntry[];
  /** Add alerts not already present (by id), keep the newest `limit`, count the dropped ones. */
  add(alerts: readonly AlertMessage[], ts: string): OutboxEntry[];
  /** Remove delivered entries by id (only after delivery). */
  remove(ids: readonly string[]): OutboxEntry[];
}

export function createOutbox(path: string, limit = OUTBOX_LIMIT): Outbox {
  const read = (): OutboxEntry[] => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return [];
    }
    const entries: OutboxEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const parsed = OutboxEntrySchema.safeParse(JSON.parse(line));
        if (parsed.success) entries.push(parsed.data);
      } catch {
        // A torn or foreign line: skip it.
      }
    }
    return entries;
  };
  const write = (entries: readonly OutboxEntry[]): void => {
    writeFileAtomic(path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  };
  return {
    path,
    read,
    add(alerts, ts) {
      const current = read();
      const seen = new Set(current.map((e) => e.id));
      let marker = current.find((e) => e.id === DROPPED_ID);
      const queue = current.filter((e) => e.id !== DROPPED_ID);
      for (const alert of alerts) {
        if (seen.has(alert.id)) continue;
        seen.add(alert.id);
        queue.push({
          id: alert.id,
          ts: alert.ts,
          severity: alert.severity,
          text: alert.text,
          identity: alert.identity,
        });
      }
      const overflow = Math.max(0, queue.length - limit);
      if (overflow > 0) {
        const dropped = (marker?.dropped ?? 0) + overflow;
        marker = {
          id: DROPPED_ID,
          ts: marker?.ts ?? ts,
          severity: 'warning',
          text: `${dropped} older alerts dropped (the outbox keeps the newest ${limit})`,
          identity: null,
          dropped,
        };
      }
      const next = [...(marker ? [marker] : []), ...queue.slice(overflow)];
      if (alerts.length > 0) write(next);
      return next;
    },
    remove(ids) {
      if (ids.length === 0) return read();
      const gone = new Set(ids);
      const next = read().filter((e) => !gone.has(e.id));
      write(next);
      return next;
    },
  };
}

/** An outbox entry as the Notifier's message type. */
export function toAlert(entry: OutboxEntry): AlertMessage {
  return { id: entry.id, ts: entry.ts, severity: entry.severity, text: entry.text, identity: entry.identity };
}
