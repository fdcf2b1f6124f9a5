// What `argus install` / `argus uninstall` would do, as data: computed by reading the target root, changing nothing.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { INSTALL_MARKER, TIMER_UNITS, UNIT_NAMES, readTemplate, renderUnits, type UnitVars } from './units.js';

export const UNIT_DIR = '/etc/systemd/system';
export const ENV_DIR = '/etc/argus';
export const ENV_FILE = '/etc/argus/argus.env';

export type Step =
  | { kind: 'mkdir'; path: string; mode: number }
  | { kind: 'write'; path: string; mode: number; text: string; change: 'create' | 'update' }
  | { kind: 'chmod'; path: string; mode: number; why: string }
  | { kind: 'remove'; path: string }
  | { kind: 'keep'; path: string; why: string }
  | { kind: 'systemctl'; args: string[] };

export interface InstallOptions {
  /** Filesystem root to install into ("/" for the real system; a temp dir in tests: systemctl then works offline). */
  root: string;
  vars: UnitVars;
  /** `timer` (default): a cycle every 5 min via argus.timer; `run`: the long-running argus-run.service. */
  mode: 'timer' | 'run';
  /** Start the timers/service now (only on a live system, root "/"). */
  start: boolean;
  sourceDir?: string;
  /** Watched units: in timer mode each gets a drop-in that starts a cycle at once when it fails. */
  watched?: readonly string[];
  /** Also enable argus-serve.service (the dashboard, /metrics, /mcp on loopback). Its unit file is always written. */
  serve?: boolean;
  /** Also enable argus-solicitor.service (Telegram approvals and commands): when Telegram and approvers are configured. */
  solicitor?: boolean;
}

/** The drop-in that makes a watched unit's failure start a cycle at once (timer mode). */
export const RECOVER_DROPIN = 'argus-recover.conf';

export function recoverDropIn(unit: string): string {
  return [
    `# ${INSTALL_MARKER}: when ${unit} fails, Argus runs a cycle at once (detect, restart through the gate, verify)`,
    '# instead of at the next timer tick. The single-instance lock keeps it from overlapping a timer cycle.',
    '[Unit]',
    'OnFailure=argus.service',
    '',
  ].join('\n');
}

/** Drop-ins of ours under the unit dir: unit name → path. */
function ourDropIns(unitDir: string): Map<string, string> {
  const found = new Map<string, string>();
  let entries: string[];
  try {
    entries = readdirSync(unitDir);
  } catch {
    return found;
  }
  for (const dir of entries.filter((e) => e.endsWith('.d'))) {
    const path = join(unitDir, dir, RECOVER_DROPIN);
    if (readIfExists(path)?.includes(INSTALL_MARKER)) found.set(dir.slice(0, -2), path);
  }
  return found;
}

/** Write a drop-in for each watched unit, remove ours from units no longer watched. */
function planDropIns(unitDir: string, watched: readonly string[]): { steps: Step[]; changed: boolean } {
  const steps: Step[] = [];
  let changed = false;
  const existing = ourDropIns(unitDir);
  for (const unit of watched) {
    const dir = join(unitDir, `${unit}.d`);
    const path = join(dir, RECOVER_DROPIN);
    const text = recoverDropIn(unit);
    const current = readIfExists(path);
    existing.delete(unit);
    if (current === text) {
      steps.push({ kind: 'keep', path, why: 'unchanged' });
      continue;
    }
    if (!existsSync(dir)) steps.push({ kind: 'mkdir', path: dir, mode: 0o755 });
    steps.push({ kind: 'write', path, mode: 0o644, text, change: current === null ? 'create' : 'update' });
    changed = true;
  }
  for (const [, path] of existing) {
    steps.push({ kind: 'remove', path });
    changed = true;
  }
  return { steps, changed };
}

const at = (root: string, path: string) => (root === '/' ? path : join(root, path));

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** `systemctl` arguments that work on the live system, or offline on an image (`--root`, no daemon, no --now). */
function systemctl(root: string, verb: string, units: readonly string[], now: boolean): Step {
  if (root === '/') return { kind: 'systemctl', args: [verb, ...(now ? ['--now'] : []), '--', ...units] };
  return { kind: 'systemctl', args: [`--root=${root}`, verb, '--', ...units] };
}

export function planInstall(options: InstallOptions): Step[] {
  const { root } = options;
  const steps: Step[] = [];
  const unitDir = at(root, UNIT_DIR);
  if (!existsSync(unitDir)) steps.push({ kind: 'mkdir', path: unitDir, mode: 0o755 });
  let changed = false;
  for (const unit of renderUnits(options.vars, options.sourceDir)) {
    const path = join(unitDir, unit.name);
    const current = readIfExists(path);
    if (current === unit.text) steps.push({ kind: 'keep', path, why: 'unchanged' });
    else {
      steps.push({ kind: 'write', path, mode: 0o644, text: unit.text, change: current === null ? 'create' : 'update' });
      changed = true;
    }
  }

  const envDir = at(root, ENV_DIR);
  const envFile = at(root, ENV_FILE);
  if (!existsSync(envDir)) steps.push({ kind: 'mkdir', path: envDir, mode: 0o700 });
  if (!existsSync(envFile)) {
    steps.push({
      kind: 'write',
      path: envFile,
      mode: 0o600,
      text: readTemplate('argus.env.example', options.sourceDir),
      change: 'create',
    });
  } else {
    steps.push({ kind: 'keep', path: envFile, why: 'exists; never overwritten' });
    const mode = statSync(envFile).mode & 0o777;
    if (mode & 0o077)
      steps.push({
        kind: 'chmod',
        path: envFile,
        mode: 0o600,
        why: `was ${mode.toString(8).padStart(4, '0')}: it holds secrets`,
      });
  }

  // Recovery in seconds (timer mode): argus-run.service conflicts with argus.service, so run mode gets no drop-ins.
  const dropIns = planDropIns(unitDir, options.mode === 'timer' ? (options.watched ?? []) : []);
  steps.push(...dropIns.steps);
  changed ||= dropIns.changed;

  if (root === '/' && changed) steps.push({ kind: 'systemctl', args: ['daemon-reload'] });
  const enable = [
    ...(options.mode === 'timer' ? [...TIMER_UNITS] : ['argus-run.service', 'argus-chronicle.timer']),
    ...(options.serve ? ['argus-serve.service'] : []),
    ...(options.solicitor ? ['argus-solicitor.service'] : []),
  ];
  if (options.mode === 'run') steps.push(systemctl(root, 'disable', ['argus.timer'], options.start));
  steps.push(systemctl(root, 'enable', enable, options.start));
  return steps;
}

export function planUninstall(options: { root: string; start?: boolean }): Step[] {
  const { root } = options;
  const steps: Step[] = [];
  const unitDir = at(root, UNIT_DIR);
  const present = UNIT_NAMES.filter((name) => existsSync(join(unitDir, name)));
  const ours = present.filter((name) => readIfExists(join(unitDir, name))?.includes(INSTALL_MARKER));
  const enabled = ours.filter(
    (name) =>
      name.endsWith('.timer') || ['argus-run.service', 'argus-serve.service', 'argus-solicitor.service'].includes(name),
  );
  if (enabled.length) steps.push(systemctl(root, 'disable', enabled, options.start ?? true));
  if (root === '/' && ours.includes('argus.service'))
    steps.push({ kind: 'systemctl', args: ['stop', '--', 'argus.service', 'argus-chronicle.service'] });
  for (const name of present) {
    const path = join(unitDir, name);
    if (ours.includes(name)) steps.push({ kind: 'remove', path });
    else steps.push({ kind: 'keep', path, why: 'not written by argus install; left alone' });
  }
  const dropIns = [...ourDropIns(unitDir).values()];
  for (const path of dropIns) steps.push({ kind: 'remove', path });
  if (root === '/' && (ours.length || dropIns.length)) steps.push({ kind: 'systemctl', args: ['daemon-reload'] });
  const envFile = at(root, ENV_FILE);
  if (existsSync(envFile))
    steps.push({ kind: 'keep', path: envFile, why: 'configuration and secrets are kept; remove by hand' });
  return steps;
}

/** One line a person reads, for the plan (`would …`) or the report. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'mkdir':
      return `create directory ${step.path} (mode ${step.mode.toString(8)})`;
    case 'write':
      return `${step.change} ${step.path} (mode ${step.mode.toString(8).padStart(4, '0')})`;
    case 'chmod':
      return `chmod ${step.mode.toString(8).padStart(4, '0')} ${step.path} (${step.why})`;
    case 'remove':
      return `remove ${step.path}`;
    case 'keep':
      return `keep ${step.path} (${step.why})`;
    case 'systemctl':
      return `systemctl ${step.args.filter((a) => a !== '--').join(' ')}`;
  }
}
