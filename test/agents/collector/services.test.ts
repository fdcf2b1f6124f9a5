import { describe, expect, it } from 'vitest';
import { normaliseUnit, parseSystemctlShow, readServices } from '../../../src/agents/collector/services.js';
import type { ExecOptions, ExecResult, Host } from '../../../src/host/port.js';
import { createLinuxHost } from '../../../src/host/linux.js';
import { execResult, fixture, fixtureHost } from './helpers.js';

/** What `systemctl show -p …` prints on Debian 12 for a running, a failed and an unknown unit. */
const SHOW_OUTPUT = `Id=nginx.service
ActiveState=active
SubState=running
Result=success
NRestarts=0
MainPID=812
LoadState=loaded
ActiveEnterTimestamp=Sat 2026-02-28 09:12:44 UTC

Id=athena-web.service
ActiveState=failed
SubState=failed
Result=exit-code
NRestarts=5
MainPID=0
LoadState=loaded
ActiveEnterTimestamp=Sun 2026-03-01 11:58:02 UTC

Id=nope.service
ActiveState=inactive
SubState=dead
Result=success
NRestarts=0
MainPID=0
LoadState=not-found
ActiveEnterTimestamp=
`;

function scripted(result: Partial<ExecResult>): {
  host: Host;
  calls: Array<[string, readonly string[], ExecOptions | undefined]>;
} {
  const calls: Array<[string, readonly string[], ExecOptions | undefined]> = [];
  const host = fixtureHost(fixture('this-vm'), {
    exec: async (file, args, options) => {
      calls.push([file, args, options]);
      return execResult(result);
    },
  });
  return { host, calls };
}

describe('unit names', () => {
  it.each([
    ['nginx', 'nginx.service'],
    ['nginx.service', 'nginx.service'],
    ['argus.timer', 'argus.timer'],
    ['getty@tty1', 'getty@tty1.service'],
    ['my.app', 'my.app.service'],
    ['docker.socket', 'docker.socket'],
  ])('%s → %s', (name, unit) => expect(normaliseUnit(name)).toBe(unit));
});

describe('readServices', () => {
  it('no configured services: no systemctl call at all', async () => {
    const { host, calls } = scripted({});
    expect(await readServices(host, [], 1000)).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('one systemctl show for all units, as an argument array with "--" before the names', async () => {
    const { host, calls } = scripted({ stdout: SHOW_OUTPUT });
    const services = await readServices(host, ['nginx', 'athena-web.service', 'nope', 'nginx.service'], 1234);
    expect(calls).toHaveLength(1);
    const [file, args, options] = calls[0]!;
    expect(file).toBe('systemctl');
    expect(args).toEqual([
      'show',
      '--no-pager',
      '-p',
      'Id,LoadState,ActiveState,SubState,Result,NRestarts,MainPID,ActiveEnterTimestamp',
      '--',
      'nginx.service',
      'athena-web.service',
      'nope.service',
    ]);
    expect(options?.timeoutMs).toBe(1234);
    expect(services).toEqual([
      {
        unit: 'nginx.service',
        loadState: 'loaded',
        activeState: 'active',
        subState: 'running',
        result: 'success',
        nRestarts: 0,
        mainPid: 812,
        activeEnterTimestamp: 'Sat 2026-02-28 09:12:44 UTC',
      },
      {
        unit: 'athena-web.service',
        loadState: 'loaded',
        activeState: 'failed',
        subState: 'failed',
        result: 'exit-code',
        nRestarts: 5,
        mainPid: 0,
        activeEnterTimestamp: 'Sun 2026-03-01 11:58:02 UTC',
      },
      {
        unit: 'nope.service',
        loadState: 'not-found',
        activeState: 'inactive',
        subState: 'dead',
        result: 'success',
        nRestarts: 0,
        mainPid: 0,
        activeEnterTimestamp: '',
      },
    ]);
  });

  it.each([
    ['systemctl missing', { exitCode: null, failed: true, spawnError: 'ENOENT' }, 'systemctl is not installed'],
    [
      'systemd not PID 1',
      {
        exitCode: 1,
        failed: true,
        stderr:
          "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n",
      },
      'systemd is not running here (System has not been booted with systemd',
    ],
    ['timeout', { exitCode: null, signal: 'SIGKILL', failed: true, timedOut: true }, 'did not answer within 1000 ms'],
    [
      'other failure with no output',
      { exitCode: 4, failed: true, stderr: 'Access denied\n' },
      'systemctl show failed (exit 4): Access denied',
    ],
  ] as const)('%s → throws in plain words (a gap)', async (_name, result, message) => {
    const { host } = scripted(result);
    await expect(readServices(host, ['nginx'], 1000)).rejects.toThrow(message);
  });

  it('parses blocks separated by blank lines', () => {
    expect(parseSystemctlShow('A=1\nB=x=y\n\n\nA=2\n').map((m) => Object.fromEntries(m))).toEqual([
      { A: '1', B: 'x=y' },
      { A: '2' },
    ]);
  });

  it('on this machine the real systemctl says systemd is not running (when it is not)', async () => {
    const host = createLinuxHost();
    const r = await host.exec('systemctl', ['is-system-running'], { timeoutMs: 5000 });
    const noSystemd = r.spawnError !== null || /not been booted with systemd|Failed to connect to bus/.test(r.stderr);
    if (!noSystemd) return; // a systemd machine: nothing to show here
    await expect(readServices(host, ['cron'], 5000)).rejects.toThrow(
      /systemctl is not installed|systemd is not running here/,
    );
  });
});
