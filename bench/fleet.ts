// The fleet receiver in the benchmark (issue 19): `argus serve` as the unit runs it, a fake Telegram API and the bd
// stand-in, webhooks for 50 simulated hosts in several Alertmanager groups. Latency from a webhook POST to its
// Telegram message reaching the fake API, against a /healthz round trip; RSS after the load against idle. Everything
// in a temp dir, on loopback.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoopbackTelegram } from '../test/support/telegram-server.js';
import type { Row } from './extra.js';
import { ROOT, median } from './measure.js';
import { spawnServe, unitNodeFlags } from './serve.js';

const HOSTS = 50;
const GROUPS = 5;
/** Hosts join each group in steps (each step changes what fires: one message); then the group resolves. */
const STEPS = [10, 25, 50];
/**
 * Telegram's pace (one message per second to a chat; Argus's pacer keeps it) is not the receiver's latency: notifications
 * are posted at least this far after the previous message, to a private chat (a group chat also has 20 a minute).
 */
const SPACING_MS = 1050;

function vmRssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

function send(port: number, method: string, path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: body ? { 'content-type': 'application/json' } : {} },
      (res) => {
        res.resume().on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const pctl = (values: number[], p: number): number => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

/** A version-4 webhook of group `g` with the first `n` hosts firing (or all resolved). */
function webhook(g: number, n: number, status: 'firing' | 'resolved'): string {
  const identity = `disk:/srv/group-${g}`;
  const groupLabels = { alertname: 'ArgusIncident', identity };
  const alerts = Array.from({ length: n }, (_, h) => ({
    status,
    labels: {
      ...groupLabels,
      host: `host-${String(h).padStart(2, '0')}.fleet.example`,
      severity: h % 3 === 0 ? 'critical' : 'warning',
    },
    annotations: { summary: `Disk /srv/group-${g} is ${90 + (h % 10)} % full on host-${h}` },
    startsAt: '2026-01-01T08:00:00Z',
    endsAt: status === 'resolved' ? '2026-01-01T09:00:00Z' : '0001-01-01T00:00:00Z',
    generatorURL: '',
    fingerprint: `g${g}h${h}`.padEnd(16, '0'),
  }));
  return JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="ArgusIncident", identity="${identity}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'argus-fleet',
    groupLabels,
    commonLabels: groupLabels,
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts,
  });
}

/** Wait until `probe` holds, polling every 5 ms. */
async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!probe()) {
    if (performance.now() > deadline) throw new Error(`fleet bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function fleetReceiver(rows: Row[], results: Record<string, unknown>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-fleet-'));
  const stateDir = join(dir, 'state');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  copyFileSync(join(ROOT, 'test/support/bd-standin/bd'), join(dir, 'bin', 'bd'));
  const telegram = await startLoopbackTelegram();
  const flags = unitNodeFlags();
  const { child, port } = await spawnServe(flags, {
    HOME: dir,
    ARGUS_STATE_DIR: stateDir,
    PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    BEADS_DIR: join(dir, '.beads'),
    TELEGRAM_BOT_TOKEN: '123456:bench-fleet-token',
    TELEGRAM_CHAT_ID: '777',
    TELEGRAM_API_BASE: telegram.apiBase,
    ...(process.env.BENCH_FLEET_LOG ? { ARGUS_LOG_LEVEL: process.env.BENCH_FLEET_LOG } : {}),
  });
  let stderr = '';
  child.stderr.on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  const registry = join(stateDir, 'problems.jsonl');
  const size = (): number => (existsSync(registry) ? statSync(registry).size : 0);
  try {
    const pid = child.pid!;
    const healthz: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      await send(port, 'GET', '/healthz');
      if (i >= 10) healthz.push(performance.now() - t);
    }
    await new Promise((r) => setTimeout(r, 500));
    const idleMb = vmRssMb(pid, 'VmRSS');
    const latencies: number[] = [];
    const notifications: Array<[number, number, 'firing' | 'resolved']> = [];
    for (const n of STEPS) for (let g = 0; g < GROUPS; g++) notifications.push([g, n, 'firing']);
    for (let g = 0; g < GROUPS; g++) notifications.push([g, HOSTS, 'resolved']);
    for (const [g, n, status] of notifications) {
      const seen = telegram.requests.length;
      const previous = telegram.requests.at(-1)?.at;
      if (previous !== undefined)
        await new Promise((r) => setTimeout(r, Math.max(0, previous + SPACING_MS - performance.now())));
      const body = webhook(g, n, status);
      const t = performance.now();
      const code = await send(port, 'POST', '/alertmanager', body);
      if (code !== 200) throw new Error(`fleet bench: webhook answered ${code}`);
      await until('the Telegram message', () => telegram.requests.length > seen).catch((error: Error) => {
        throw new Error(`${error.message}; argus serve said: ${stderr}`);
      });
      latencies.push(telegram.requests[seen]!.at - t);
      // Let the bead (bd, a child process) finish before the next webhook: each latency is one notification's own.
      let last = size();
      let stableSince = performance.now();
      await until('the registry to settle', () => {
        const now = size();
        if (now !== last) [last, stableSince] = [now, performance.now()];
        return performance.now() - stableSince > 150;
      });
    }
    const loadedMb = vmRssMb(pid, 'VmRSS');
    const peakMb = vmRssMb(pid, 'VmHWM');
    const groupsBytes = statSync(join(stateDir, 'fleet_groups.json')).size;
    const med = median(latencies);
    const p95 = pctl(latencies, 95);
    const base = median(healthz);
    results.fleet = {
      nodeFlags: flags,
      hosts: HOSTS,
      groups: GROUPS,
      notifications: latencies.length,
      messages: telegram.accepted.length,
      latencyMs: { median: med, p95, max: Math.max(...latencies) },
      healthzRoundTripMs: base,
      idleRssMb: idleMb,
      loadedRssMb: loadedMb,
      peakRssMb: peakMb,
      fleetGroupsBytes: groupsBytes,
    };
    rows.push({
      figure: `fleet receiver: webhook → Telegram message at the API, ${HOSTS} hosts in ${GROUPS} groups (${latencies.length} notifications ≥ 1 s apart, median / p95)`,
      value: `${med.toFixed(1)} / ${p95.toFixed(1)} ms`,
      baseline: `${base.toFixed(2)} ms (/healthz round trip)`,
      ratio: `${(med / base).toFixed(1)}× / ${(p95 / base).toFixed(1)}×`,
      target: '—',
    });
    rows.push({
      figure: `fleet receiver: RSS after ${latencies.length} notifications from ${HOSTS} hosts (fleet_groups.json ${(groupsBytes / 1024).toFixed(0)} KB)`,
      value: `${loadedMb.toFixed(0)} MB (peak ${peakMb.toFixed(0)} MB)`,
      baseline: `${idleMb.toFixed(0)} MB idle`,
      ratio: `${(loadedMb / idleMb).toFixed(2)}×`,
      target: '—',
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await telegram.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
