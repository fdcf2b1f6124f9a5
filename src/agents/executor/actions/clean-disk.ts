// clean_disk: remove old files from the hard-coded safelist (ARG-004) and report bytes reclaimed and before/after %.
// The walk (clean-disk/walk.ts) holds every directory open and never resolves a path below a root: see
// docs/architecture.md, "clean_disk: why the race is impossible".
import { realpath } from 'node:fs/promises';
import { CleanDiskInputSchema } from '../../../model/action.js';
import { fmtBytes } from '../../../model/bytes.js';
import type { ActionContext, ActionDef, ActionOutcomeValue } from '../action.js';
import { walkSafelist, type WalkLimits } from './clean-disk/walk.js';
import { defaultSafelist, planCleanDisk, type SafelistRoot } from './clean-disk-plan.js';

export { defaultSafelist, planCleanDisk, type SafelistRoot } from './clean-disk-plan.js';

export interface CleanDiskOptions {
  /**
   * FOR TESTS ONLY: replace the hard-coded safelist with temp trees. Never wired to configuration:
   * the composition root always builds clean_disk without it.
   */
  roots?: readonly SafelistRoot[];
  /** A file must be older than this (the newer of its mtime and ctime) to be removed. */
  minAgeDays?: number;
  maxEntries?: number;
  maxDepth?: number;
  /** Time allowed to list the files in use from /proc (default 10 s); past it nothing is removed. */
  inUseTimeoutMs?: number;
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

const NOT_COMPLETE = 'could not list the files in use from /proc in time; nothing removed';

export function createCleanDisk(options: CleanDiskOptions = {}) {
  const minAgeDays = options.minAgeDays ?? 7;
  const rootsFor = (ctx: ActionContext): readonly SafelistRoot[] => options.roots ?? defaultSafelist(ctx.paths);
  const limits = (ctx: ActionContext): WalkLimits => ({
    minAgeDays,
    maxEntries: options.maxEntries,
    maxDepth: options.maxDepth,
    exclude: [ctx.paths.stateDir],
    inUseTimeoutMs: options.inUseTimeoutMs,
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
      const p = await planCleanDisk(rootsFor(ctx), ctx.host.root, ctx.host.now().getTime(), limits(ctx));
      const bytes = p.candidates.reduce((sum, c) => sum + c.size, 0);
      return {
        wouldRemove: p.candidates.length,
        bytes,
        files: p.candidates.slice(0, 50).map((c) => ({ path: c.path, size: c.size })),
        skipped: p.skipped,
        truncated: p.truncated,
        ...(p.inUseComplete ? {} : { note: NOT_COMPLETE }),
      };
    },

    async execute(_input, ctx): Promise<ActionOutcomeValue> {
      const roots = rootsFor(ctx);
      const before = new Map<string, number | null>();
      for (const r of roots) {
        const path = await realpath(r.path).catch(() => null);
        if (path && !before.has(path)) before.set(path, await usedPct(ctx, path));
      }
      const w = await walkSafelist(roots, ctx.host.root, ctx.host.now().getTime(), limits(ctx), 'delete');
      if (!w.inUseComplete)
        return { result: 'failure', reason: NOT_COMPLETE, details: { filesRemoved: 0, bytesReclaimed: 0 } };
      const perRoot: Record<string, { files: number; bytes: number }> = {};
      for (const f of w.files) {
        const bucket = (perRoot[f.root] ??= { files: 0, bytes: 0 });
        bucket.files++;
        bucket.bytes += f.size;
      }
      const filesystems = await Promise.all(
        Object.keys(perRoot).map(async (r) => ({
          root: r,
          beforePct: before.get(r) ?? null,
          afterPct: await usedPct(ctx, r),
        })),
      );
      // Paths as the host names them (a test or simulated host keeps its filesystem under host.root).
      const shown = (p: string): string =>
        ctx.host.root !== '/' && p.startsWith(`${ctx.host.root}/`) ? p.slice(ctx.host.root.length) : p;
      const bytesReclaimed = w.files.reduce((sum, f) => sum + f.size, 0);
      const top = [...w.files]
        .sort((a, b) => b.size - a.size)
        .slice(0, 5)
        .map((f) => ({ path: shown(f.path), size: f.size }));
      return {
        result: 'success',
        reason: `removed ${w.files.length} file${w.files.length === 1 ? '' : 's'} (${fmtBytes(bytesReclaimed)}) older than ${minAgeDays} day${minAgeDays === 1 ? '' : 's'}`,
        details: {
          bytesReclaimed,
          filesRemoved: w.files.length,
          dirsRemoved: w.dirs.length,
          errors: w.errors,
          perRoot,
          filesystems,
          top,
          largestKept: w.largestKept.map((k) => ({ ...k, path: shown(k.path) })),
          skipped: w.skipped,
          truncated: w.truncated,
        },
      };
    },
  };
  return action;
}
