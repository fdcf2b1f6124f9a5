// `argus serve` as a process (the built CLI) on a temp state dir: /healthz, /metrics through promtool and a real
// Prometheus scraping it, /mcp with a real MCP client, Host checks, read-only methods, JSON errors.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTmp } from '../support/tmp.js';
import { writeStateDir } from './fixture.js';
import { BUILT, CLI, baseEnv, http, startServe, type Served } from './harness.js';

const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
const PROMETHEUS = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((p) => existsSync(p));
const TOKEN = 'serve-e2e-token-0123456789';

let tmp: ReturnType<typeof makeTmp> | undefined;
let served: Served | undefined;
let prom: ChildProcess | undefined;
afterEach(async () => {
  prom?.kill('SIGKILL');
  prom = undefined;
  await served?.stop();
  served = undefined;
  tmp?.cleanup();
  tmp = undefined;
});

function state(options: Parameters<typeof writeStateDir>[1] = {}) {
  tmp = makeTmp('argus-serve-');
  return writeStateDir(join(tmp.dir, 'state'), options);
}

const promtool = (text: string) => spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8' });

describe.skipIf(!BUILT)('argus serve (built CLI)', () => {
  it('/healthz is 200 while the last cycle is fresh and 503 once it is stale, read at each request', async () => {
    const fx = state();
    served = await startServe(fx.dir);
    const fresh = await http(served.port, '/healthz');
    expect(fresh.status).toBe(200);
    expect(JSON.parse(fresh.body)).toMatchObject({ status: 'ok', lastCycleAt: new Date(fx.lastCycleAt).toISOString() });
    const cycle = JSON.parse(readFileSync(join(fx.dir, 'cycle_state.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(
      join(fx.dir, 'cycle_state.json'),
      JSON.stringify({ ...cycle, lastFinishedAt: new Date(fx.now - 3 * 3_600_000).toISOString() }),
    );
    const stale = await http(served.port, '/healthz');
    expect(stale.status).toBe(503);
    expect(JSON.parse(stale.body)).toMatchObject({ status: 'stale', detail: expect.stringContaining('STALE') });
  });

  it('/metrics: the host gauges, Argus counters and the last cycle time, gzip when asked, and promtool accepts it', async () => {
    const fx = state({ days: 2 });
    served = await startServe(fx.dir);
    const res = await http(served.port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain(`argus_last_cycle_timestamp_seconds ${fx.lastCycleAt / 1000}\n`);
    expect(res.body).toContain('argus_disk_used_bytes{device="/dev/sda1",fstype="ext4",mount="/data"} 360000000000\n');
    expect(res.body).toContain('argus_actions_total{action="restart_service",result="success",source="rule"} 1\n');
    expect(res.body).toContain('argus_incidents_open{severity="warning"} 1\n');
    expect(res.body).toContain('argus_tmux_sessions{socket="/tmp/tmux-0/default"} 1\n');
    if (PROMTOOL) expect(promtool(res.body)).toMatchObject({ status: 0, stdout: '', stderr: '' });
    // Appended records are counted at the next scrape, once.
    writeFileSync(
      join(fx.dir, 'problems.jsonl'),
      `${readFileSync(join(fx.dir, 'problems.jsonl'), 'utf8')}${JSON.stringify({ ts: new Date().toISOString(), severity: 'warning', type: 'disk', description: 'x', action_taken: 'alert:disk:/', action_result: 'success', bead_id: null, host: 'h', kind: 'action', identity: 'disk:/', incident_id: null, source: 'rule', cycle_id: null, details: {} })}\n`,
    );
    const again = await http(served.port, '/metrics', { headers: { 'accept-encoding': 'gzip' } });
    expect(again.headers['content-encoding']).toBe('gzip');
    const text = gunzipSync(again.raw).toString('utf8');
    expect(text).toContain('argus_actions_total{action="alert",result="success",source="rule"} 3\n');
  });

  it.skipIf(!PROMTOOL)('`argus stats --textfile-dir` writes the same metrics, and promtool accepts the file', () => {
    const fx = state({ days: 1 });
    const r = spawnSync(process.execPath, [CLI, 'stats', '--textfile-dir', 'tf'], {
      env: baseEnv(fx.dir),
      cwd: fx.dir,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(fx.dir, 'tf', 'argus.prom'), 'utf8');
    expect(text).toContain(`argus_last_cycle_timestamp_seconds ${fx.lastCycleAt / 1000}\n`);
    expect(promtool(text)).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });
  if (!PROMTOOL) it.skip('promtool is not installed: `apt-get install prometheus` (.ci/run does)', () => {});

  it.skipIf(!PROMETHEUS)(
    'a real Prometheus on loopback scrapes it; its query API returns argus_last_cycle_timestamp_seconds',
    { timeout: 60_000 },
    async () => {
      const fx = state({ days: 1 });
      served = await startServe(fx.dir);
      const promPort = await freePort();
      const dir = join(tmp!.dir, 'prometheus');
      mkdirSync(dir);
      writeFileSync(
        join(dir, 'prometheus.yml'),
        `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: argus\n    static_configs:\n      - targets: ['127.0.0.1:${served.port}']\n`,
      );
      let log = '';
      prom = spawn(
        PROMETHEUS!,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      prom.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c));
      const deadline = Date.now() + 45_000;
      let result: Array<{ metric: Record<string, string>; value: [number, string] }> = [];
      while (Date.now() < deadline && result.length === 0) {
        await new Promise((r) => setTimeout(r, 500));
        try {
          const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=argus_last_cycle_timestamp_seconds`);
          if (res.ok) result = ((await res.json()) as { data: { result: typeof result } }).data.result;
        } catch {
          // not up yet
        }
      }
      expect(result, log.slice(-2000)).toHaveLength(1);
      expect(result[0]!.metric).toMatchObject({ __name__: 'argus_last_cycle_timestamp_seconds', job: 'argus' });
      expect(Number(result[0]!.value[1])).toBe(fx.lastCycleAt / 1000);
      const up = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=up`)).json()) as {
        data: { result: Array<{ value: [number, string] }> };
      };
      expect(up.data.result[0]!.value[1]).toBe('1');
    },
  );
  if (!PROMETHEUS) it.skip('prometheus is not installed: `apt-get install prometheus` (.ci/run does)', () => {});

  it('refuses a foreign Host header (403), any method but GET/HEAD (405), and answers unknown paths with JSON 404', async () => {
    const fx = state({ days: 1 });
    served = await startServe(fx.dir);
    for (const path of ['/', '/metrics', '/healthz', '/mcp'])
      expect((await http(served.port, path, { headers: { host: 'evil.example' } })).status).toBe(403);
    const post = await http(served.port, '/', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    const missing = await http(served.port, '/../../etc/passwd');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
    expect(missing.body).not.toMatch(/<html|node_modules|\/work\//i);
  });

  it('/mcp is off without ARGUS_MCP_TOKEN; with it a real MCP client works through /mcp and a missing token is 401', async () => {
    const fx = state({ days: 1 });
    served = await startServe(fx.dir);
    const off = await http(served.port, '/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(off.status).toBe(404);
    expect(off.body).toContain('ARGUS_MCP_TOKEN');
    await served.stop();

    served = await startServe(fx.dir, [], { ARGUS_MCP_TOKEN: TOKEN });
    expect((await http(served.port, '/metrics')).status).toBe(200); // loopback: pages need no token
    const denied = await http(served.port, '/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    const client = new Client({ name: 'serve-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${served.url}mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('get_status');
    const status = await client.callTool({ name: 'get_status', arguments: {} });
    expect(status.isError).toBeFalsy();
    await client.close();
  });

  it('--read-only: /mcp lists only the tools that change nothing (the shipped unit)', async () => {
    const fx = state({ days: 1 });
    served = await startServe(fx.dir, ['--read-only'], { ARGUS_MCP_TOKEN: TOKEN });
    const client = new Client({ name: 'serve-e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${served.url}mcp`), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('query_problems');
    expect(tools.map((t) => t.name)).not.toContain('kill_pid');
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    await client.close();
  });

  it.each([
    [
      'a non-loopback address without a token',
      ['--host', '0.0.0.0', '--allowed-host', 'argus.example'],
      {},
      /ARGUS_MCP_TOKEN/,
    ],
    ['a wildcard address without --allowed-host', ['--host', '0.0.0.0'], { ARGUS_MCP_TOKEN: TOKEN }, /--allowed-host/],
    ['an empty --allowed-host', ['--allowed-host', ''], {}, /--allowed-host/],
    ['a token of spaces', [], { ARGUS_MCP_TOKEN: ' '.repeat(20) }, /ARGUS_MCP_TOKEN/],
    ['a bad port', ['--port', '99999'], {}, /--port/],
  ])('refuses to start with %s (exit 2, nothing listens)', (_name, args, env, message) => {
    const fx = state({ days: 1 });
    const r = spawnSync(process.execPath, [CLI, 'serve', ...args], {
      env: baseEnv(fx.dir, env),
      cwd: fx.dir,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('listening');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
