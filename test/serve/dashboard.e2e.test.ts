// The dashboard in a real browser (Debian's chromium, headless, through puppeteer-core) against the built
// `argus serve` on a 30-day state dir: points drawn, incident spans where the registry says, STALE when old, no
// console errors, no request leaving loopback, auto-refresh, a phone-width layout, the static file. Screenshots go
// to .cache/serve/ (not tracked).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientProbe } from '../../src/serve/client.js';
import { ApprovalStore, approvalsDir } from '../../src/state/approvals.js';
import { makeTmp } from '../support/tmp.js';
import { CHROMIUM, launchChromium, watchedPage } from './browser.js';
import { HOSTILE_UNIT, STEP_MS, writeStateDir, type StateFixture } from './fixture.js';
import { BUILT, CLI, ROOT, baseEnv, http, startServe, type Served } from './harness.js';

const SHOTS = join(ROOT, '.cache/serve');

let browser: Browser | undefined;
let tmp: ReturnType<typeof makeTmp> | undefined;
let served: Served | undefined;
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
  tmp?.cleanup();
  tmp = undefined;
});

async function ready(page: Page): Promise<ClientProbe> {
  await page.waitForSelector('html[data-ready="1"]', { timeout: 15_000 });
  return page.evaluate(() => (window as unknown as { __argus: ClientProbe }).__argus);
}

/** RGBA of canvas pixels in a chart (canvas pixels, as the probe reports spans). */
function pixels(page: Page, chartId: string, xs: number[], y: number): Promise<number[][]> {
  return page.evaluate(
    (id, xs, y) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`#${id} canvas`)!;
      const ctx = canvas.getContext('2d')!;
      return xs.map((x) => Array.from(ctx.getImageData(Math.round(x), Math.round(y), 1, 1).data));
    },
    chartId,
    xs,
    y,
  );
}

function state(options: Parameters<typeof writeStateDir>[1] = {}): StateFixture {
  tmp = makeTmp('argus-dash-');
  return writeStateDir(join(tmp.dir, 'state'), options);
}

describe.skipIf(!BUILT || !CHROMIUM)('the dashboard in headless chromium', () => {
  it('draws every point of the range, shades the incidents where the registry has them, no errors, nothing leaves loopback', async () => {
    const fx = state({ days: 30 });
    served = await startServe(fx.dir);
    const origin = served.url.replace(/\/$/, '');
    const { page, errors, foreign } = await watchedPage(browser!, origin);
    await page.goto(`${origin}/?range=24h`);
    const probe = await ready(page);
    expect(probe.charts.map((c) => c.id)).toEqual(['chart-memory', 'chart-disks', 'chart-cpu', 'chart-swapio']);
    for (const c of probe.charts) expect(c.points, c.id).toBe(fx.points['24h']);
    expect(probe.charts.find((c) => c.id === 'chart-disks')!.series).toBe(2);
    // In 24 h: nginx (3 h ago, 30 min) and memory (opened 40 min ago, still open); /data (48 h ago) is outside.
    const memory = probe.charts.find((c) => c.id === 'chart-memory')!;
    expect(memory.spans.map((s) => s.identity).sort()).toEqual(['memory:host', 'service:nginx.service']);
    const nginx = memory.spans.find((s) => s.identity === 'service:nginx.service')!;
    const open = memory.spans.find((s) => s.identity === 'memory:host')!;
    // Where the registry says: 30 min of a 24 h axis is ~1/48 of the width; the open one runs to the right edge.
    const plotWidth = await page.evaluate(
      () => document.querySelector<HTMLCanvasElement>('#chart-memory canvas')!.width,
    );
    expect(nginx.x1 - nginx.x0).toBeGreaterThan((plotWidth / 48) * 0.7);
    expect(nginx.x1 - nginx.x0).toBeLessThan((plotWidth / 48) * 1.5);
    expect(open.x0).toBeGreaterThan(nginx.x1);
    // And really painted: inside the span the canvas is tinted red, 12 h earlier it is not.
    const y = memory.top + memory.height * 0.05;
    const inside = await pixels(
      page,
      'chart-memory',
      [0.3, 0.5, 0.7].map((f) => nginx.x0 + (nginx.x1 - nginx.x0) * f),
      y,
    );
    for (const [r, g, , a] of inside) expect(a! > 0 && r! > g! + 40, `inside ${inside}`).toBe(true);
    const twelveHoursEarlier = nginx.x0 - plotWidth * 0.36;
    const outside = await pixels(
      page,
      'chart-memory',
      [0, 3, 6].map((d) => twelveHoursEarlier + d),
      y,
    );
    expect(
      outside.some(([r, g, , a]) => a === 0 || r! - g! < 20),
      `outside ${outside}`,
    ).toBe(true);
    // The health now and the timeline (host text as text).
    expect(await page.$eval('#badge', (e) => e.textContent)).toBe('OK');
    expect(
      await page.$$eval('#timeline .incident', (es) => es.map((e) => e.querySelector('.identity')!.textContent)),
    ).toEqual(['memory:host', 'service:nginx.service']);
    expect(await page.$eval('#now', (e) => e.textContent)).toContain('nginx.service');
    // Host text stays text: the hostile unit name shows as written, nothing it holds became an element.
    expect(await page.$eval('#now', (e) => e.textContent)).toContain(HOSTILE_UNIT);
    expect(await page.$$('img')).toHaveLength(0);
    await page.screenshot({ path: join(SHOTS, 'dashboard-24h.png'), fullPage: true });
    // 30 days: every 5-minute point, the older incidents appear.
    await page.click('#ranges button[data-range="30d"]');
    await page.waitForFunction(
      (n) => (window as unknown as { __argus: ClientProbe }).__argus.charts[0]!.points === n,
      { timeout: 10_000 },
      fx.points['30d'],
    );
    const month = await page.evaluate(() => (window as unknown as { __argus: ClientProbe }).__argus);
    expect(month.charts[0]!.spans.map((s) => s.identity).sort()).toEqual([
      'disk:/data',
      'memory:host',
      'probe:gateway',
      'service:nginx.service',
    ]);
    await page.screenshot({ path: join(SHOTS, 'dashboard-30d.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('says STALE in red for an old state dir', async () => {
    const fx = state({ days: 2, lastCycleAgoSec: 3 * 3600 });
    served = await startServe(fx.dir);
    const origin = served.url.replace(/\/$/, '');
    const { page, errors } = await watchedPage(browser!, origin);
    await page.goto(`${origin}/`);
    await ready(page);
    const badge = await page.$eval('#badge', (e) => ({
      text: e.textContent,
      color: getComputedStyle(e).backgroundColor,
    }));
    expect(badge).toEqual({ text: 'STALE', color: 'rgb(220, 38, 38)' });
    expect(await page.$eval('#fresh', (e) => e.textContent)).toMatch(/^STALE: the last cycle was 3\.0h ago/);
    await page.screenshot({ path: join(SHOTS, 'dashboard-stale.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the requests waiting for a person (the Solicitor), as text, and nothing once none waits', async () => {
    const fx = state({ days: 1 });
    const store = new ApprovalStore(approvalsDir(fx.dir));
    const summary = 'Kill node (PID 4100)? <img src=x onerror=alert(1)> RSS 11.2 GiB, 93 % of its cgroup limit';
    store.create(
      {
        kind: 'kill_process',
        action: 'kill_pid',
        input: { pid: 4100 },
        facts: {},
        summary,
        identity: 'memory:host',
        incidentId: null,
        requestedBy: 'rule',
      },
      new Date(),
      3_600_000,
    );
    served = await startServe(fx.dir);
    const origin = served.url.replace(/\/$/, '');
    const { page, errors } = await watchedPage(browser!, origin);
    await page.goto(`${origin}/`);
    await ready(page);
    expect(await page.$eval('#approvals', (e) => (e as HTMLElement).hidden)).toBe(false);
    const text = await page.$eval('#approvals', (e) => e.textContent);
    expect(text).toContain('Waiting for a person (1)');
    expect(text).toContain(summary);
    expect(text).toContain('kill process');
    expect(await page.$$('#approvals img')).toHaveLength(0);
    expect(errors).toEqual([]);
    await page.close();
    const none = writeStateDir(join(tmp!.dir, 'no-approvals'), { days: 1 });
    await served.stop();
    served = await startServe(none.dir);
    const quiet = await watchedPage(browser!, served.url.replace(/\/$/, ''));
    await quiet.page.goto(served.url);
    await ready(quiet.page);
    expect(await quiet.page.$eval('#approvals', (e) => (e as HTMLElement).hidden)).toBe(true);
    await quiet.page.close();
  });

  it('refreshes itself from /api/dashboard without reloading; fits a phone', async () => {
    const fx = state({ days: 1 });
    served = await startServe(fx.dir);
    const origin = served.url.replace(/\/$/, '');
    const { page, errors } = await watchedPage(browser!, origin, { width: 390, height: 844 });
    await page.goto(`${origin}/?refresh=2`);
    const before = (await ready(page)).charts[0]!.points;
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const next = fx.lastCycleAt + STEP_MS;
    appendFileSync(
      join(fx.dir, 'history.jsonl'),
      `${JSON.stringify({ ts: new Date(Math.min(next, Date.now() - 1000)).toISOString(), cycle_id: 'new', mem_pct: 99, swap_pct: 1, swap_in_bps: 0, swap_out_bps: 0, cpu_pct: 1, load1: 0.1, disks: {}, findings: 0, ok: true, duration_ms: 1 })}\n`,
    );
    await page.waitForFunction(
      (n) => (window as unknown as { __argus: ClientProbe }).__argus.charts[0]!.points === n + 1,
      { timeout: 10_000 },
      before,
    );
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42); // not reloaded
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'dashboard-phone.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('30 days over the wire: ≤ 250 KB transferred (gzip), one request, first render measured', async () => {
    const fx = state({ days: 30 });
    served = await startServe(fx.dir);
    const gz = await http(served.port, '/?range=30d', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'sha256-/);
    const html = gunzipSync(gz.raw).toString('utf8');
    // Nothing to fetch from anywhere: no script or stylesheet by address (the only URL is uPlot's licence comment).
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);
    expect(html.match(/https?:\/\/[^\s"')]+/g)).toEqual(['https://github.com/leeoniya/uPlot']);
    console.log(
      `dashboard 30d: ${(gz.raw.length / 1024).toFixed(1)} KB gzip, ${(html.length / 1024).toFixed(0)} KB raw`,
    );
    expect(gz.raw.length).toBeLessThanOrEqual(250 * 1024);
    const origin = served.url.replace(/\/$/, '');
    const { page, errors } = await watchedPage(browser!, origin);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const t0 = Date.now();
    await page.goto(`${origin}/?range=30d`);
    const probe = await ready(page);
    console.log(
      `dashboard 30d: first render ${probe.readyMs.toFixed(0)} ms after navigation start (${Date.now() - t0} ms wall incl. load)`,
    );
    expect(probe.charts[0]!.points).toBe(fx.points['30d']);
    expect(requests).toEqual([`${origin}/?range=30d`]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('`argus dashboard --out` writes one self-contained file that renders offline', async () => {
    const fx = state({ days: 30 });
    const out = join(tmp!.dir, 'dash.html');
    const r = spawnSync(process.execPath, [CLI, 'dashboard', '--out', out, '--range', '7d'], {
      env: baseEnv(fx.dir),
      cwd: fx.dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}`);
    console.log(`static dashboard: ${(statSync(out).size / 1024).toFixed(0)} KB`);
    expect(readFileSync(out, 'utf8')).toContain('data-mode="static"');
    const { page, errors, foreign } = await watchedPage(browser!, 'file://');
    await page.goto(`file://${out}`);
    const probe = await ready(page);
    expect(probe.charts[0]!.points).toBe(fx.points['7d']);
    await page.click('#ranges button[data-range="24h"]');
    await page.waitForFunction(
      (n) => (window as unknown as { __argus: ClientProbe }).__argus.charts[0]!.points === n,
      { timeout: 10_000 },
      fx.points['24h'],
    );
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});

if (!CHROMIUM)
  describe.skip('the dashboard in headless chromium: chromium is not installed (`apt-get install chromium`; .ci/run does)', () => {});
