// `argus status --fleet` (built CLI) on what the real receiver wrote: hosts and fleet incidents in text and JSON,
// host text made safe for the terminal; "no fleet data" on a host without a receiver; exit 2 naming the key of a bad
// hosts file.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetView } from '../../src/fleet/view.js';
import { driveFleet, XSS_HOST } from '../fleet/fleet-fixture.js';
import { startReceiver, type ReceiverRig } from '../fleet/receiver-harness.js';
import { webhook } from '../fleet/receiver-harness.js';
import { makeTmp } from '../support/tmp.js';

const CLI = join(resolve(__dirname, '../..'), 'dist/cli.js');

function argus(args: string[], stateDir: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: stateDir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: stateDir, ARGUS_STATE_DIR: stateDir, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let rig: ReceiverRig | undefined;
let tmp: ReturnType<typeof makeTmp> | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  tmp?.cleanup();
  tmp = undefined;
});

describe.skipIf(!existsSync(CLI))('argus status --fleet', () => {
  it('text: hosts with what fires on them and their links, fleet incidents firing with hosts and beads, the resolved one, silences; exit 0', async () => {
    rig = await startReceiver();
    const groups = await driveFleet(rig);
    const hostsFile = join(rig.stateDir, 'hosts.json');
    writeFileSync(hostsFile, JSON.stringify({ hosts: [{ name: 'web-1', url: 'http://web-1:8787/' }] }));
    const r = argus(['status', '--fleet'], rig.stateDir, { ARGUS_FLEET_HOSTS: hostsFile });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const disk = Object.values(groups).find((g) => g.alerts?.[0]?.identity === 'disk:/')!;
    expect(r.stdout).toContain(`Hosts file: ${hostsFile}`);
    expect(r.stdout).toContain('Hosts: 4 heard of, 3 with incidents firing');
    expect(r.stdout).toMatch(
      /\n {2}CRITICAL web-1 — 2 firing: disk:\/, memory:host; heard \d+s ago · http:\/\/web-1:8787\/\n/,
    );
    expect(r.stdout).toMatch(/\n {2}WARNING {2}web-2 — 1 firing: disk:\/; heard \d+s ago\n/);
    expect(r.stdout).toMatch(/\n {2}OK {7}web-3 — heard \d+s ago\n/);
    expect(r.stdout).toContain('Fleet incidents firing (2)');
    expect(r.stdout).toMatch(
      new RegExp(
        `\\n {2}CRITICAL disk:/ on 2 hosts \\(web-1, web-2\\) since ${disk.openedAt.replace(/\./g, '\\.')} \\(\\d+s ago\\); bead ${disk.beadId!}\\n`,
      ),
    );
    expect(r.stdout).toMatch(
      /Resolved in the last day \(1\)\n {2}RESOLVED service:nginx\.service on 1 host \(web-3\) at \S+ \(\d+s ago\); bead \S+\n/,
    );
    expect(r.stdout).toContain(
      "Silences: kept in Alertmanager (a silenced alert never reaches the receiver): 'amtool silence query'",
    );
    expect(r.stdout).toContain(XSS_HOST);
  });

  it('host text cannot drive the terminal: escape sequences in a host label are shown, not sent', async () => {
    rig = await startReceiver();
    await rig.post(webhook([{ host: 'evil\u001b]0;pwned\u0007\u001b[2J', identity: 'disk:/' }]));
    await rig.receiver.idle();
    const r = argus(['status', '--fleet'], rig.stateDir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u0007');
  });

  it('--json: the view (hosts, groups, silenced null); no data: fleet null with the reason', async () => {
    rig = await startReceiver();
    await driveFleet(rig);
    const r = argus(['status', '--fleet', '--json'], rig.stateDir);
    expect(r.code).toBe(0);
    const { fleet } = JSON.parse(r.stdout) as { fleet: FleetView };
    expect(fleet.hosts.map((h) => h.name)).toEqual(['web-1', 'web-2', XSS_HOST, 'web-3']);
    expect(fleet.groups.map((g) => [g.status, g.title, g.beadId === null])).toEqual([
      ['firing', 'memory:host', false],
      ['firing', 'disk:/', false],
      ['resolved', 'service:nginx.service', false],
    ]);
    expect(fleet).toMatchObject({ firingGroups: 2, hostsFile: null, silenced: null });
    tmp = makeTmp('argus-status-fleet-');
    const none = argus(['status', '--fleet', '--json'], tmp.dir);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toEqual({
      fleet: null,
      reason: "no fleet data: this host runs no receiver (see README 'Running a fleet')",
    });
  });

  it('no fleet data: says so plainly, exit 0', () => {
    tmp = makeTmp('argus-status-fleet-');
    const r = argus(['status', '--fleet'], tmp.dir);
    expect(r).toEqual({
      code: 0,
      stdout: "no fleet data: this host runs no receiver (see README 'Running a fleet')\n",
      stderr: '',
    });
  });

  it('a bad hosts file: exit 2 naming the file and the key (text and --json)', () => {
    tmp = makeTmp('argus-status-fleet-');
    const hostsFile = join(tmp.dir, 'hosts.json');
    writeFileSync(
      hostsFile,
      '{"hosts":[{"name":"web-1","url":"http://web-1:8787/"},{"name":"web-2","url":"ftp://web-2/"}]}',
    );
    for (const args of [
      ['status', '--fleet'],
      ['status', '--fleet', '--json'],
    ]) {
      const r = argus(args, tmp.dir, { ARGUS_FLEET_HOSTS: hostsFile });
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
      expect(r.stderr).toBe(
        `argus: fleet hosts file ${hostsFile} (ARGUS_FLEET_HOSTS): hosts[1].url: expected an http:// or https:// URL\n`,
      );
    }
  });

  it('doctor checks the hosts file: the key that is wrong, or how many hosts it names', () => {
    tmp = makeTmp('argus-status-fleet-');
    const hostsFile = join(tmp.dir, 'hosts.json');
    writeFileSync(hostsFile, '{"hosts":[{"name":"web-1","url":"javascript:alert(1)"}]}');
    const bad = argus(['doctor', '--offline'], tmp.dir, { ARGUS_FLEET_HOSTS: hostsFile });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      /✗ fleet hosts\s+fleet hosts file .*hosts\.json \(ARGUS_FLEET_HOSTS\): hosts\[0\]\.url: expected an http/,
    );
    writeFileSync(
      hostsFile,
      '{"hosts":[{"name":"web-1","url":"http://web-1:8787/"},{"name":"web-2","url":"https://web-2/"}]}',
    );
    const good = argus(['doctor', '--offline'], tmp.dir, { ARGUS_FLEET_HOSTS: hostsFile });
    expect(good.stdout).toMatch(/✓ fleet hosts\s+2 hosts in .*hosts\.json/);
    expect(argus(['doctor', '--offline'], tmp.dir).stdout).not.toContain('fleet hosts');
  });
});
