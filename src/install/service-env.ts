// The environment the installed argus.service runs with, so an operator's `argus status` sees the service's state:
// its `Environment=` lines and its `EnvironmentFile=` files, read the way systemd reads them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTALL_MARKER } from './units.js';

export interface ServiceEnv {
  /** The unit file it came from. */
  unit: string;
  env: Record<string, string>;
  /** Environment files that exist but could not be read (not root: `sudo argus …`). */
  unreadable: string[];
}

/** One `KEY=value` word list of an `Environment=` line: words split on spaces, "double" or 'single' quotes kept whole. */
function assignments(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) {
    const word = m[1] ?? m[2] ?? m[3] ?? '';
    const eq = word.indexOf('=');
    if (eq > 0) out.push([word.slice(0, eq), word.slice(eq + 1)]);
  }
  return out;
}

/** systemd EnvironmentFile syntax: KEY=value lines, `#`/`;` comments, optional quotes around the value. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = m[2]!;
    env[m[1]!] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  }
  return env;
}

/** The installed service's environment, or null. As in systemd, `EnvironmentFile=` settings override `Environment=`. */
export function serviceEnvironment(root = '/'): ServiceEnv | null {
  const unit = join(root, 'etc/systemd/system/argus.service');
  let text: string;
  try {
    text = readFileSync(unit, 'utf8');
  } catch {
    return null;
  }
  if (!text.includes(INSTALL_MARKER)) return null;
  const files: Record<string, string> = {};
  const direct: Record<string, string> = {};
  const unreadable: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(Environment|EnvironmentFile)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'Environment') for (const [k, v] of assignments(m[2]!)) direct[k] = v;
    else {
      const path = m[2]!.trim().replace(/^-/, '');
      try {
        Object.assign(files, parseEnvFile(readFileSync(join(root, path), 'utf8')));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.push(path);
      }
    }
  }
  return { unit, env: { ...direct, ...files }, unreadable };
}
