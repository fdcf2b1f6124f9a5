// Shared builders for the executor tests: an ActionContext on a temp state dir, real fixture processes, /proc facts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { statePaths } from '../../../src/config/load.js';
import { ConfigSchema, type Config } from '../../../src/config/schema.js';
import type { ActionContext } from '../../../src/agents/executor/action.js';
import { createLinuxHost } from '../../../src/host/linux.js';
import type { Host } from '../../../src/host/port.js';
import { silentLog } from '../../../src/log.js';
import type { ProcessInfo, Snapshot } from '../../../src/model/snapshot.js';
import { Registry } from '../../../src/state/registry.js';
import type { ProblemRecord } from '../../../src/model/record.js';
import { proc, processes, snapshot } from '../../support/snapshot.js';
import { readRecords } from '../../support/records.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/executor/', import.meta.url));

export interface Sandbox {
  dir: string;
  config: Config;
  ctx: ActionContext;
  registry: Registry;
  /** Every record the registry file holds, one JSON.parse per line (as `jq` would see them). */
  records(): ProblemRecord[];
  children: ChildProcess[];
  /** Processes started indirectly (a fixture's own child): killed by PID in cleanup. */
  pids: number[];
  cleanup(): void;
}

export function sandbox(
  over: { config?: Partial<Config>; host?: Partial<Host>; snapshot?: Snapshot | null; cycleId?: string | null } = {},
): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'argus-'));
  const config = ConfigSchema.parse({ stateDir: join(dir, 'state'), ...over.config });
  const paths = statePaths(config);
  const registry = new Registry(paths.registry);
  const children: ChildProcess[] = [];
  const pids: number[] = [];
  const ctx: ActionContext = {
    host: createLinuxHost(over.host),
    config,
    paths,
    log: silentLog(),
    snapshot: over.snapshot === undefined ? null : over.snapshot,
    notifier: { channel: 'none', deliver: async () => ({ status: 'logged', delivered: 0, queued: 0, detail: '' }) },
    dryRun: false,
    cycleId: over.cycleId === undefined ? 'cycle-1' : over.cycleId,
  };
  return {
    dir,
    config,
    ctx,
    registry,
    children,
    pids,
    records: () => readRecords(paths.registry),
    cleanup: () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Spawn a fixture (or any program) and wait for its first line of output ("ready", or what it prints). */
export async function spawnReady(
  sb: Sandbox,
  file: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  sb.children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`${file} exited early (${code})`)));
  });
  return { child, line };
}

export function spawnNode(sb: Sandbox, fixture: string, args: string[] = []) {
  return spawnReady(sb, process.execPath, [join(FIXTURES, fixture), ...args]);
}

/** The ProcessInfo a collector would have recorded for a live PID (real comm, ppid and start ticks). */
export function procInfoOf(pid: number): ProcessInfo {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).split(' ');
  return proc({
    pid,
    ppid: Number(rest[1]),
    comm: text.slice(text.indexOf('(') + 1, close),
    startTicks: Number(rest[19]),
  });
}

export function snapshotWith(infos: ProcessInfo[]): Snapshot {
  return snapshot({ processes: processes({ topByRss: infos }) });
}

export function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
}
