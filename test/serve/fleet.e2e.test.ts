// The dashboard's fleet view in a real browser (headless chromium through puppeteer-core) against the built
// `argus serve`, on a fleet_groups.json the real receiver wrote (webhooks to a started receiver): hosts and fleet
// incidents, links from the hosts file, alert text as text, phone width, auto-refresh from /api/dashboard; absent
// without fleet data; a bad hosts file is said in the section and the rest of the page still works.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardData } from '../../src/serve/dashboard-data.js';
import { driveFleet, XSS_HOST, XSS_SUMMARY } from '../fleet/fleet-fixture.js';
import { startReceiver, webhook, type ReceiverRig } from '../fleet/receiver-harness.js';
import { makeTmp } from '../support/tmp.js';
import { CHROMIUM, launchChromium, watchedPage } from './browser.js';
import { writeStateDir } from './fixture.js';
import { BUILT, ROOT, http, startServe, type Served } from './harness.js';

const SHOTS = join(ROOT, '.cache/serve');

let browser: Browser | undefined;
let served: Served | undefined;
let rig: ReceiverRig | undefined;
let tmp: ReturnType<typeof makeTmp> | undefined;
beforeAll(async () => {
  if (!CHROMIUM || !BUILT) return;
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await served?.stop();
  served = undefined;
  await rig?.close();
  rig = undefined;
  tmp?.cleanup();
  tmp = undefined;
});

const ready = (page: Page) => page.waitForSelector('html[data-ready="1"]', { timeout: 15_000 });
const hostCards = (page: Page) =>
  page.$$eval('#fleet-hosts .fleet-host', (cards) =>
    cards.map((c) => ({
      name: c.querySelector('.label')!.textContent,
      href: c.querySelector('a')?.getAttribute('href') ?? null,
      value: c.querySelector('.value')!.textContent,
      detail: c.querySelector('.detail')!.textContent,
    })),
  );
const apiFleet = async (port: number) => (JSON.parse((await http(port, '/api/dashboard')).body) as DashboardData).fleet;

describe.skipIf(!BUILT || !CHROMIUM)('the fleet view in headless chromium', () => {
  it('hosts (firing, worst severity, when heard, links) and fleet incidents (status, since, hosts, bead); alert text stays text; fits a phone; refreshes', async () => {
    rig = await startReceiver();
    await driveFleet(rig);
    writeStateDir(rig.stateDir, { days: 2 });
    const hostsFile = join(rig.stateDir, 'fleet-hosts.json');
    writeFileSync(
      hostsFile,
      JSON.stringify({
        hosts: [
          { name: 'web-1', url: 'http://web-1:8787/' },
          { name: 'db-1', url: 'https://db-1.example/argus/' },
        ],
      }),
    );
    served = await startServe(rig.stateDir, ['--read-only'], { ARGUS_FLEET_HOSTS: hostsFile });
    const origin = served.url.replace(/\/$/, '');
    const { page, errors, foreign } = await watchedPage(browser!, origin);
    await page.goto(`${origin}/?refresh=2`);
    await ready(page);
    expect(await page.$eval('#fleet', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await page.$eval('#fleet h2', (e) => e.textContent)).toBe('Fleet');
    expect(await page.$eval('#fleet > p.muted', (e) => e.textContent)).toBe(
      '5 hosts heard of, 3 with incidents firing · 2 fleet incidents firing · silences are kept in Alertmanager',
    );
    const cards = await hostCards(page);
    expect(cards.map((c) => [c.name, c.href, c.value])).toEqual([
      ['web-1', 'http://web-1:8787/', '2 firing'],
      ['web-2', null, '1 firing'],
      [XSS_HOST, null, '1 firing'],
      ['db-1', 'https://db-1.example/argus/', 'OK'],
      ['web-3', null, 'OK'],
    ]);
    expect(cards[0]!.detail).toMatch(/^critical · heard \d+ s ago · disk:\/, memory:host$/);
    expect(cards[3]!.detail).toBe('not heard from');
    const beads = rig.bd.issues();
    const groups = await page.$$eval('#fleet-groups .fleet-group', (rows) =>
      rows.map((r) => ({
        cls: r.className,
        text: r.textContent,
        sev: r.querySelector('.sev')!.textContent,
        title: r.querySelector('.identity')!.textContent,
      })),
    );
    expect(groups.map((g) => [g.sev, g.title])).toEqual([
      ['firing', 'memory:host'],
      ['firing', 'disk:/'],
      ['resolved', 'service:nginx.service'],
    ]);
    expect(groups[1]!.cls).toContain('critical open');
    expect(groups[1]!.text).toContain('2 hosts: web-1, web-2');
    expect(groups[1]!.text).toContain('web-2 · disk:/ · warning — Disk / is 91 % full');
    for (const g of groups) expect(g.text).toMatch(new RegExp(`bead (${beads.map((b) => b.id).join('|')})$`));
    // Hostile alert text is shown as written; nothing in it became an element or ran.
    expect(await page.$eval('#fleet', (e) => e.textContent)).toContain(XSS_SUMMARY);
    expect(await page.$eval('#fleet', (e) => e.textContent)).toContain(XSS_HOST);
    expect(await page.$$('#fleet img, #fleet script, #fleet b')).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: join(SHOTS, 'fleet.png'), fullPage: true });
    // Auto-refresh reads /api/dashboard, which carries the fleet: a new host appears without a reload.
    expect((await apiFleet(served.port))!.hosts).toHaveLength(5);
    await rig.post(
      webhook([{ host: 'web-4', identity: 'probe:gateway', severity: 'warning', summary: 'probe failing' }]),
    );
    await rig.receiver.idle();
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('#fleet-hosts .fleet-host .label')).some((e) => e.textContent === 'web-4'),
      { timeout: 10_000 },
    );
    // A phone: nothing wider than the screen.
    await page.setViewport({ width: 390, height: 844 });
    await page.reload();
    await ready(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = await page.$eval('#fleet-groups', (e) => e.getBoundingClientRect().right);
    expect(box).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'fleet-phone.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('absent without fleet data: no section, /api/dashboard fleet null', async () => {
    tmp = makeTmp('argus-fleet-dash-');
    const dir = writeStateDir(join(tmp.dir, 'state'), { days: 2 }).dir;
    served = await startServe(dir, ['--read-only']);
    const origin = served.url.replace(/\/$/, '');
    const { page, errors } = await watchedPage(browser!, origin);
    await page.goto(`${origin}/`);
    await ready(page);
    expect(
      await page.$eval('#fleet', (e) => ({
        hidden: (e as HTMLElement).hidden,
        children: e.childElementCount,
        visible: (e as HTMLElement).offsetHeight,
      })),
    ).toEqual({ hidden: true, children: 0, visible: 0 });
    expect(await page.$$eval('h2', (hs) => hs.map((h) => h.textContent))).not.toContain('Fleet');
    expect(await apiFleet(served.port)).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a bad hosts file: the error in the section naming the key; the hosts heard of, the incidents and the rest of the page still shown', async () => {
    rig = await startReceiver();
    await driveFleet(rig);
    writeStateDir(rig.stateDir, { days: 2 });
    const hostsFile = join(rig.stateDir, 'fleet-hosts.json');
    writeFileSync(hostsFile, '{"hosts":[{"name":"web-1","url":"javascript:alert(1)"}]}');
    served = await startServe(rig.stateDir, ['--read-only'], { ARGUS_FLEET_HOSTS: hostsFile });
    const origin = served.url.replace(/\/$/, '');
    const { page, errors } = await watchedPage(browser!, origin);
    await page.goto(`${origin}/`);
    await ready(page);
    expect(await page.$eval('#fleet-error', (e) => e.textContent)).toBe(
      `fleet hosts file ${hostsFile} (ARGUS_FLEET_HOSTS): hosts[0].url: expected an http:// or https:// URL`,
    );
    expect((await hostCards(page)).map((c) => [c.name, c.href])).toEqual([
      ['web-1', null],
      ['web-2', null],
      [XSS_HOST, null],
      ['web-3', null],
    ]);
    expect(await page.$$('#fleet-groups .fleet-group')).toHaveLength(3);
    expect(await page.$eval('#badge', (e) => e.textContent)).toBe('OK');
    expect(await page.$$('#charts canvas')).not.toHaveLength(0);
    expect(await page.$$('#timeline .incident')).not.toHaveLength(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('30 days and a 50-host fleet: the page stays within 250 KB gzip', async () => {
    rig = await startReceiver();
    for (const identity of ['disk:/', 'memory:host', 'service:nginx.service', 'probe:gateway', 'cpu:host']) {
      const alerts = Array.from({ length: 50 }, (_, i) => ({
        host: `web-${i}.fleet.example`,
        identity,
        summary: `${identity} on web-${i}: ${'x'.repeat(200)}`,
      }));
      expect((await rig.post(webhook(alerts))).status).toBe(200);
    }
    await rig.receiver.idle();
    writeStateDir(rig.stateDir, { days: 30 });
    served = await startServe(rig.stateDir, ['--read-only']);
    const gz = await http(served.port, '/?range=30d', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect((await apiFleet(served.port))!.hosts).toHaveLength(50);
    console.log(`dashboard 30d + 50-host fleet: ${(gz.raw.length / 1024).toFixed(1)} KB gzip`);
    expect(gz.raw.length).toBeLessThanOrEqual(250 * 1024);
  });
});
