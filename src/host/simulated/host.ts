// The simulated host: a Host whose /proc is generated from a world model, whose commands and signals change that world.
import {
  existsSync,
  lutimesSync,
  mkdirSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  closeSync,
  openSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { ExecOptions, ExecResult, Host, StatFs } from '../port.js';
import type { SimClock } from './clock.js';
import { answer } from './commands.js';
import type { ScriptedModel } from './model.js';
import { diskSlug, removeProcess, writeProcTree, writeProcess } from './proc-writer.js';
import { SimFileSchema, type SimDisk, type SimFileSpec, type World } from './world.js';

const MB = 1024 * 1024;
const BLOCK = 4096;
/** Any path that is no simulated disk (the state dir, a temp dir) answers as a roomy filesystem. */
const ROOMY: StatFs = {
  blockSize: BLOCK,
  blocks: 26_214_400,
  blocksFree: 20_000_000,
  blocksAvail: 20_000_000,
  files: 6_553_600,
  filesFree: 6_000_000,
};
/** Hosts the simulation must never reach: alerts and model calls stay in the machine. */
/** The simulated Bot API (world.telegram): the runner points the configuration at https://telegram.sim. */
export const SIM_TELEGRAM_HOST = 'telegram.sim';

/** sendMessage as the Bot API answers it: accepted and kept while the chat is up, a 502 while it is down. */
function telegramAnswer(world: World, url: string, init: RequestInit | undefined, atMs: number): Response {
  const chat = world.telegram;
  if (!chat || !url.endsWith('/sendMessage'))
    return Response.json({ ok: false, description: 'Not Found' }, { status: 404 });
  if (!chat.up) return new Response('Bad Gateway', { status: 502 });
  const body = JSON.parse(String(init?.body ?? '{}')) as { text?: string };
  chat.messages.push({ atMs, text: String(body.text ?? '') });
  return Response.json({ ok: true, result: { message_id: chat.messages.length, date: Math.floor(atMs / 1000) } });
}

const FORBIDDEN_HOSTS = /(^|\.)(telegram\.org|anthropic\.com)$/;

export interface SimulatedHostOptions {
  /** A temp directory the simulation owns: /proc, the disks' safelist trees and the tmux socket live under it. */
  root: string;
  /** Argus's own PID inside the simulated machine. */
  pid?: number;
  hostname?: string;
  /** A scripted model answering POST <model.baseUrl>/v1/messages (the runtime is then given that base URL). */
  model?: ScriptedModel;
}

export interface SimulatedHost extends Host {
  world: World;
  /** Regenerate /proc from the world (before each cycle). */
  sync(): void;
  /** Put a real (sparse) file of the given logical size and age into a disk's safelist directory. */
  addFile(mount: string, file: SimFileSpec): void;
  /** The safelist directories of every simulated disk (for clean_disk's roots). */
  safelistDirs(): Array<{ path: string; rule: 'tmp' | 'rotated-log' }>;
  /** The tmux socket path the simulated sessions answer on. */
  tmuxSocket: string;
  /** Commands Argus ran, in order (file and args), for reports and tests. */
  commands: Array<{ file: string; args: string[]; atMs: number }>;
  /** Set the wall clock forward or back (NTP step, a VM restored from a snapshot); the runner keeps its schedule. */
  jumpClock(minutes: number): void;
  /** Minutes the wall clock was set by, in total (scenario minute m runs at start + m + this). */
  clockOffsetMin: number;
  /** The real path of `<mount>:<path in its tree>` or `victims/<name>` (see the scenario's expect.files). */
  realPath(spec: string): string;
}

export function diskUsedBytes(d: SimDisk): number {
  let used = d.otherUsedBytes;
  for (const f of d.files) if (existsSync(f.path)) used += f.sizeBytes;
  return Math.min(used, d.sizeBytes);
}

function statOf(d: SimDisk): StatFs {
  const blocks = Math.floor(d.sizeBytes / BLOCK);
  const free = Math.max(0, blocks - Math.ceil(diskUsedBytes(d) / BLOCK));
  return { blockSize: BLOCK, blocks, blocksFree: free, blocksAvail: free, files: 6_553_600, filesFree: 6_000_000 };
}

export function createSimulatedHost(world: World, clock: SimClock, options: SimulatedHostOptions): SimulatedHost {
  const root = options.root;
  const pid = options.pid ?? 4242;
  const btimeMs = clock.startMs - 10 * 86_400_000;
  const fsDir = (mount: string) => join(root, 'fs', diskSlug(mount));
  const tmuxSocket = join(root, 'tmux', 'sim.sock');
  mkdirSync(join(root, 'tmux'), { recursive: true });
  closeSync(openSync(tmuxSocket, 'a'));
  for (const d of world.disks)
    for (const sub of ['tmp', 'var/tmp', 'var/log']) mkdirSync(join(fsDir(d.mount), sub), { recursive: true });
  const commands: SimulatedHost['commands'] = [];

  const diskFor = (path: string): SimDisk | undefined =>
    world.disks.find((d) => path === d.mount) ??
    world.disks.find((d) => path === fsDir(d.mount) || path.startsWith(`${fsDir(d.mount)}/`));

  const host: SimulatedHost = {
    root,
    pid,
    world,
    tmuxSocket,
    commands,
    hostname: () => options.hostname ?? 'sim-host',
    now: () => clock.now(),
    clockOffsetMin: 0,
    realPath(spec: string): string {
      if (spec.startsWith('victims/')) return join(root, spec);
      const colon = spec.indexOf(':');
      return join(fsDir(spec.slice(0, colon)), spec.slice(colon + 1));
    },
    jumpClock(minutes: number) {
      clock.advance(minutes);
      host.clockOffsetMin += minutes;
    },
    // Time waited inside a cycle passes on the fake clock at once (the runner keeps its own cycle schedule).
    sleep: async (ms: number) => clock.advance(ms / 60_000),

    async exec(file: string, args: readonly string[], _options?: ExecOptions): Promise<ExecResult> {
      commands.push({ file, args: [...args], atMs: clock.now().getTime() });
      const r = answer(file, args, { world, nowMs: clock.now().getTime(), tmuxSocket });
      return r;
    },

    async statfs(path: string): Promise<StatFs> {
      const d = diskFor(path);
      return d ? statOf(d) : { ...ROOMY };
    },

    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (options.model?.handles(url)) return options.model.answer(input, init);
      const hostname = new URL(url).hostname;
      if (hostname === SIM_TELEGRAM_HOST) return telegramAnswer(world, url, init, clock.now().getTime());
      if (FORBIDDEN_HOSTS.test(hostname))
        throw new TypeError(`simulated host: ${hostname} is not reachable from a simulation`);
      const status = world.probes[url] ?? 200;
      if (status === 0) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      return new Response(null, { status });
    }) as typeof fetch,

    kill(target: number, signal: NodeJS.Signals | 0): void {
      const p = world.processes.get(target);
      const isSelf = target === pid || target === 1;
      if (!p && !isSelf) throw Object.assign(new Error(`kill ESRCH (pid ${target})`), { code: 'ESRCH' });
      if (signal === 0 || !p) return;
      if (signal === 'SIGTERM' && p.ignoresTerm) return;
      world.processes.delete(target);
      world.killed.push({ pid: target, comm: p.comm, signal: String(signal), atMs: clock.now().getTime() });
      removeProcess(root, target);
      // As the kernel does: the children of a process that ends are adopted by init.
      for (const child of world.processes.values()) {
        if (child.ppid === target) {
          child.ppid = 1;
          writeProcess(root, child, btimeMs);
        }
      }
    },

    sync(): void {
      for (const d of world.disks) d.files = d.files.filter((f) => existsSync(f.path));
      writeProcTree(root, world, clock.now().getTime(), btimeMs, { pid, rssBytes: 90 * MB });
    },

    addFile(mount: string, spec: SimFileSpec): void {
      const file = SimFileSchema.parse(spec);
      const d = world.disks.find((x) => x.mount === mount);
      if (!d) throw new Error(`no simulated disk mounted at ${mount}`);
      const dir = join(fsDir(mount), file.dir, file.subdir ?? '');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, file.name);
      const sizeBytes = Math.round(file.sizeMB * MB);
      const mtime = new Date(clock.now().getTime() - file.ageDays * 86_400_000);
      const sparse = (p: string): void => {
        writeFileSync(p, '');
        truncateSync(p, sizeBytes); // sparse: the logical size is real, the blocks are not
        utimesSync(p, mtime, mtime);
      };
      if (file.kind === 'fifo') execFileSync('mkfifo', [path]);
      else if (file.kind === 'symlink-outside') {
        mkdirSync(join(root, 'victims'), { recursive: true });
        sparse(join(root, 'victims', file.name));
        symlinkSync(join(root, 'victims', file.name), path);
        lutimesSync(path, mtime, mtime);
      } else sparse(path);
      // Old directories, as old as what they hold (a fresh directory would shelter nothing: files are judged alone).
      for (let d = dir; d.startsWith(`${join(fsDir(mount), file.dir)}/`); d = dirname(d)) utimesSync(d, mtime, mtime);
      d.files = d.files.filter((f) => f.path !== path);
      if (file.kind === 'file') d.files.push({ dir: file.dir, name: file.name, path, sizeBytes });
    },

    safelistDirs() {
      return world.disks.flatMap((d) => [
        { path: join(fsDir(d.mount), 'tmp'), rule: 'tmp' as const },
        { path: join(fsDir(d.mount), 'var/tmp'), rule: 'tmp' as const },
        { path: join(fsDir(d.mount), 'var/log'), rule: 'rotated-log' as const },
      ]);
    },
  };
  return host;
}
