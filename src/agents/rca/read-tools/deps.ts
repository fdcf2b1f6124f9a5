// What the read-only diagnostic tools need, and the small readers of Argus's own state files they share.
import { readFile } from 'node:fs/promises';
import type { Config } from '../../../config/schema.js';
import type { StatePaths } from '../../../config/load.js';
import type { Host } from '../../../host/port.js';
import type { Log } from '../../../log.js';
import { SnapshotSchema, type Snapshot } from '../../../model/snapshot.js';
import type { Registry } from '../../../state/registry.js';
import { ToolError } from '../../../tools/tool.js';

export interface ReadToolDeps {
  host: Host;
  config: Config;
  paths: StatePaths;
  registry: Registry;
  log: Log;
  /** The snapshot of the cycle in progress, when a cycle asks (its file still holds the previous cycle's). */
  snapshot?: () => Snapshot | null;
}

export interface ReadToolOptions {
  /** Roots get_disk_usage may look inside; default: the clean_disk safelist roots. Tests point it at a temp tree. */
  diskRoots?: readonly string[];
}

/** Parse a JSON state file; null when it is missing, with a reason when it is unreadable or not JSON. */
export async function readJsonLoose(path: string): Promise<{ value: unknown; error: string | null }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { value: null, error: code === 'ENOENT' ? null : `${path}: ${code ?? (error as Error).message}` };
  }
  try {
    return { value: JSON.parse(text) as unknown, error: null };
  } catch (error) {
    return { value: null, error: `${path}: not JSON (${(error as Error).message})` };
  }
}

/** The latest snapshot the cycle wrote, or null with why. */
export async function readSnapshot(path: string): Promise<{ snapshot: Snapshot | null; error: string | null }> {
  const { value, error } = await readJsonLoose(path);
  if (value === null) return { snapshot: null, error: error ?? 'no snapshot yet: no cycle has run (argus once)' };
  const parsed = SnapshotSchema.safeParse(value);
  if (!parsed.success)
    return { snapshot: null, error: `${path}: not a valid snapshot (${parsed.error.issues[0]?.message ?? 'invalid'})` };
  return { snapshot: parsed.data, error: null };
}

/** The snapshot the tools should see: the cycle's own when one is in progress, else the latest written. */
export async function currentSnapshot(
  deps: Pick<ReadToolDeps, 'paths' | 'snapshot'>,
): Promise<{ snapshot: Snapshot | null; error: string | null }> {
  const live = deps.snapshot?.() ?? null;
  return live ? { snapshot: live, error: null } : readSnapshot(deps.paths.snapshot);
}

/** The current snapshot, or a ToolError the model can act on. */
export async function requireSnapshot(deps: Pick<ReadToolDeps, 'paths' | 'snapshot'>): Promise<Snapshot> {
  const { snapshot, error } = await currentSnapshot(deps);
  if (!snapshot) throw new ToolError(error ?? 'no snapshot available');
  return snapshot;
}

/** Keep only the top-level string/number/boolean/null fields of a loosely-typed state object. */
export function primitives(value: unknown, maxString = 300): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') out[key] = v.length > maxString ? `${v.slice(0, maxString)}…` : v;
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null) out[key] = v;
  }
  return out;
}
