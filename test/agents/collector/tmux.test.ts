import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSessions, readTmux } from '../../../src/agents/collector/tmux.js';
import { createLinuxHost } from '../../../src/host/linux.js';
import { execResult, tempDirs } from './helpers.js';

const temp = tempDirs();
const sockets: string[] = [];
let savedTmpdir: string | undefined;

beforeEach(() => {
  // The "default" socket resolves inside the sandbox: these tests never look at the real default tmux server.
  savedTmpdir = process.env.TMUX_TMPDIR;
  process.env.TMUX_TMPDIR = temp.make();
});

afterEach(() => {
  for (const s of sockets.splice(0)) {
    try {
      execFileSync('tmux', ['-S', s, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  if (savedTmpdir === undefined) delete process.env.TMUX_TMPDIR;
  else process.env.TMUX_TMPDIR = savedTmpdir;
  temp.cleanup();
});

const tmux = (sock: string, ...args: string[]): void => {
  execFileSync('tmux', ['-S', sock, ...args], { stdio: 'ignore', env: { ...process.env, TMUX: '' } });
};

describe('readTmux with a real tmux on a private socket', () => {
  it('lists the sessions of a configured socket with windows, creation time and attachment', async () => {
    const sock = join(temp.make(), 'sock');
    sockets.push(sock);
    tmux(sock, 'new-session', '-d', '-s', 'demo');
    tmux(sock, 'new-session', '-d', '-s', 'agent-bd-42');
    tmux(sock, 'new-window', '-t', 'agent-bd-42');
    const before = Date.now() - 60_000;
    const sessions = await readTmux(createLinuxHost(), [sock], 5000);
    expect(sessions.map((s) => [s.socket, s.name, s.windows, s.attached])).toEqual([
      [sock, 'agent-bd-42', 2, false],
      [sock, 'demo', 1, false],
    ]);
    for (const s of sessions) expect(Date.parse(s.createdAt)).toBeGreaterThan(before);
  });

  it('the default socket is looked up under host.root: a fixture host sees the tmux server in its tree, never another', async () => {
    const root = temp.make();
    delete process.env.TMUX_TMPDIR;
    const dir = join(root, 'tmp', `tmux-${process.getuid?.() ?? 0}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const sock = join(dir, 'default');
    sockets.push(sock);
    tmux(sock, 'new-session', '-d', '-s', 'inside-the-fixture');
    const sessions = await readTmux(createLinuxHost({ root }), [], 5000);
    expect(sessions.map((x) => [x.socket, x.name])).toEqual([[sock, 'inside-the-fixture']]);
    // An empty fixture root: no default server, whatever runs on the machine's own default socket.
    expect(await readTmux(createLinuxHost({ root: temp.make() }), [], 5000)).toEqual([]);
  });

  it("a socket with no server (missing file, or a dead server's leftover) is an empty list, not an error", async () => {
    const dir = temp.make();
    const stale = join(dir, 'stale');
    writeFileSync(stale, ''); // not a listening socket
    const sessions = await readTmux(createLinuxHost(), [join(dir, 'missing'), stale], 5000);
    expect(sessions).toEqual([]);
  });
});

describe('readTmux without a locale (cron, env -i: LANG unset)', () => {
  it('still finds every session, names with spaces and non-ASCII included', async () => {
    const sock = join(temp.make(), 'sock');
    sockets.push(sock);
    tmux(sock, 'new-session', '-d', '-s', 'agent one');
    tmux(sock, 'new-session', '-d', '-s', 'café');
    const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL, LC_CTYPE: process.env.LC_CTYPE };
    delete process.env.LANG;
    delete process.env.LC_ALL;
    delete process.env.LC_CTYPE;
    try {
      const sessions = await readTmux(createLinuxHost(), [sock], 5000);
      expect(sessions.map((s) => s.name).sort()).toEqual(['agent one', 'café']);
    } finally {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
  });
});

describe('readTmux failures', () => {
  it('tmux not installed → throws (a gap), when there is a socket to ask', async () => {
    const dir = temp.make();
    const sock = join(dir, 'sock');
    writeFileSync(sock, '');
    const host = createLinuxHost({
      exec: async () => execResult({ exitCode: null, failed: true, spawnError: 'ENOENT' }),
    });
    await expect(readTmux(host, [sock], 1000)).rejects.toThrow('tmux is not installed');
  });

  it('an unexpected tmux error is reported in its own words', async () => {
    const dir = temp.make();
    const sock = join(dir, 'sock');
    writeFileSync(sock, '');
    const host = createLinuxHost({
      exec: async () => execResult({ exitCode: 1, failed: true, stderr: 'protocol version mismatch\n' }),
    });
    await expect(readTmux(host, [sock], 1000)).rejects.toThrow(
      `tmux list-sessions on ${sock} failed: protocol version mismatch`,
    );
  });

  it('asks with an argument array: -S PATH list-sessions -F FORMAT', async () => {
    const dir = temp.make();
    const sock = join(dir, 'we ird;$(rm -rf x)');
    writeFileSync(sock, '');
    const calls: Array<readonly string[]> = [];
    const host = createLinuxHost({
      exec: async (_file, args) => {
        calls.push(args);
        return execResult({ stdout: '1 1700000000 1 a\n' });
      },
    });
    const sessions = await readTmux(host, [sock], 1000);
    expect(calls).toEqual([
      ['-S', sock, 'list-sessions', '-F', '#{session_windows} #{session_created} #{session_attached} #{session_name}'],
    ]);
    expect(sessions).toEqual([
      { socket: sock, name: 'a', windows: 1, createdAt: '2023-11-14T22:13:20.000Z', attached: true },
    ]);
  });
});

describe('parseSessions', () => {
  it.each([
    ['plain', '3 1700000000 0 demo', [['demo', 3, false]]],
    ['spaces and a tab in the name', '1 1700000000 2 a b\tc', [['a b\tc', 1, true]]],
    ['garbage lines are skipped', 'nonsense\nx y z w\n1 2\n', []],
  ] as const)('%s', (_name, stdout, expected) => {
    expect(parseSessions(stdout, 'default').map((s) => [s.name, s.windows, s.attached])).toEqual(expected);
  });
});
