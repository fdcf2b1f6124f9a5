// tmux sessions on the default socket and each configured socket (argument arrays, no shell).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host } from '../../host/port.js';
import type { TmuxSession } from '../../model/snapshot.js';

const FORMAT = '#{session_name}\t#{session_windows}\t#{session_created}\t#{session_attached}';
/** tmux's words for "there is no server on this socket": an empty list, not a failure. */
const NO_SERVER = /no server running|error connecting to|no such file or directory|connection refused/i;

/** Lines of name, windows, created (epoch s), attached count; the name is everything before the last three tabs. */
export function parseSessions(stdout: string, socket: string): TmuxSession[] {
  const out: TmuxSession[] = [];
  for (const line of stdout.split('\n')) {
    const parts = line.split('\t');
    if (parts.length < 4) continue;
    const [windows, created, attached] = parts.slice(-3).map(Number) as [number, number, number];
    if (![windows, created, attached].every(Number.isFinite)) continue;
    out.push({
      socket,
      name: parts.slice(0, -3).join('\t'),
      windows,
      createdAt: new Date(created * 1000).toISOString(),
      attached: attached > 0,
    });
  }
  return out;
}

/** The environment without TMUX: inside a session tmux would otherwise list that session's socket as "default". */
function cleanEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (k !== 'TMUX' && k !== 'TMUX_PANE') env[k] = v;
  return env;
}

/** Where tmux puts its default socket when neither -S nor -L is given. */
export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, 'default');
}

/** No socket file, no server: answered without spawning tmux (a spawn costs 5–20 ms of the cycle's budget). */
async function socketMissing(path: string): Promise<boolean> {
  try {
    await stat(path);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

async function listSocket(host: Host, socket: string | null, timeoutMs: number): Promise<TmuxSession[]> {
  if (await socketMissing(socket ?? defaultSocketPath())) return [];
  const args = socket === null ? ['list-sessions', '-F', FORMAT] : ['-S', socket, 'list-sessions', '-F', FORMAT];
  const r = await host.exec('tmux', args, { timeoutMs, env: cleanEnv() });
  const label = socket ?? 'default';
  if (r.spawnError) throw new Error(r.spawnError === 'ENOENT' ? 'tmux is not installed' : `tmux could not start (${r.spawnError})`);
  if (r.timedOut) throw new Error(`tmux on ${label} did not answer within ${timeoutMs} ms`);
  if (r.failed) {
    if (NO_SERVER.test(r.stderr)) return [];
    throw new Error(`tmux list-sessions on ${label} failed: ${r.stderr.trim().split('\n')[0] || `exit ${r.exitCode}`}`);
  }
  return parseSessions(r.stdout, label);
}

export async function readTmux(host: Host, sockets: readonly string[], timeoutMs: number): Promise<TmuxSession[]> {
  const lists = await Promise.all([listSocket(host, null, timeoutMs), ...sockets.map((s) => listSocket(host, s, timeoutMs))]);
  return lists.flat();
}
