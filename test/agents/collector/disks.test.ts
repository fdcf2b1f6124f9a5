import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ceilPct, parseMountinfo, readDisks, realMounts } from '../../../src/agents/collector/disks.js';
import type { StatFs } from '../../../src/host/port.js';
import { DISK_STATFS, fixture, fixtureHost, tempDirs } from './helpers.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());

/** A typical server: root, /boot, EFI, a bind of a directory of /, docker overlay, snap, tmpfs, NFS, sshfs, a space. */
const SERVER_MOUNTINFO = [
  '22 28 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw',
  '23 28 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw',
  '24 28 0:5 / /dev rw,nosuid,relatime shared:3 - devtmpfs udev rw,size=8123456k',
  '26 24 0:24 / /dev/shm rw,nosuid,nodev shared:4 - tmpfs tmpfs rw',
  '27 28 0:25 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=1638400k,mode=755',
  '28 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro',
  '29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw',
  '40 28 259:1 / /boot/efi rw,relatime shared:30 - vfat /dev/nvme0n1p1 rw,fmask=0077',
  '41 28 7:0 / /snap/core22/1380 ro,nodev,relatime shared:31 - squashfs /dev/loop0 ro',
  '42 28 259:2 /srv/data /var/lib/data rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro',
  '43 28 0:45 / /var/lib/docker/overlay2/abc/merged rw,relatime - overlay overlay rw,lowerdir=/x,upperdir=/y',
  '44 28 0:46 / /mnt/backup rw,relatime - nfs4 nas:/backup rw,vers=4.2',
  '45 28 0:47 / /home/u/remote rw,nosuid,nodev,relatime - fuse.sshfs u@h:/ rw',
  '46 28 8:17 / /mnt/my\\040disk rw,relatime - xfs /dev/sdb1 rw',
  '47 28 0:48 / /tmp rw,nosuid,nodev - tmpfs tmpfs rw',
  '',
].join('\n');

describe('which mounts are disks', () => {
  it('keeps block filesystems and overlay, drops pseudo, memory, image, network and FUSE mounts, collapses binds', () => {
    const mounts = realMounts(parseMountinfo(SERVER_MOUNTINFO)).map((m) => `${m.mount} ${m.fstype} ${m.source}`);
    expect(mounts).toEqual([
      '/ ext4 /dev/nvme0n1p2',
      '/boot/efi vfat /dev/nvme0n1p1',
      '/mnt/my disk xfs /dev/sdb1',
      '/var/lib/docker/overlay2/abc/merged overlay overlay',
    ]);
  });

  it('on the captured machine only the ext4 root is a disk (tmpfs, cgroup, devpts skipped)', () => {
    const mounts = realMounts(parseMountinfo(readFileSync(join(fixture('this-vm'), 'proc/self/mountinfo'), 'utf8')));
    expect(mounts.map((m) => [m.mount, m.fstype, m.source])).toEqual([['/', 'ext4', '/dev/vda']]);
  });

  it('ignores malformed lines', () => {
    expect(parseMountinfo('garbage\n1 2 3\n\n')).toEqual([]);
  });
});

describe('df arithmetic', () => {
  it.each([
    [900, 950, 95], // 94.7 rounds up, as df does
    [900, 1000, 90],
    [0, 1000, 0],
    [1, 1_000_000, 1],
    [0, 0, 0],
  ])('ceilPct(%i, %i) = %i', (used, total, pct) => {
    expect(ceilPct(used, total)).toBe(pct);
  });
});

describe('readDisks', () => {
  const root = (): string => {
    const r = temp.make();
    mkdirSync(join(r, 'proc', 'self'), { recursive: true });
    writeFileSync(join(r, 'proc', 'self', 'mountinfo'), SERVER_MOUNTINFO);
    return r;
  };

  it('statfs each real mount; space excludes root-reserved blocks like df; inodes %', async () => {
    const asked: string[] = [];
    const statfs = async (path: string): Promise<StatFs> => {
      asked.push(path);
      return path === '/'
        ? { blockSize: 4096, blocks: 1000, blocksFree: 100, blocksAvail: 50, files: 200, filesFree: 1 }
        : DISK_STATFS;
    };
    const disks = await readDisks(fixtureHost(root(), { statfs }));
    expect(asked.sort()).toEqual(['/', '/boot/efi', '/mnt/my disk', '/var/lib/docker/overlay2/abc/merged']);
    expect(disks.find((d) => d.mount === '/')).toEqual({
      mount: '/',
      device: '/dev/nvme0n1p2',
      fstype: 'ext4',
      totalBytes: 4_096_000,
      usedBytes: 900 * 4096,
      availBytes: 50 * 4096,
      usedPct: 95,
      inodesTotal: 200,
      inodesUsed: 199,
      inodesPct: 100,
    });
  });

  it('a mount whose statfs fails (gone, no permission) is left out; the others still count', async () => {
    const statfs = async (path: string): Promise<StatFs> => {
      if (path === '/boot/efi') throw Object.assign(new Error('denied'), { code: 'EACCES' });
      return DISK_STATFS;
    };
    const disks = await readDisks(fixtureHost(root(), { statfs }));
    expect(disks.map((d) => d.mount)).toEqual(['/', '/mnt/my disk', '/var/lib/docker/overlay2/abc/merged']);
    expect(disks[0]!.usedPct).toBe(ceilPct(600_000, 950_000));
  });

  it('a filesystem without inodes (btrfs reports 0) has 0 % inodes', async () => {
    const statfs = async (): Promise<StatFs> => ({ ...DISK_STATFS, files: 0, filesFree: 0 });
    const disks = await readDisks(fixtureHost(root(), { statfs }));
    expect(disks.every((d) => d.inodesPct === 0)).toBe(true);
  });
});
