// `argus serve` in the benchmark: memory while serving 30 days of history, the cost of a page view and of a scrape,
// the page's size on the wire, and its first render in headless chromium. Everything in a temp dir, on loopback.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientProbe } from '../src/serve/client.js';
import { writeStateDir } from '../test/serve/fixture.js';
import type { Row } from './extra.js';
import { ROOT, median } from './measure.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const TICK_MS = 10; // USER_HZ 100

/** user + system CPU of a process so far, ms (/proc/PID/stat fields 14 and 15). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

function rssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

function get(port: number, path: string, gzip = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: gzip ? { 'accept-encoding': 'gzip' } : {} },
      (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length)).on('end', () => resolve(n));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Per request: median wall ms, and the server's CPU ms per request over all of them. */
async function cost(pid: number, port: number, path: string, runs: number): Promise<{ wallMs: number; cpuMs: number }> {
  const walls: number[] = [];
  const before = cpuMs(pid);
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await get(port, path, true);
    walls.push(performance.now() - t);
  }
  return { wallMs: median(walls), cpuMs: (cpuMs(pid) - before) / runs };
}

/** Start `dist/cli.js serve` on a free loopback port with these node flags and environment; resolves once it listens. */
export async function spawnServe(
  nodeFlags: readonly string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcessWithoutNullStreams; port: number }> {
  const child = spawn(process.execPath, [...nodeFlags, join(ROOT, 'dist/cli.js'), 'serve', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ARGUS_LOG_LEVEL: 'warn', ...env },
    stdio: 'pipe',
  });
  child.stdout.resume(); // nothing is expected there; never let a full pipe stall the server
  const port = await new Promise<number>((resolve, reject) => {
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      err += c;
      const m = /listening on http:\/\/\S+?:(\d+)\//.exec(err);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`argus serve exited ${code}: ${err}`)));
  });
  return { child, port };
}

/** The node flags argus-serve.service runs with: the benchmark measures the service as shipped. */
export function unitNodeFlags(): string[] {
  const unit = readFileSync(join(ROOT, 'systemd/argus-serve.service'), 'utf8');
  return /^ExecStart=@NODE@ (.*?)\s*@ARGUS_DIR@/m.exec(unit)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
}

export async function serveDashboard(rows: Row[], results: Record<string, unknown>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-serve-'));
  const fx = writeStateDir(join(dir, 'state'), { days: 30 });
  const flags = unitNodeFlags();
  const { child, port } = await spawnServe(flags, { HOME: dir, ARGUS_STATE_DIR: fx.dir });
  try {
    const pid = child.pid!;
    const idleMb = rssMb(pid, 'VmRSS');
    const pageBytes = await get(port, '/?range=30d', true);
    const page = await cost(pid, port, '/?range=30d', 20);
    const day = await cost(pid, port, '/?range=24h', 20);
    const scrape = await cost(pid, port, '/metrics', 50);
    const render: number[] = [];
    if (CHROMIUM) {
      const puppeteer = await import('puppeteer-core');
      const browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--headless=new', '--disable-gpu'],
      });
      try {
        for (let i = 0; i < 7; i++) {
          const tab = await browser.newPage();
          await tab.setViewport({ width: 1280, height: 900 });
          await tab.goto(`http://127.0.0.1:${port}/?range=30d`);
          await tab.waitForSelector('html[data-ready="1"]', { timeout: 15_000 });
          render.push(await tab.evaluate(() => (window as unknown as { __argus: ClientProbe }).__argus.readyMs));
          await tab.close();
        }
      } finally {
        await browser.close();
      }
    }
    const servingMb = rssMb(pid, 'VmRSS');
    const peakMb = rssMb(pid, 'VmHWM');
    results.serve = {
      nodeFlags: flags,
      points30d: fx.points['30d'],
      idleRssMb: idleMb,
      servingRssMb: servingMb,
      peakRssMb: peakMb,
      page30dGzipBytes: pageBytes,
      page30d: page,
      page24h: day,
      scrape,
      renderMs: render,
    };
    rows.push({
      figure: `\`argus serve\` as the unit runs it (${flags.join(' ') || 'no node flags'}): RSS serving 30 days after 40 page views, 50 scrapes, 7 browser loads`,
      value: `${servingMb.toFixed(0)} MB (peak ${peakMb.toFixed(0)} MB)`,
      baseline: `${idleMb.toFixed(0)} MB idle`,
      ratio: `${(servingMb / idleMb).toFixed(2)}×`,
      target: '≤ 80 MB',
    });
    rows.push({
      figure: 'dashboard, 30 days of 5-minute points: size on the wire (gzip)',
      value: `${(pageBytes / 1024).toFixed(0)} KB`,
      baseline: '250 KB budget',
      ratio: `${(pageBytes / 1024 / 250).toFixed(2)}×`,
      target: '≤ 250 KB',
    });
    rows.push({
      figure: 'dashboard page view, 30 days: server time and CPU',
      value: `${page.wallMs.toFixed(0)} ms, ${page.cpuMs.toFixed(0)} ms CPU`,
      baseline: `${day.wallMs.toFixed(0)} ms, ${day.cpuMs.toFixed(0)} ms CPU (24 h)`,
      ratio: `${(page.wallMs / day.wallMs).toFixed(1)}×`,
      target: '—',
    });
    rows.push({
      figure: '/metrics scrape: server time and CPU',
      value: `${scrape.wallMs.toFixed(1)} ms, ${scrape.cpuMs.toFixed(1)} ms CPU`,
      baseline: `${day.wallMs.toFixed(0)} ms (a 24 h page view)`,
      ratio: `${(scrape.wallMs / day.wallMs).toFixed(2)}×`,
      target: '—',
    });
    if (render.length) {
      const r = median(render);
      rows.push({
        figure: 'dashboard first render, 30 days (headless chromium, navigation start → charts painted)',
        value: `${r.toFixed(0)} ms`,
        baseline: '1 s budget',
        ratio: `${(r / 1000).toFixed(2)}×`,
        target: '≤ 1 s',
      });
    } else {
      rows.push({
        figure: 'dashboard first render (headless chromium)',
        value: 'not measured: chromium is not installed',
        baseline: '—',
        ratio: '—',
        target: '≤ 1 s',
      });
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
