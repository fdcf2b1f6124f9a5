// "since" arguments of the read tools: a duration back from now ("24h", "30m", "7d") or an ISO timestamp.
import { z } from 'zod';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d{1,6})([smhdw])$/;

/** Epoch ms for "24h" / "7d" / an ISO date; null when it is neither. */
export function sinceMs(text: string, now: Date): number | null {
  const m = DURATION.exec(text.trim());
  if (m) return now.getTime() - Number(m[1]) * UNIT_MS[m[2]!]!;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
}

export const SinceSchema = z
  .string()
  .max(40)
  .refine((s) => sinceMs(s, new Date(0)) !== null, {
    message: 'expected a duration like "24h", "30m", "7d" or an ISO timestamp',
  })
  .describe('How far back: a duration such as "24h", "30m", "7d", or an ISO timestamp such as "2025-01-31T12:00:00Z".');
