// Recurrence memory (recurrence.json): identity → ISO times its incident opened within the last day (ARG-002).
import { z } from 'zod';
import { shiftIso } from '../../model/clock-step.js';

export const RecurrenceSchema = z.record(z.string(), z.array(z.string()));
export type Recurrence = z.infer<typeof RecurrenceSchema>;

const DAY_MS = 86_400_000;

/** Add an opening and forget openings older than a day; returns how many in the last 24 h (including this one). */
export function noteOpening(rec: Recurrence, identity: string, now: Date): number {
  const cutoff = now.getTime() - DAY_MS;
  const kept = (rec[identity] ?? []).filter((t) => Date.parse(t) >= cutoff);
  kept.push(now.toISOString());
  rec[identity] = kept.slice(-50);
  return kept.length;
}

export function pruneRecurrence(rec: Recurrence, now: Date): Recurrence {
  const cutoff = now.getTime() - DAY_MS;
  const out: Recurrence = {};
  for (const [identity, times] of Object.entries(rec)) {
    const kept = times.filter((t) => Date.parse(t) >= cutoff);
    if (kept.length) out[identity] = kept;
  }
  return out;
}

export function shiftRecurrence(rec: Recurrence, ms: number): Recurrence {
  return Object.fromEntries(
    Object.entries(rec).map(([identity, times]) => [identity, times.map((t) => shiftIso(t, ms))]),
  );
}
