// The chronicler's own documents on disk, one rule for every face that serves them (/docs/ of `argus serve`, the MCP
// resources): a known folder, a plain file name (no path, no traversal), a regular file — a symlink is never followed.
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const DOC_FOLDERS = ['runbooks', 'postmortems'] as const;
export type DocFolder = (typeof DOC_FOLDERS)[number];
/** A document's file name: letters, digits, `.`, `_`, `-`, ending in `.md`; no `/`, no `%`, no NUL. */
export const DOC_NAME = /^[A-Za-z0-9._-]{1,200}\.md$/;
/** Larger files are not the chronicler's (its documents are a few KB): refused rather than read whole. */
export const DOC_MAX_BYTES = 2 * 1024 * 1024;

export function isDocFolder(folder: string): folder is DocFolder {
  return (DOC_FOLDERS as readonly string[]).includes(folder);
}

/** Whether `folder/name` may name one of the chronicler's documents. */
export function isDocName(folder: string, name: string): boolean {
  return isDocFolder(folder) && DOC_NAME.test(name);
}

/** The first docs dir that holds this folder as a real directory (a symlinked folder is not one). */
export async function docFolderDir(docsDirs: readonly string[], folder: DocFolder): Promise<string | null> {
  for (const d of docsDirs) if ((await lstat(join(d, folder)).catch(() => null))?.isDirectory()) return join(d, folder);
  return null;
}

/** The documents of a folder: checked names of regular files, sorted. */
export async function listDocs(docsDirs: readonly string[], folder: DocFolder): Promise<{ dir: string | null; names: string[] }> {
  const dir = await docFolderDir(docsDirs, folder);
  if (!dir) return { dir, names: [] };
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return { dir, names: entries.filter((e) => e.isFile() && DOC_NAME.test(e.name)).map((e) => e.name).sort() };
}

/**
 * One document's text, or null: an unknown folder, a name that is not a plain `.md` name, a missing file, a symlink
 * (opened with O_NOFOLLOW, so a link swapped in after a listing is refused too), anything but a regular file, or a
 * file over DOC_MAX_BYTES.
 */
export async function readDoc(docsDirs: readonly string[], folder: string, name: string): Promise<string | null> {
  if (!isDocFolder(folder) || !DOC_NAME.test(name)) return null;
  const dir = await docFolderDir(docsDirs, folder);
  if (!dir) return null;
  const fh = await open(join(dir, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => null);
  if (!fh) return null;
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size > DOC_MAX_BYTES) return null;
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}

/** A document's title: its first `# ` heading, else its name. */
export function docTitle(text: string, name: string): string {
  return /^# (.*)$/m.exec(text)?.[1]?.trim() || name;
}
