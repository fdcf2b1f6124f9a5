// The runbooks as data for the next diagnosis: `runbooks.json` in the state dir, what get_runbook serves to the RCA,
// the planner's RCA and Athena. Rewritten by each chronicle run; entries of identities outside the window are kept.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonState, writeJsonAtomic } from '../../state/atomic.js';
import type { Analysis } from './schemas.js';
import { extractHuman, HUMAN_END, HUMAN_START } from './markdown.js';
import { runbookPath, runbookView } from './runbook.js';

export const RunbookEntrySchema = z.object({
  identity: z.string(),
  /** The markdown file, absolute. */
  file: z.string(),
  /** When this entry was last rewritten (the chronicle run's end of window). */
  updated: z.string(),
  applies: z.string(),
  confirm: z.array(z.string()),
  automatic: z.array(z.string()),
  /** "Of 5 closed incidents: a restart by Argus fixed 4; …" */
  worked: z.string().nullable(),
  /** The latest closed incidents: when, how long, how it ended, the cause. */
  incidents: z.array(z.object({ opened: z.string(), lasted: z.string(), ended: z.string(), cause: z.string() })),
  causes: z.array(z.string()),
  /** The manual steps in order, each with its commands. */
  steps: z.array(z.object({ title: z.string(), run: z.array(z.string()), verify: z.string() })),
});
export type RunbookEntry = z.infer<typeof RunbookEntrySchema>;

export const RunbookIndexSchema = z.object({
  docs_dir: z.string(),
  runbooks: z.record(z.string(), RunbookEntrySchema),
});
export type RunbookIndex = z.infer<typeof RunbookIndexSchema>;

const INCIDENTS_KEPT = 5;

export function runbookIndexPath(stateDir: string): string {
  return join(stateDir, 'runbooks.json');
}

/** The index after this run: this window's runbooks replace their entries, the others stay. */
export function buildIndex(analysis: Analysis, docsDir: string, previous: RunbookIndex | null): RunbookIndex {
  const runbooks: Record<string, RunbookEntry> =
    previous && previous.docs_dir === docsDir ? { ...previous.runbooks } : {};
  for (const p of analysis.problems) {
    const v = runbookView(p, analysis.incidents);
    runbooks[p.identity] = {
      identity: p.identity,
      file: join(docsDir, runbookPath(p.identity)),
      updated: analysis.until,
      applies: v.guide.applies,
      confirm: v.guide.confirm,
      automatic: v.guide.automatic,
      worked: v.worked,
      incidents: v.closed
        .slice(-INCIDENTS_KEPT)
        .map(({ opened, lasted, ended, cause }) => ({ opened, lasted, ended, cause })),
      causes: v.causes,
      steps: v.guide.steps.map(({ title, run, verify }) => ({ title, run, verify })),
    };
  }
  return {
    docs_dir: docsDir,
    runbooks: Object.fromEntries(Object.entries(runbooks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

export function readIndex(path: string): RunbookIndex | null {
  return readJsonState<RunbookIndex | null>(path, RunbookIndexSchema, () => null);
}

export function writeIndex(path: string, index: RunbookIndex): void {
  writeJsonAtomic(path, index);
}

/** What a person wrote in the runbook's notes section; null when nothing was written (or the file is gone). */
export function humanNotes(file: string, maxChars = 4000): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const block = extractHuman(text);
  if (block === null) return null;
  const inner = block.slice(HUMAN_START.length, block.length - HUMAN_END.length).trim();
  if (!inner || inner.startsWith('_Notes written here are kept')) return null;
  return inner.length > maxChars ? `${inner.slice(0, maxChars)}…` : inner;
}
