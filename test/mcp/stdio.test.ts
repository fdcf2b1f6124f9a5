// End to end: spawn the built `argus mcp` over stdio with the SDK client, in a temp state dir.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
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
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: stateDir, ARGUS_STATE_DIR: stateDir, ARGUS_LOG_LEVEL: 'warn', ARGUS_HOSTNAME: 'e2e' };
}

describe.skipIf(!BUILT)('argus mcp (stdio, built dist/cli.js)', () => {
  it('lists the tools, answers get_status, and records a refused kill_pid with source mcp', async () => {
    tmp = makeTmp();
    const stateDir = join(tmp.dir, 'state');
    mkdirSync(stateDir);
    writeFileSync(join(stateDir, 'snapshot.json'), JSON.stringify(snapshot({ ts: new Date().toISOString() })));
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], env: env(stateDir), cwd: tmp.dir, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['get_status', 'kill_pid', 'clean_disk', 'query_problems']));
    expect(tools).toHaveLength(13);
    const status = await client.callTool({ name: 'get_status', arguments: {} });
    expect(status.isError, stderr).toBeFalsy();
    expect(status.structuredContent).toMatchObject({ host: 'e2e', snapshot: { memory: { usedPct: 40 } } });
    const refused = await client.callTool({ name: 'kill_pid', arguments: { pid: 1, reason: 'e2e' } });
    expect(refused.isError).toBe(true);
    const lines = readFileSync(join(stateDir, 'problems.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ source: 'mcp', action_result: 'refused', action_taken: 'kill_pid:1' })]);
  });

  it('--http refuses to start without ARGUS_MCP_TOKEN (exit 2)', () => {
    tmp = makeTmp();
    const r = spawnSync(process.execPath, [CLI, 'mcp', '--http', '--port', '0'], { env: env(tmp.dir), encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ARGUS_MCP_TOKEN/);
    expect(r.stdout).toBe('');
  });
});
