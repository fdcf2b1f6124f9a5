// End to end: spawn the built `argus mcp` (stdio with the SDK client and a raw pipe; --http with a token), in temp state dirs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTmp } from '../support/tmp.js';
import { snapshot } from '../support/snapshot.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** Needs `npm run build` (or `npx tsc -p tsconfig.build.json`) first; skipped with this reason when dist/cli.js is missing. */
const BUILT = existsSync(CLI);

let tmp: { dir: string; cleanup: () => void } | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  tmp?.cleanup();
});

function env(stateDir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: stateDir,
    ARGUS_STATE_DIR: stateDir,
    ARGUS_LOG_LEVEL: 'warn',
    ARGUS_HOSTNAME: 'e2e',
  };
}

describe.skipIf(!BUILT)('argus mcp (stdio, built dist/cli.js)', () => {
  it('lists the tools, answers get_status, and records a refused kill_pid with source mcp', async () => {
    tmp = makeTmp();
    const stateDir = join(tmp.dir, 'state');
    mkdirSync(stateDir);
    writeFileSync(join(stateDir, 'snapshot.json'), JSON.stringify(snapshot({ ts: new Date().toISOString() })));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, 'mcp'],
      env: env(stateDir),
      cwd: tmp.dir,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['get_status', 'kill_pid', 'clean_disk', 'query_problems']),
    );
    expect(tools).toHaveLength(21);
    const status = await client.callTool({ name: 'get_status', arguments: {} });
    expect(status.isError, stderr).toBeFalsy();
    expect(status.structuredContent).toMatchObject({ host: 'e2e', snapshot: { memory: { usedPct: 40 } } });
    const refused = await client.callTool({ name: 'kill_pid', arguments: { pid: 1, reason: 'e2e' } });
    expect(refused.isError).toBe(true);
    const lines = readFileSync(join(stateDir, 'problems.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ source: 'mcp', action_result: 'refused', action_taken: 'kill_pid:1' }),
    ]);
  });

  it('a client that pipes its requests and closes stdin still gets every answer, then the server exits 0', () => {
    tmp = makeTmp();
    const input =
      [
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } },
        },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_status', arguments: {} } },
      ]
        .map((m) => JSON.stringify(m))
        .join('\n') + '\n';
    const r = spawnSync(process.execPath, [CLI, 'mcp'], {
      env: env(tmp.dir),
      input,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const answers = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; result?: { isError?: boolean } });
    expect(answers.map((a) => a.id)).toEqual([1, 2]);
    expect(answers[1]!.result?.isError).toBeFalsy();
  });

  it('--http refuses to start without ARGUS_MCP_TOKEN (exit 2)', () => {
    tmp = makeTmp();
    const r = spawnSync(process.execPath, [CLI, 'mcp', '--http', '--port', '0'], {
      env: env(tmp.dir),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ARGUS_MCP_TOKEN/);
    expect(r.stdout).toBe('');
  });

  it('--http with a token serves tools/list on loopback and stops cleanly on SIGTERM', async () => {
    tmp = makeTmp();
    const token = 'e2e-token-0123456789abcdef';
    const child = spawn(process.execPath, [CLI, 'mcp', '--http', '--port', '0'], {
      env: { ...env(tmp.dir), ARGUS_MCP_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        child.stderr.on('data', (c: Buffer) => {
          err += c.toString();
          const m = /listening on (http:\/\/\S+)/.exec(err);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(401);
      const ok = await fetch(url, { method: 'POST', headers: { ...headers, authorization: `Bearer ${token}` }, body });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('"get_status"');
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
