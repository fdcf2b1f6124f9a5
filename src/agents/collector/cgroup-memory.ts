// The memory limit and usage of a cgroup (Argus's own, or a process's), v1 or v2, counted as docker counts it.
import type { Host } from '../../host/port.js';
import type { Memory } from '../../model/snapshot.js';
import { parseSpaceLines, round1, tryReadHostText } from './proc-files.js';

export type CgroupMemory = NonNullable<Memory['cgroup']>;

/** Limits at or above 2^60 bytes are the kernel's "unlimited" (v1 writes 9223372036854771712). */
const UNLIMITED = 2 ** 60;

interface CgroupLine {
  controllers: string[];
  path: string;
}

function parseSelfCgroup(text: string): CgroupLine[] {
  const out: CgroupLine[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (m) out.push({ controllers: m[2] === '' ? [] : m[2]!.split(','), path: m[3]! });
  }
  return out;
}

/**
 * The cgroup's directory: `<mount><path>` when the cgroup path is visible (host, cgroupns off with the full tree
 * mounted), else the mount point itself (a container whose mount root is its own cgroup).
 */
async function findDir(host: Host, mount: string, path: string, probe: string): Promise<string | null> {
  const candidates = path === '/' ? [mount] : [`${mount}${path}`, mount];
  for (const dir of candidates) {
    if ((await tryReadHostText(host, `${dir}/${probe}`)) !== null) return dir;
  }
  return null;
}

function limitOf(text: string | null): number | null {
  if (text === null) return null;
  const t = text.trim();
  if (t === 'max' || !/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= UNLIMITED ? null : n;
}

function result(version: 1 | 2, limitBytes: number, rawUsage: number, inactiveFile: number): CgroupMemory {
  const usageBytes = Math.max(0, rawUsage - inactiveFile);
  return { version, limitBytes, usageBytes, usedPct: limitBytes > 0 ? round1((usageBytes / limitBytes) * 100) : 0 };
}

async function readV1(host: Host, path: string): Promise<CgroupMemory | null> {
  const dir = await findDir(host, '/sys/fs/cgroup/memory', path, 'memory.limit_in_bytes');
  if (!dir) return null;
  const [limitText, usageText, statText] = await Promise.all([
    tryReadHostText(host, `${dir}/memory.limit_in_bytes`),
    tryReadHostText(host, `${dir}/memory.usage_in_bytes`),
    tryReadHostText(host, `${dir}/memory.stat`),
  ]);
  const stat = parseSpaceLines(statText ?? '');
  // A parent's limit binds too: v1 reports the tightest one up the tree as hierarchical_memory_limit.
  const limits = [limitOf(limitText), limitOf(String(stat.get('hierarchical_memory_limit') ?? ''))].filter(
    (n): n is number => n !== null,
  );
  if (limits.length === 0 || usageText === null) return null;
  const inactive = stat.get('total_inactive_file') ?? stat.get('inactive_file') ?? 0;
  return result(1, Math.min(...limits), Number(usageText.trim()), inactive);
}

async function readV2(host: Host, path: string): Promise<CgroupMemory | null> {
  const dir = await findDir(host, '/sys/fs/cgroup', path, 'memory.max');
  if (!dir) return null;
  const [maxText, currentText, statText] = await Promise.all([
    tryReadHostText(host, `${dir}/memory.max`),
    tryReadHostText(host, `${dir}/memory.current`),
    tryReadHostText(host, `${dir}/memory.stat`),
  ]);
  const limit = limitOf(maxText);
  if (limit === null || currentText === null) return null;
  const inactive = parseSpaceLines(statText ?? '').get('inactive_file') ?? 0;
  return result(2, limit, Number(currentText.trim()), inactive);
}

/**
 * The memory cgroup's limit and usage, or null when there is no cgroup limit ("max", the v1 huge value, or no
 * memory controller at all). v1 wins on hybrid hosts, where the v2 tree carries no memory controller.
 */
export async function readCgroupMemory(host: Host, pid: number | 'self' = 'self'): Promise<CgroupMemory | null> {
  const text = await tryReadHostText(host, `/proc/${pid}/cgroup`);
  if (text === null) return null;
  const lines = parseSelfCgroup(text);
  const v1 = lines.find((l) => l.controllers.includes('memory'));
  if (v1) return readV1(host, v1.path);
  const v2 = lines.find((l) => l.controllers.length === 0 && !l.path.startsWith('name='));
  return v2 ? readV2(host, v2.path) : null;
}
