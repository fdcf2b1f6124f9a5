import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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

  it('a socket with no server (missing file, or a dead server\'s leftover) is an empty list, not an error', async () => {
    const dir = temp.make();
    const stale = join(dir, 'stale');
    writeFileSync(stale, ''); // not a listening socket
    const sessions = await readTmux(createLinuxHost(), [join(dir, 'missing'), stale], 5000);
    expect(sessions).toEqual([]);
  });
});

describe('readTmux failures', () => {
  it('tmux not installed → throws (a gap), when there is a socket to ask', async () => {
    const dir = temp.make();
    const sock = join(dir, 'sock');
    writeFileSync(sock, '');
    const host = createLinuxHost({ exec: async () => execResult({ exitCode: null, failed: true, spawnError: 'ENOENT' }) });
    await expect(readTmux(host, [sock], 1000)).rejects.toThrow('tmux is not installed');
  });

  it('an unexpected tmux error is reported in its own words', async () => {
    const dir = temp.make();
    const sock = join(dir, 'sock');
    writeFileSync(sock, '');
    const host = createLinuxHost({ exec: async () => execResult({ exitCode: 1, failed: true, stderr: 'protocol version mismatch\n' }) });
    await expect(readTmux(host, [sock], 1000)).rejects.toThrow(`tmux list-sessions on ${sock} failed: protocol version mismatch`);
  });

  it('asks with an argument array: -S PATH list-sessions -F FORMAT', async () => {
    const dir = temp.make();
    const sock = join(dir, 'we ird;$(rm -rf x)');
    writeFileSync(sock, '');
    const calls: Array<readonly string[]> = [];
    const host = createLinuxHost({
      exec: async (_file, args) => {
        calls.push(args);
        return execResult({ stdout: 'a\t1\t1700000000\t1\n' });
      },
    });
    const sessions = await readTmux(host, [sock], 1000);
    expect(calls).toEqual([['-S', sock, 'list-sessions', '-F', '#{session_name}\t#{session_windows}\t#{session_created}\t#{session_attached}']]);
    expect(sessions).toEqual([{ socket: sock, name: 'a', windows: 1, createdAt: '2023-11-14T22:13:20.000Z', attached: true }]);
  });
});

describe('parseSessions', () => {
  it.each([
    ['plain', 'demo\t3\t1700000000\t0', [['demo', 3, false]]],
    ['a tab in the name', 'a\tb\t1\t1700000000\t2', [['a\tb', 1, true]]],
    ['garbage lines are skipped', 'nonsense\nx\ty\tz\tw\n', []],
  ] as const)('%s', (_name, stdout, expected) => {
    expect(parseSessions(stdout, 'default').map((s) => [s.name, s.windows, s.attached])).toEqual(expected);
  });
});
