// The shipped systemd units (systemd/*): where they are, and rendering their @NODE@ / @ARGUS_DIR@ placeholders.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (holds dist/cli.js and systemd/), from src/install or dist/install alike. */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const SERVICE_UNITS = [
  'argus.service',
  'argus-chronicle.service',
  'argus-run.service',
  'argus-failure@.service',
  'argus-serve.service',
  'argus-solicitor.service',
] as const;
export const TIMER_UNITS = ['argus.timer', 'argus-chronicle.timer'] as const;
export const UNIT_NAMES = [...SERVICE_UNITS, ...TIMER_UNITS] as const;
export type UnitName = (typeof UNIT_NAMES)[number];

/** Marks a file as written by `argus install` (uninstall removes only those). */
export const INSTALL_MARKER = 'Installed by `argus install`';

export interface UnitVars {
  /** Absolute path of the node binary the units run. */
  node: string;
  /** Absolute path of the Argus package (holds dist/cli.js). */
  argusDir: string;
}

/** Paths go into ExecStart= unquoted: refuse anything systemd would split or expand. */
export function checkUnitPath(path: string): string | null {
  if (!path.startsWith('/')) return `${path} is not an absolute path`;
  if (!/^[A-Za-z0-9/_.+@-]+$/.test(path))
    return `${path} has characters a unit file cannot take unquoted (spaces, %, $, quotes…)`;
  return null;
}

export function renderUnit(template: string, vars: UnitVars): string {
  return template.replaceAll('@NODE@', vars.node).replaceAll('@ARGUS_DIR@', vars.argusDir);
}

/** Read one shipped unit (or argus.env.example) from the package's systemd/ directory. */
export function readTemplate(
  name: UnitName | 'argus.env.example',
  sourceDir = resolve(PACKAGE_DIR, 'systemd'),
): string {
  return readFileSync(resolve(sourceDir, name), 'utf8');
}

/** Every unit, rendered. */
export function renderUnits(vars: UnitVars, sourceDir?: string): Array<{ name: UnitName; text: string }> {
  return UNIT_NAMES.map((name) => ({ name, text: renderUnit(readTemplate(name, sourceDir), vars) }));
}
