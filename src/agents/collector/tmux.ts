// tmux sessions on the default socket and each configured socket (argument arrays, no shell).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host } from '../../host/port.js';
import type { TmuxSession } from '../../model/snapshot.js';

/**
 * Numbers first, the name last, separated by spaces: without a UTF-8 locale (cron, `env -i`, LANG unset) tmux turns a
 * tab into `_`, so a tab separator is not locale-independent; a space is printable everywhere, and the numbers hold none.
 */
const FORMAT = '#{session_windows} #{session_created} #{session_attached} #{session_name}';
/** tmux's words for "there is no server on this socket": an empty list, not a failure. */
const NO_SERVER = /no server running|error connecting to|no such file or directory|connection refused/i;

/** Lines of windows, created (epoch s), attached count, then the name: everything after the third space. */
export function parseSessions(stdout: string, socket: string): TmuxSession[] {
  const out: TmuxSession[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\d+) (\d+) (\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [windows, created, attached] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
    out.push({
      socket,
      name: m[4]!,
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
  // Without a UTF-8 locale tmux prints non-ASCII session names as `_`: ask for one that every Debian has.
  if (!/utf-?8/i.test(env.LC_ALL ?? env.LC_CTYPE ?? env.LANG ?? '')) env.LC_CTYPE = 'C.UTF-8';
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

async function listSocket(host: Host, given: string | null, timeoutMs: number): Promise<TmuxSession[]> {
  // The default socket is looked up under host.root like every other host file: a fixture root (tests, replay) never
  // sees the tmux server of the machine the tests run on.
  const socket = given === null && host.root !== '/' ? join(host.root, defaultSocketPath()) : given;
  if (await socketMissing(socket ?? defaultSocketPath())) return [];
  const args = socket === null ? ['list-sessions', '-F', FORMAT] : ['-S', socket, 'list-sessions', '-F', FORMAT];
  const r = await host.exec('tmux', args, { timeoutMs, env: cleanEnv() });
  const label = socket ?? 'default';
  if (r.spawnError)
    throw new Error(r.spawnError === 'ENOENT' ? 'tmux is not installed' : `tmux could not start (${r.spawnError})`);
  if (r.timedOut) throw new Error(`tmux on ${label} did not answer within ${timeoutMs} ms`);
  if (r.failed) {
    if (NO_SERVER.test(r.stderr)) return [];
    throw new Error(`tmux list-sessions on ${label} failed: ${r.stderr.trim().split('\n')[0] || `exit ${r.exitCode}`}`);
  }
  return parseSessions(r.stdout, label);
}

export async function readTmux(host: Host, sockets: readonly string[], timeoutMs: number): Promise<TmuxSession[]> {
  const lists = await Promise.all([
    listSocket(host, null, timeoutMs),
    ...sockets.map((s) => listSocket(host, s, timeoutMs)),
  ]);
  return lists.flat();
}
