// Parse human durations ("90s", "30m", "2h", "7d") for --since and --for.

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds for "2h", "30m", "7d", "90s", "1w"; null when the text is not of that form. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/** "--since" accepts a duration back from now or an ISO date; returns epoch ms or null. */
export function parseSince(text: string, now: Date): number | null {
  const d = parseDuration(text);
  if (d !== null) return now.getTime() - d;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
}
