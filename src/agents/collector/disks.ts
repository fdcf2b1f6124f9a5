// Disks: every real mounted filesystem from /proc/self/mountinfo, space and inodes as df computes them.
import type { Host } from '../../host/port.js';
import type { Disk } from '../../model/snapshot.js';
import { readHostText } from './proc-files.js';

/**
 * Which mounts count. Kept: block-device filesystems (ext4, xfs, btrfs, zfs…) and overlay (a container's root).
 * Skipped: kernel pseudo filesystems, memory-backed ones (tmpfs, ramfs: RAM, already in the memory view, and
 * /dev/shm is not a disk), read-only images that are always full (squashfs, iso9660), FUSE helpers, and network
 * filesystems (statfs on a dead server can hang; they belong to the server that exports them).
 */
const SKIPPED_FSTYPES = new Set([
  'proc',
  'sysfs',
  'cgroup',
  'cgroup2',
  'devtmpfs',
  'devpts',
  'tmpfs',
  'ramfs',
  'mqueue',
  'debugfs',
  'tracefs',
  'securityfs',
  'pstore',
  'bpf',
  'configfs',
  'fusectl',
  'hugetlbfs',
  'autofs',
  'binfmt_misc',
  'rpc_pipefs',
  'nsfs',
  'efivarfs',
  'selinuxfs',
  'squashfs',
  'iso9660',
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  '9p',
  'afs',
  'ceph',
  'glusterfs',
]);

export interface MountEntry {
  /** "major:minor" of the filesystem. */
  dev: string;
  root: string;
  mount: string;
  fstype: string;
  source: string;
}

/** Undo the kernel's octal escapes (\040 for a space, \011, \012, \134). */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    if (dash < 0 || fields.length < dash + 3) continue;
    out.push({
      dev: fields[2]!,
      root: unescape(fields[3]!),
      mount: unescape(fields[4]!),
      fstype: fields[dash + 1]!,
      source: unescape(fields[dash + 2]!),
    });
  }
  return out;
}

export function isRealFilesystem(m: MountEntry): boolean {
  return !SKIPPED_FSTYPES.has(m.fstype) && !m.fstype.startsWith('fuse.') && !m.fstype.startsWith('cgroup');
}

/**
 * One entry per filesystem: bind mounts (same device) collapse to the shortest mount point, as df does,
 * so `/` and a bind of `/var/lib/x` are one disk and one finding.
 */
export function realMounts(entries: MountEntry[]): MountEntry[] {
  const byDev = new Map<string, MountEntry>();
  for (const m of entries) {
    if (!isRealFilesystem(m)) continue;
    const seen = byDev.get(m.dev);
    if (!seen || m.mount.length < seen.mount.length) byDev.set(m.dev, m);
  }
  return [...byDev.values()].sort((a, b) => a.mount.localeCompare(b.mount));
}

/** df's rounding: the percentage is rounded up, so 90.01 % shows (and fires) as 91 %. */
export function ceilPct(used: number, total: number): number {
  return total > 0 ? Math.ceil((used * 100) / total) : 0;
}

export async function readDisks(host: Host): Promise<Disk[]> {
  const mounts = realMounts(parseMountinfo(await readHostText(host, '/proc/self/mountinfo')));
  const disks = await Promise.all(
    mounts.map(async (m): Promise<Disk | null> => {
      let s;
      try {
        s = await host.statfs(m.mount);
      } catch {
        return null; // unmounted since, or not ours to see: the other disks still count
      }
      if (s.blocks === 0) return null;
      const usedBytes = (s.blocks - s.blocksFree) * s.blockSize;
      const availBytes = s.blocksAvail * s.blockSize;
      const inodesUsed = Math.max(0, s.files - s.filesFree);
      return {
        mount: m.mount,
        device: m.source,
        fstype: m.fstype,
        totalBytes: s.blocks * s.blockSize,
        usedBytes,
        availBytes,
        usedPct: ceilPct(s.blocks - s.blocksFree, s.blocks - s.blocksFree + s.blocksAvail),
        inodesTotal: s.files,
        inodesUsed,
        inodesPct: ceilPct(inodesUsed, s.files),
      };
    }),
  );
  return disks.filter((d): d is Disk => d !== null);
}
