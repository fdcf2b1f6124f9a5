// get_disk_usage: sizes of directories inside the clean_disk safelist roots (bounded walk, lstat, no symlinks followed).
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { defineTool, READ_ONLY } from '../../../tools/define.js';
import { ToolError, type ToolDef } from '../../../tools/tool.js';
import type { ReadToolDeps, ReadToolOptions } from './deps.js';

const MAX_ENTRIES = 50_000;
const MAX_DEPTH = 16;
const TOP_CHILDREN = 20;

/** The ARG-004 safelist roots (the composition root passes the executor's own list when it has one). */
export function defaultDiskRoots(deps: ReadToolDeps): string[] {
  const cache = join(homedir(), '.cache');
  return [
    '/tmp',
    '/var/tmp',
    '/var/log',
    ...['pip', 'npm', 'yarn', 'go-build'].map((d) => join(cache, d)),
    deps.paths.logDir,
  ];
}

const InputSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe('An absolute directory inside one of the roots; omit to get every root with its largest children.'),
});

interface Walk {
  entries: number;
  truncated: boolean;
}

export function getDiskUsageTool(deps: ReadToolDeps, options: ReadToolOptions = {}): ToolDef {
  const roots = (options.diskRoots ?? defaultDiskRoots(deps)).map((r) => resolve(r));
  return defineTool({
    name: 'get_disk_usage',
    title: 'Disk usage in cleanable places',
    description:
      'Bytes used by the directories clean_disk is allowed to clean (temp dirs, caches, rotated logs) and by their largest ' +
      'children, to see what filled a disk and whether clean_disk would help. Without `path`: every root. With `path` (must be ' +
      "inside a root): that directory's children. Symlinks are not followed, other filesystems are not entered, and the walk " +
      'is bounded (`truncated` says when it stopped early). Read-only.',
    input: InputSchema,
    annotations: { title: 'Disk usage in cleanable places', ...READ_ONLY },
    async run(input) {
      const walk: Walk = { entries: 0, truncated: false };
      if (input.path === undefined) {
        const out = [];
        for (const root of roots) out.push({ root, ...(await describeDir(root, walk)) });
        return { roots: out, truncated: walk.truncated };
      }
      const target = await checkInside(input.path, roots);
      return { path: target, ...(await describeDir(target, walk)), truncated: walk.truncated };
    },
  });
}

/** Resolve `path` and refuse anything outside the roots or reached through a symlink. */
async function checkInside(path: string, roots: readonly string[]): Promise<string> {
  if (!isAbsolute(path) || path.includes('\0'))
    throw new ToolError(`path must be an absolute path inside: ${roots.join(', ')}`);
  const target = resolve(path);
  const root = roots.find((r) => target === r || target.startsWith(r.endsWith(sep) ? r : r + sep));
  if (!root)
    throw new ToolError(`${target} is outside the cleanable roots: ${roots.join(', ')}`, { roots: [...roots] });
  let current = root;
  for (const part of ['', ...relative(root, target).split(sep).filter(Boolean)]) {
    current = part ? join(current, part) : current;
    const st = await lstat(current).catch(() => null);
    if (!st) throw new ToolError(`${current} does not exist`);
    if (st.isSymbolicLink()) throw new ToolError(`${current} is a symlink; symlinks are not followed`);
  }
  return target;
}

async function describeDir(dir: string, walk: Walk): Promise<Record<string, unknown>> {
  const st = await lstat(dir).catch(() => null);
  if (!st) return { exists: false, bytes: 0, files: 0, children: [] };
  if (!st.isDirectory()) return { exists: true, directory: false, bytes: st.size, files: 1, children: [] };
  const children: { name: string; bytes: number; files: number; directory: boolean }[] = [];
  let bytes = 0;
  let files = 0;
  for (const entry of await list(dir)) {
    const child = await sizeOf(join(dir, entry.name), st.dev, 1, walk);
    bytes += child.bytes;
    files += child.files;
    children.push({ name: entry.name, bytes: child.bytes, files: child.files, directory: entry.isDirectory() });
    if (walk.truncated) break;
  }
  children.sort((a, b) => b.bytes - a.bytes);
  return {
    exists: true,
    directory: true,
    bytes,
    files,
    children: children.slice(0, TOP_CHILDREN),
    childCount: children.length,
  };
}

async function sizeOf(path: string, dev: number, depth: number, walk: Walk): Promise<{ bytes: number; files: number }> {
  if (++walk.entries > MAX_ENTRIES) {
    walk.truncated = true;
    return { bytes: 0, files: 0 };
  }
  const st: Stats | null = await lstat(path).catch(() => null);
  if (!st || st.isSymbolicLink() || st.dev !== dev) return { bytes: 0, files: 0 };
  if (st.isFile()) return { bytes: st.size, files: 1 };
  if (!st.isDirectory()) return { bytes: 0, files: 0 };
  if (depth >= MAX_DEPTH) {
    walk.truncated = true;
    return { bytes: 0, files: 0 };
  }
  let bytes = 0;
  let files = 0;
  for (const entry of await list(path)) {
    const child = await sizeOf(join(path, entry.name), dev, depth + 1, walk);
    bytes += child.bytes;
    files += child.files;
    if (walk.truncated) break;
  }
  return { bytes, files };
}

async function list(dir: string): Promise<Dirent[]> {
  return readdir(dir, { withFileTypes: true }).catch(() => []);
}
