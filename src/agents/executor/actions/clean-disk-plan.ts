// clean_disk's plan: the dry run of the walk (nothing removed), and the rules and types it is made of.
import { walkSafelist, type Candidate, type OldDir, type Skipped, type WalkLimits } from './clean-disk/walk.js';
import type { SafelistRoot } from './clean-disk/rules.js';

export { defaultSafelist, judgeFile, type SafelistRoot, type SafelistRule } from './clean-disk/rules.js';
export type { Candidate, OldDir, Skipped } from './clean-disk/walk.js';

export type PlanLimits = WalkLimits;

export interface Plan {
  candidates: Candidate[];
  /** Directories that were old when seen: removed afterwards only if empty. Deepest first. */
  oldDirs: OldDir[];
  skipped: Skipped;
  rootsWalked: string[];
  truncated: boolean;
  /** False when the scan for files in use did not finish in time: then nothing is listed (and nothing would go). */
  inUseComplete: boolean;
}

/** What clean_disk would remove now. Read-only: the same walk as the real run, without its unlink/rmdir. */
export async function planCleanDisk(
  roots: readonly SafelistRoot[],
  procRoot: string,
  nowMs: number,
  limits: PlanLimits,
): Promise<Plan> {
  const w = await walkSafelist(roots, procRoot, nowMs, limits, 'plan');
  return {
    candidates: w.files,
    oldDirs: w.dirs,
    skipped: w.skipped,
    rootsWalked: w.rootsWalked,
    truncated: w.truncated,
    inUseComplete: w.inUseComplete,
  };
}
