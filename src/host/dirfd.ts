// Directories held open and addressed through /proc/self/fd/N: a walk that no rename or symlink swap can redirect.
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';

/** O_NOFOLLOW|O_DIRECTORY: a symlink or anything but a directory in the final component fails (ENOTDIR/ELOOP); a FIFO never blocks. */
const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * An open directory. `child(name)` is `/proc/self/fd/N/name`: the kernel resolves `/proc/self/fd/N` to the very
 * directory this descriptor holds (not to a path), so renaming or swapping any component above cannot redirect it,
 * and lstat/unlink/rmdir/open(O_NOFOLLOW) of `…/name` never follow `name` itself. Node has no openat/unlinkat; this is them.
 */
export interface DirHandle {
  readonly fd: number;
  /** `/proc/self/fd/N`, for readdir. */
  readonly at: string;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  /** The mount this descriptor is on (mountinfo's first field, from /proc/self/fdinfo/N): a bind mount has its own. */
  readonly mountId: number;
  child(name: Buffer): Buffer;
  close(): Promise<void>;
}

/** Parse the `mnt_id:` line of /proc/PID/fdinfo/N; null when absent. */
export function parseFdinfoMountId(text: string): number | null {
  const m = /^mnt_id:\s*(\d+)\s*$/m.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * Open `path` as a directory without following a symlink in its last component. Throws the open's error
 * (ENOTDIR, ELOOP, ENOENT …), or EMOUNTID when the mount ID cannot be read: without it a bind mount could not be
 * told apart, so the walk fails closed.
 */
export async function openDir(path: string | Buffer): Promise<DirHandle> {
  const handle = await open(path, DIR_FLAGS);
  try {
    const st = await handle.stat({ bigint: true });
    const at = `/proc/self/fd/${handle.fd}`;
    const mountId = parseFdinfoMountId(await readFile(`/proc/self/fdinfo/${handle.fd}`, 'utf8'));
    if (mountId === null)
      throw Object.assign(new Error(`no mnt_id in /proc/self/fdinfo/${handle.fd}`), { code: 'EMOUNTID' });
    const prefix = Buffer.from(`${at}/`);
    return {
      fd: handle.fd,
      at,
      dev: st.dev,
      ino: st.ino,
      mtimeMs: Number(st.mtimeMs),
      ctimeMs: Number(st.ctimeMs),
      mountId,
      child: (name) => Buffer.concat([prefix, name]),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
