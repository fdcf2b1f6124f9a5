// Silences (maintenance windows): an identity glob and an expiry; a match mutes notifications, never the decision.
import { z } from 'zod';

export const SilenceSchema = z.object({
  id: z.string(),
  /** Glob on the finding identity, `*` matches anything (including `:` and `/`); a bare type ("disk") means "disk:*". */
  matcher: z.string(),
  until: z.string(),
  createdAt: z.string(),
  reason: z.string().nullable(),
});
export type Silence = z.infer<typeof SilenceSchema>;

/** Compile a matcher to an anchored RegExp; every character but `*` is literal. */
export function matcherRegExp(matcher: string): RegExp {
  const glob = matcher.includes(':') || matcher.includes('*') ? matcher : `${matcher}:*`;
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** The first silence in force at `now` whose matcher covers `identity`, or null. */
export function matchSilence(identity: string, silences: Silence[], now: Date): Silence | null {
  const t = now.getTime();
  for (const s of silences) {
    const until = Date.parse(s.until);
    if (Number.isNaN(until) || until <= t) continue;
    if (matcherRegExp(s.matcher).test(identity)) return s;
  }
  return null;
}
