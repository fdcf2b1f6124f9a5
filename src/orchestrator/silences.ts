// Maintenance windows (silences.json): a matcher on finding identities and an expiry. Muted, still recorded.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SilenceSchema, type Silence } from '../agents/router/silence.js';
import { readJsonState, writeJsonAtomic } from '../state/atomic.js';
import { FindingTypeSchema } from '../model/finding.js';
import { globRegExp } from '../model/glob.js';
import { withUnitType } from '../model/unit.js';

const SilencesFileSchema = z.array(SilenceSchema);

export function readSilences(path: string, onInvalid?: (reason: string) => void): Silence[] {
  return readJsonState(path, SilencesFileSchema, () => [], onInvalid);
}

/** Add a silence; expired ones are dropped on every write. */
export function addSilence(path: string, matcher: string, until: Date, now: Date, reason: string | null): Silence {
  const silence: Silence = {
    id: `s-${randomBytes(3).toString('hex')}`,
    matcher,
    until: until.toISOString(),
    createdAt: now.toISOString(),
    reason,
  };
  const kept = readSilences(path).filter((s) => Date.parse(s.until) > now.getTime());
  writeJsonAtomic(path, [...kept, silence]);
  return silence;
}

export function removeSilence(path: string, id: string, now: Date): boolean {
  const all = readSilences(path);
  const kept = all.filter((s) => s.id !== id && Date.parse(s.until) > now.getTime());
  writeJsonAtomic(path, kept);
  return kept.length < all.filter((s) => Date.parse(s.until) > now.getTime()).length || all.some((s) => s.id === id);
}

export function activeSilences(path: string, now: Date): Silence[] {
  return readSilences(path).filter((s) => Date.parse(s.until) > now.getTime());
}

/** Silence matchers: identity globs with `*`, or a bare type ("disk" = "disk:*"). Plain characters only. */
export const MATCHER_RE = /^[A-Za-z0-9_.:@/*-]{1,200}$/;

/**
 * A matcher as identities are made, or an error saying why not: a bare type becomes `type:*`; the type must be one
 * Argus reports (a typo would silence nothing, forever); `service:nginx` becomes `service:nginx.service`, the identity
 * the service rule makes.
 */
export function normalizeMatcher(matcher: string): { matcher: string } | { error: string } {
  if (!MATCHER_RE.test(matcher))
    return {
      error: `matcher ${JSON.stringify(matcher)} must be 1-200 characters of letters, digits and _ . : @ / * -`,
    };
  if (matcher === '*') return { matcher };
  const colon = matcher.indexOf(':');
  const type = colon < 0 ? matcher : matcher.slice(0, colon);
  const rest = colon < 0 ? '*' : matcher.slice(colon + 1);
  const types = FindingTypeSchema.options as readonly string[];
  if (!type.includes('*') && !types.includes(type))
    return {
      error: `matcher ${JSON.stringify(matcher)}: "${type}" is not a finding type; one of ${types.join(', ')} (or a glob with *)`,
    };
  if (rest === '')
    return { error: `matcher ${JSON.stringify(matcher)} has nothing after "${type}:"; did you mean "${type}:*"?` };
  const subject = type === 'service' && !rest.includes('*') ? withUnitType(rest) : rest;
  return { matcher: `${type}:${subject}` };
}

/** Which of these identities a matcher covers (to show what a new silence mutes right now). */
export function covered(matcher: string, identities: Iterable<string>): string[] {
  const re = globRegExp(matcher);
  return [...identities].filter((i) => re.test(i));
}
