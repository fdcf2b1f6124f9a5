// A real systemd for tests: boot the cached Debian rootfs (scripts/systemd-rootfs.sh) with systemd-nspawn, run commands inside via nsenter.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from '../../src/host/exec.js';
import type { ExecOptions, ExecResult } from '../../src/host/port.js';

/** Keep in sync with PACKAGES in scripts/systemd-rootfs.sh: the hash names the cache dir. */
export const ROOTFS_SUITE = 'bookworm';
export const ROOTFS_PACKAGES = 'systemd,systemd-sysv,dbus,tmux';
export const PROJECT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const INNER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function rootfsPath(): string {
  const cache = process.env.ARGUS_ROOTFS_CACHE ?? '/var/cache/argus-test';
  const hash = createHash('sha256').update(`${ROOTFS_SUITE}\n${ROOTFS_PACKAGES}\n`).digest('hex').slice(0, 12);
  return join(cache, `rootfs-${hash}`);
}

/** Why the real-systemd suites cannot run here, or null when they can. */
export function systemdUnavailableReason(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (systemd-nspawn needs root)';
  for (const tool of ['systemd-nspawn', 'nsenter']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
      return `${tool} is not installed (apt-get install systemd-container util-linux)`;
  }
  if (!existsSync(join(rootfsPath(), '.argus-rootfs-complete')))
    return `no cached rootfs at ${rootfsPath()} (run scripts/systemd-rootfs.sh)`;
  return null;
}

/** True when a container can be booted; otherwise prints the reason once per call site (use with describe.skipIf). */
export function systemdAvailable(): boolean {
  const reason = systemdUnavailableReason();
  if (reason) console.warn(`[systemd tests skipped] ${reason}`);
  return reason === null;
}

export interface Bind {
  source: string;
  /** Path inside the container (default: same as source). */
  target?: string;
  readOnly?: boolean;
}

export interface BootOptions {
  name: string;
  /** Host paths to bind into the container (the project dir is always bound read-write at its own path). */
  binds?: ReadonlyArray<string | Bind>;
  bootTimeoutMs?: number;
}

export interface Container {
  name: string;
  /** PID (host view) of the container's systemd. */
  pid: number;
  /** The container's root directory on the host: write files inside with `join(root, path)`. */
  root: string;
  /** Run a program inside (nsenter, clean environment), Host['exec']-compatible. */
  exec(file: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Write a file inside the container (in-container path; written from inside, so no host symlink is followed). */
  writeFile(path: string, text: string, mode?: number): Promise<void>;
  /** The nspawn console output so far (for failure messages). */
  consoleLog(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Boot a container from a copy of the cached rootfs. Call stop() in afterAll. */
export async function bootContainer(options: BootOptions): Promise<Container> {
  const work = mkdtempSync(join(tmpdir(), 'argus-'));
  const root = join(work, 'root');
  const logPath = join(work, 'nspawn.log');
  const copy = await execFile('cp', ['-a', '--reflink=auto', rootfsPath(), root], { timeoutMs: 120_000 });
  if (copy.failed) throw new Error(`copying the rootfs failed: ${copy.stderr}`);

  const node = realpathSync(process.execPath);
  const args = [
    '-q',
    '-b',
    '-D',
    root,
    '-M',
    `${options.name}-${process.pid}`,
    '--register=no',
    '--keep-unit',
    '--console=passive',
    `--bind-ro=${node}:/usr/local/bin/node`,
    `--bind=${PROJECT_DIR}`,
  ];
  for (const b of options.binds ?? []) {
    const bind = typeof b === 'string' ? { source: b } : b;
    args.push(`--bind${bind.readOnly ? '-ro' : ''}=${bind.source}:${bind.target ?? bind.source}`);
  }
  const out = openSync(logPath, 'a');
  const nspawn = spawn('systemd-nspawn', args, { stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  let exitInfo = '';
  const exited = new Promise<void>((r) =>
    nspawn.once('exit', (code, signal) => {
      exitInfo = `nspawn exited (code ${code}, signal ${signal})`;
      r();
    }),
  );
  const nspawnPid = nspawn.pid!;
  const consoleLog = () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');

  let pid = 0;
  const deadline = Date.now() + (options.bootTimeoutMs ?? 60_000);
  while (!pid && Date.now() < deadline && alive(nspawnPid)) {
    for (const child of childrenOf(nspawnPid)) {
      const comm = readFileSync(`/proc/${child}/comm`, 'utf8').trim();
      if (comm === 'systemd' || comm === 'init') pid = child;
    }
    if (!pid) await sleep(100);
  }

  const exec = (file: string, argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> => {
    const env = Object.entries(opts.env ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`);
    const chdir = opts.cwd ? ['-C', opts.cwd] : [];
    return execFile(
      'nsenter',
      ['-t', String(pid), '-a', '--', 'env', '-i', ...chdir, `PATH=${INNER_PATH}`, ...env, file, ...argv],
      { ...opts, env: { PATH: process.env.PATH }, cwd: undefined },
    );
  };

  // If the test process ends without stop() (a hook timed out), take the container down with it.
  const onExit = () => {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);

  const stop = async (): Promise<void> => {
    process.off('exit', onExit);
    if (pid && alive(nspawnPid)) await exec('systemctl', ['poweroff'], { timeoutMs: 10_000 });
    const gone = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
    if (!gone) {
      // SIGKILL to the container's PID 1 ends its whole PID namespace; killing nspawn alone would orphan it.
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
      const after = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!after && alive(nspawnPid)) process.kill(nspawnPid, 'SIGKILL');
    }
    try {
      rmSync(work, { recursive: true, force: true });
    } catch (error) {
      console.warn(`could not remove ${work}: ${(error as Error).message}`);
    }
  };

  if (!pid) {
    const log = consoleLog();
    await stop();
    throw new Error(`container ${options.name} did not start:\n${log.slice(-2000)}`);
  }
  // Until systemd's private socket exists, systemctl fails at once ("Failed to connect to bus"): retry.
  let running = await exec('systemctl', ['is-system-running', '--wait'], { timeoutMs: 60_000 });
  while (!running.stdout.trim() && Date.now() < deadline && alive(nspawnPid)) {
    await sleep(200);
    running = await exec('systemctl', ['is-system-running', '--wait'], { timeoutMs: 60_000 });
  }
  const state = running.stdout.trim();
  if (state !== 'running' && state !== 'degraded') {
    const log = consoleLog();
    await stop();
    throw new Error(
      `container ${options.name} did not reach running (${state || running.stderr}; ${exitInfo || 'nspawn alive'}; pid ${pid}):\n${log.slice(-2000)}`,
    );
  }

  return {
    name: options.name,
    pid,
    root,
    exec,
    async writeFile(path, text, mode = 0o644) {
      for (const [file, argv, input] of [
        ['mkdir', ['-p', '--', dirname(path)], undefined],
        ['tee', ['--', path], text],
        ['chmod', [mode.toString(8), '--', path], undefined],
      ] as const) {
        const r = await exec(file, argv, { input });
        if (r.failed) throw new Error(`writing ${path} in ${options.name}: ${file} failed: ${r.stderr}`);
      }
    },
    consoleLog,
    stop,
  };
}
