// Maintenance windows (silences.json): a matcher on finding identities and an expiry. Muted, still recorded.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SilenceSchema, type Silence } from '../agents/router/silence.js';
import { readJsonState, writeJsonAtomic } from '../state/atomic.js';

const SilencesFileSchema = z.array(SilenceSchema);

export function readSilences(path: string, onInvalid?: (reason: string) => void): Silence[] {
  return readJsonState(path, SilencesFileSchema, () => [], onInvalid);
}

/** Add a silence; expired ones are dropped on every write. */
export function addSilence(path: string, matcher: string, until: Date, now: Date, reason: string | null): Silence {
  const silence: Silence = { id: `s-${randomBytes(3).toString('hex')}`, matcher, until: until.toISOString(), createdAt: now.toISOString(), reason };
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
