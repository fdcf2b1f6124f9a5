// `argus serve` under a long mixed load (issue 18 #3): health checks, scrapes, dashboard data and MCP tool calls, as
// the unit runs it. Memory is read from /proc at checkpoints: a leak shows as RSS that keeps rising after warm-up.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStateDir } from '../test/serve/fixture.js';
import type { Row } from './extra.js';
import { spawnServe, unitNodeFlags } from './serve.js';

const REQUESTS = Number(process.env.BENCH_SOAK_REQUESTS ?? 100_000);
const CONCURRENCY = 4;
const TOKEN = 'bench-token-0123456789abcdef';
const MCP_CALL = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'get_status', arguments: {} },
});
/** One round of the mix: what a scraper, a health check, a dashboard tab and an MCP client do between them. */
const MIX: ReadonlyArray<{ path: string; body?: string }> = [
  { path: '/healthz' },
  { path: '/metrics' },
  { path: '/healthz' },
  { path: '/api/dashboard?range=24h' },
  { path: '/mcp', body: MCP_CALL },
  { path: '/metrics' },
  { path: '/healthz' },
  { path: '/mcp', body: MCP_CALL },
];

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

function send(agent: Agent, port: number, item: { path: string; body?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
    if (item.body)
      Object.assign(headers, { 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
    const req = request(
      { host: '127.0.0.1', port, path: item.path, method: item.body ? 'POST' : 'GET', headers, agent },
      (res) => {
        res.resume().on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(item.body);
  });
}

export async function serveSoak(rows: Row[], results: Record<string, unknown>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-soak-'));
  const fx = writeStateDir(join(dir, 'state'), { days: 30 });
  // As the unit runs it (its node flags), with MCP on; dry run: a get_status changes nothing anyway.
  const { child, port } = await spawnServe(unitNodeFlags(), {
    HOME: dir,
    ARGUS_STATE_DIR: fx.dir,
    ARGUS_MCP_TOKEN: TOKEN,
    ARGUS_DRY_RUN: '1',
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const pid = child.pid!;
    const checkpoints: Array<{ requests: number; rssMb: number }> = [{ requests: 0, rssMb: rssMb(pid) }];
    const every = Math.max(1, Math.floor(REQUESTS / 10));
    let next = 0;
    let failed = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < REQUESTS) {
        const i = next++;
        const status = await send(agent, port, MIX[i % MIX.length]!);
        if (status !== 200) failed++;
        if ((i + 1) % every === 0) checkpoints.push({ requests: i + 1, rssMb: rssMb(pid) });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    checkpoints.sort((a, b) => a.requests - b.requests);
    // Warm-up is the first tenth: caches fill, V8 tiers up. After it, RSS must stay flat.
    const warm = checkpoints[1]!;
    const last = checkpoints.at(-1)!;
    const peak = Math.max(...checkpoints.slice(1).map((c) => c.rssMb));
    results.serveSoak = {
      requests: REQUESTS,
      mix: MIX.map((m) => m.path),
      concurrency: CONCURRENCY,
      seconds,
      failed,
      checkpoints,
    };
    rows.push({
      figure: `\`argus serve\` over ${REQUESTS.toLocaleString('en-US')} mixed requests (healthz, metrics, dashboard data, MCP get_status; ${CONCURRENCY} at a time): RSS at the end${failed ? ` — ${failed} requests failed` : ''}`,
      value: `${last.rssMb.toFixed(0)} MB (peak after warm-up ${peak.toFixed(0)} MB; ${(REQUESTS / seconds).toFixed(0)} requests/s)`,
      baseline: `${warm.rssMb.toFixed(0)} MB after ${warm.requests.toLocaleString('en-US')} requests`,
      ratio: `${(last.rssMb / warm.rssMb).toFixed(2)}×`,
      target: 'flat (≈ 1×)',
    });
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
