// clean_disk: remove old files from the hard-coded safelist (ARG-004) and report bytes reclaimed and before/after %.
import { lstat, realpath, rmdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CleanDiskInputSchema } from '../../../model/action.js';
import type { ActionContext, ActionDef, ActionOutcomeValue } from '../action.js';
import { defaultSafelist, planCleanDisk, type Plan, type SafelistRoot } from './clean-disk-plan.js';

export { defaultSafelist, planCleanDisk, type SafelistRoot } from './clean-disk-plan.js';

export interface CleanDiskOptions {
  /**
   * FOR TESTS ONLY: replace the hard-coded safelist with temp trees. Never wired to configuration:
   * the composition root always builds clean_disk without it.
   */
  roots?: readonly SafelistRoot[];
  /** A file must be older than this (by its own mtime) to be removed. */
  minAgeDays?: number;
  maxEntries?: number;
  maxDepth?: number;
}

/** Used % as df shows it: used / (used + available), rounded up. */
async function usedPct(ctx: ActionContext, path: string): Promise<number | null> {
  try {
    const s = await ctx.host.statfs(path);
    const used = s.blocks - s.blocksFree;
    const denom = used + s.blocksAvail;
    return denom > 0 ? Math.ceil((used * 100) / denom) : 0;
  } catch {
    return null;
  }
}

export function createCleanDisk(options: CleanDiskOptions = {}) {
  const minAgeDays = options.minAgeDays ?? 7;
  const rootsFor = (ctx: ActionContext): readonly SafelistRoot[] => options.roots ?? defaultSafelist(ctx.paths);
  const plan = (ctx: ActionContext): Promise<Plan> =>
    planCleanDisk(rootsFor(ctx), ctx.host.root, ctx.host.now().getTime(), {
      minAgeDays,
      maxEntries: options.maxEntries,
      maxDepth: options.maxDepth,
      exclude: [ctx.paths.stateDir],
    });

  const action: ActionDef<typeof CleanDiskInputSchema> & {
    preview(input: unknown, ctx: ActionContext): Promise<Record<string, unknown>>;
  } = {
    name: 'clean_disk',
    schema: CleanDiskInputSchema,
    target: () => 'safelist',
    async guard() {
      // Nothing in the request chooses what is removed: the safelist and the age rule are fixed.
    },

    /** Dry run: what would be removed (the gate calls this instead of execute). */
    async preview(_input, ctx) {
      const p = await plan(ctx);
      const bytes = p.candidates.reduce((sum, c) => sum + c.size, 0);
      return {
        wouldRemove: p.candidates.length,
        bytes,
        files: p.candidates.slice(0, 50).map((c) => ({ path: c.path, size: c.size })),
        skipped: p.skipped,
        truncated: p.truncated,
      };
    },

    async execute(_input, ctx): Promise<ActionOutcomeValue> {
      const p = await plan(ctx);
      const roots = [...new Set(p.candidates.map((c) => c.root))];
      const before = new Map<string, number | null>();
      for (const r of roots) before.set(r, await usedPct(ctx, r));
      const removed: Array<{ path: string; size: number }> = [];
      const perRoot: Record<string, { files: number; bytes: number }> = {};
      let errors = 0;
      for (const c of p.candidates) {
        // Re-check right before unlinking: same file (dev, ino), still regular and old, and no directory on the
        // way was swapped for a symlink (its real path is unchanged).
        try {
          const st = await lstat(c.path, { bigint: true });
          if (!st.isFile() || st.dev !== c.dev || st.ino !== c.ino || Number(st.mtimeMs) !== c.mtimeMs) continue;
          if ((await realpath(dirname(c.path))) !== dirname(c.path)) continue;
          await unlink(c.path);
        } catch {
          errors++;
          continue;
        }
        removed.push({ path: c.path, size: c.size });
        const bucket = (perRoot[c.root] ??= { files: 0, bytes: 0 });
        bucket.files++;
        bucket.bytes += c.size;
      }
      let dirsRemoved = 0;
      for (const d of p.oldDirs) {
        try {
          if ((await realpath(dirname(d.path))) !== dirname(d.path)) continue;
          await rmdir(d.path); // only succeeds when empty
          dirsRemoved++;
        } catch {
          // not empty, or gone: kept
        }
      }
      const filesystems = await Promise.all(
        roots.map(async (r) => ({ root: r, beforePct: before.get(r) ?? null, afterPct: await usedPct(ctx, r) })),
      );
      const bytesReclaimed = removed.reduce((sum, r) => sum + r.size, 0);
      const top = [...removed].sort((a, b) => b.size - a.size).slice(0, 5);
      return {
        result: 'success',
        reason: `removed ${removed.length} files (${bytesReclaimed} bytes) older than ${minAgeDays} days`,
        details: { bytesReclaimed, filesRemoved: removed.length, dirsRemoved, errors, perRoot, filesystems, top, skipped: p.skipped, truncated: p.truncated },
      };
    },
  };
  return action;
}
