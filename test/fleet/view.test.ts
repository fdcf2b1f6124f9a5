// The fleet view from what the real receiver wrote (webhooks to a started receiver): hosts from the alerts' host
// label, fleet incidents with their beads, host links from the hosts file; a bad hosts file is one line naming the key.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupRecord } from '../../src/fleet/group-state.js';
import { readFleetHosts, readFleetView } from '../../src/fleet/view.js';
import { makeTmp } from '../support/tmp.js';
import { driveFleet, XSS_HOST, XSS_SUMMARY } from './fleet-fixture.js';
import { startReceiver, webhook, type ReceiverRig } from './receiver-harness.js';

let rig: ReceiverRig | undefined;
let tmp: ReturnType<typeof makeTmp> | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  tmp?.cleanup();
  tmp = undefined;
});

describe('fleet view', () => {
  it('hosts heard of (firing identities, worst severity, when last heard), fleet incidents with hosts and bead ids, links from the hosts file', async () => {
    rig = await startReceiver();
    await driveFleet(rig);
    const hostsFile = join(rig.stateDir, 'fleet-hosts.json');
    writeFileSync(
      hostsFile,
      JSON.stringify({
        hosts: [
          { name: 'web-1', url: 'http://web-1:8787/' },
          { name: 'db-1', url: 'https://db-1.example/' },
        ],
      }),
    );
    const view = readFleetView(join(rig.stateDir, 'fleet_groups.json'), hostsFile)!;
    expect(view.hostsFile).toEqual({ path: hostsFile, error: null });
    expect(view.hosts.map((h) => [h.name, h.worst, h.firing, h.url])).toEqual([
      ['web-1', 'critical', ['disk:/', 'memory:host'], 'http://web-1:8787/'],
      ['web-2', 'warning', ['disk:/'], null],
      [XSS_HOST, 'warning', ['memory:host'], null],
      ['db-1', null, [], 'https://db-1.example/'],
      ['web-3', null, [], null],
    ]);
    expect(view.hosts.find((h) => h.name === 'db-1')!.lastHeardAt).toBeNull();
    expect(Date.now() - Date.parse(view.hosts.find((h) => h.name === 'web-3')!.lastHeardAt!)).toBeLessThan(60_000);
    expect(view.firingGroups).toBe(2);
    const beads = rig.bd.issues();
    expect(beads).toHaveLength(3);
    expect(view.groups.map((g) => [g.status, g.title, g.hosts, g.firingAlerts])).toEqual([
      ['firing', 'memory:host', ['web-1', XSS_HOST].sort(), 2],
      ['firing', 'disk:/', ['web-1', 'web-2'], 2],
      ['resolved', 'service:nginx.service', ['web-3'], 0],
    ]);
    // Each fleet incident names the bead bd filed for it (the resolved one keeps its, now closed).
    expect(view.groups.map((g) => g.beadId).sort()).toEqual(beads.map((b) => b.id).sort());
    expect(beads.find((b) => b.id === view.groups[2]!.beadId)!.status).toBe('closed');
    expect(view.groups[0]!.alerts.map((a) => a.summary)).toContain(XSS_SUMMARY);
    expect(view.silenced).toBeNull();
  });

  it('no fleet data: null (no receiver state, no hosts file); a hosts file alone shows its hosts', () => {
    tmp = makeTmp('argus-fleet-view-');
    expect(readFleetView(join(tmp.dir, 'fleet_groups.json'), null)).toBeNull();
    writeFileSync(join(tmp.dir, 'fleet_groups.json'), '{"groups":{}}');
    expect(readFleetView(join(tmp.dir, 'fleet_groups.json'), null)).toBeNull();
    const hostsFile = join(tmp.dir, 'hosts.json');
    writeFileSync(hostsFile, '{"hosts":[{"name":"web-1","url":"http://web-1:8787/"}]}');
    expect(readFleetView(join(tmp.dir, 'fleet_groups.json'), hostsFile)!.hosts).toEqual([
      { name: 'web-1', firing: [], worst: null, lastHeardAt: null, url: 'http://web-1:8787/' },
    ]);
  });

  it.each([
    [
      'a javascript: link',
      '{"hosts":[{"name":"web-1","url":"javascript:alert(1)"}]}',
      'hosts[0].url: expected an http:// or https:// URL',
    ],
    [
      'not a URL',
      '{"hosts":[{"name":"web-1","url":"web-1:8787"}]}',
      'hosts[0].url: expected an http:// or https:// URL',
    ],
    ['an empty name', '{"hosts":[{"name":"","url":"http://a/"},{"name":"b","url":"http://b/"}]}', 'hosts[0].name: '],
    ['an unknown key', '{"hosts":[{"name":"a","url":"http://a/","token":"x"}]}', 'hosts[0]: '],
    ['hosts missing', '{"host":[]}', 'hosts: '],
    ['not JSON', '{"hosts": [', 'not JSON'],
  ])('a bad hosts file (%s) is one line naming the file and the key', (_what, text, says) => {
    tmp = makeTmp('argus-fleet-view-');
    const path = join(tmp.dir, 'hosts.json');
    writeFileSync(path, text);
    const r = readFleetHosts(path);
    expect(r.hosts).toEqual([]);
    expect(r.error).toContain(`fleet hosts file ${path} (ARGUS_FLEET_HOSTS): ${says}`);
  });

  it('a large group: 100 alerts remembered (firing first), the rest and truncated ones counted; 20 listed per incident', async () => {
    rig = await startReceiver();
    const alerts = Array.from({ length: 120 }, (_, i) => ({
      host: `h-${String(i).padStart(3, '0')}`,
      identity: 'disk:/',
      status: i < 10 ? ('resolved' as const) : ('firing' as const),
    }));
    const body = webhook(alerts);
    expect((await rig.post({ ...body, truncatedAlerts: 5 })).status).toBe(200);
    await rig.receiver.idle();
    const g = Object.values(
      (JSON.parse(readFileSync(rig.statePath, 'utf8')) as { groups: Record<string, GroupRecord> }).groups,
    )[0]!;
    expect(g.alerts).toHaveLength(100);
    expect(g.alerts!.every((a) => a.firing)).toBe(true);
    expect(g.alertsLeftOut).toBe(25);
    const view = readFleetView(rig.statePath, null)!;
    expect(view.groups[0]!.alerts).toHaveLength(20);
    expect(view.groups[0]!.alertsLeftOut).toBe(105);
    expect(view.groups[0]!.firingAlerts).toBe(110);
    expect(view.hosts).toHaveLength(100);
  });

  it('a fleet_groups.json from before the fleet view (no alerts, no bead id) still shows its incidents', () => {
    tmp = makeTmp('argus-fleet-view-');
    const path = join(tmp.dir, 'fleet_groups.json');
    const at = '2026-01-01T08:00:00.000Z';
    const old = {
      groupKey: 'k',
      identity: 'fleet:0123456789abcdef',
      incidentId: `fleet:0123456789abcdef#${at}`,
      status: 'firing',
      firing: ['a', 'b'],
      lastKey: 'x',
      openedAt: at,
      updatedAt: at,
      resolvedAt: null,
    };
    writeFileSync(path, JSON.stringify({ groups: { [old.identity]: old } }));
    const view = readFleetView(path, null)!;
    expect(view.hosts).toEqual([]);
    expect(view.groups).toEqual([
      {
        id: old.identity,
        status: 'firing',
        title: '(alerts not recorded)',
        since: at,
        openedAt: at,
        updatedAt: at,
        hosts: [],
        firingAlerts: 2,
        alerts: [],
        alertsLeftOut: 0,
        beadId: null,
      },
    ]);
  });

  it('the shipped example (deploy/fleet-hosts.example.json) is a valid hosts file', () => {
    const r = readFleetHosts(join(__dirname, '../../deploy/fleet-hosts.example.json'));
    expect(r.error).toBeNull();
    expect(r.hosts.map((h) => h.name)).toEqual(['web-1', 'web-2', 'db-1']);
  });

  it('a missing hosts file says it cannot be read', () => {
    tmp = makeTmp('argus-fleet-view-');
    expect(readFleetHosts(join(tmp.dir, 'nope.json')).error).toMatch(
      /nope\.json \(ARGUS_FLEET_HOSTS\): cannot be read \(ENOENT\)$/,
    );
  });
});
