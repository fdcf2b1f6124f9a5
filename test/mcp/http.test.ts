// Streamable HTTP: bearer token required (401), foreign Host refused (403), the right token lists the tools.
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, tokenMatches, type RunningHttpServer } from '../../src/mcp/http.js';
import { createServer } from '../../src/mcp/server.js';
import { silentLog } from '../../src/log.js';
import { sandboxRegistry, toolSandbox, type ToolSandbox } from '../tools/harness.js';

const TOKEN = 'test-token-0123456789abcdef';
const LIST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });

let box: ToolSandbox;
let running: RunningHttpServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  box?.cleanup();
});

async function start(): Promise<RunningHttpServer> {
  box = toolSandbox();
  const registry = sandboxRegistry(box);
  running = await startHttpServer({ host: '127.0.0.1', port: 0, token: TOKEN, makeServer: () => createServer(registry), log: silentLog() });
  return running;
}

/** A raw POST (node:http lets the test set any Host header, which fetch does not). */
function post(port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(LIST);
  });
}

describe('argus mcp --http', () => {
  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-0123456789abcd' }],
    ['a token prefix', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
  ])('refuses %s with 401', async (_name, headers) => {
    const { port } = await start();
    const res = await post(port, headers);
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('get_status');
  });

  it.each([['evil.example'], ['evil.example:80'], ['127.0.0.1.evil.example']])('refuses a foreign Host header %s with 403, even with the token', async (host) => {
    const { port } = await start();
    const res = await post(port, { host, authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(403);
  });

  it('with the right token a real client lists the tools and calls one', async () => {
    const { url } = await start();
    const client = new Client({ name: 'http-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('get_status');
    expect(tools).toHaveLength(18);
    const result = await client.callTool({ name: 'kill_pid', arguments: { pid: 1, reason: 'http' } });
    expect(result.isError).toBe(true);
    expect(box.records()).toEqual([expect.objectContaining({ source: 'mcp', action_result: 'refused' })]);
    await client.close();
  });

  it('refuses to start without a real token or on a wildcard address without allowed hosts', async () => {
    box = toolSandbox();
    const base = { port: 0, makeServer: () => createServer([]), log: silentLog() };
    await expect(startHttpServer({ ...base, host: '127.0.0.1', token: '' })).rejects.toThrow(/ARGUS_MCP_TOKEN/);
    await expect(startHttpServer({ ...base, host: '0.0.0.0', token: TOKEN })).rejects.toThrow(/--allowed-host/);
  });

  it('tokenMatches compares whole tokens', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches('', TOKEN)).toBe(false);
  });
});
