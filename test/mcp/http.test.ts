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
  running = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    makeServer: () => createServer(registry),
    log: silentLog(),
  });
  return running;
}

interface RawResponse {
  status: number;
  type: string;
  body: string;
}

/** A raw request (node:http lets the test set any Host header and send any body, which fetch does not). */
function raw(
  port: number,
  options: { path?: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/mcp',
        method: options.method ?? 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...options.headers,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const post = (port: number, headers: Record<string, string>): Promise<RawResponse> =>
  raw(port, { headers, body: LIST });

/** What a client must never see in an error: an HTML page, a stack trace, a file path of this machine. */
function expectJsonRpcError(res: RawResponse, status: number, code: number): void {
  expect(res.status).toBe(status);
  expect(res.type).toMatch(/^application\/json/);
  expect(res.body).not.toMatch(/<html|<pre|\bat \S+ \(|node_modules|\/work\/|\.ts:\d|\.js:\d/i);
  expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code } });
}

const MALFORMED = '{"jsonrpc": "2.0", "method": tools/list';

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

  it.each([['evil.example'], ['evil.example:80'], ['127.0.0.1.evil.example']])(
    'refuses a foreign Host header %s with 403, even with the token',
    async (host) => {
      const { port } = await start();
      const res = await post(port, { host, authorization: `Bearer ${TOKEN}` });
      expect(res.status).toBe(403);
    },
  );

  it('with the right token a real client lists the tools and calls one', async () => {
    const { url } = await start();
    const client = new Client({ name: 'http-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('get_status');
    expect(tools).toHaveLength(20);
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

  it('a malformed body without a token is refused by the token check (401 JSON), never parsed into a stack trace', async () => {
    const { port } = await start();
    expectJsonRpcError(await raw(port, { body: MALFORMED }), 401, -32000);
    expectJsonRpcError(
      await raw(port, { body: MALFORMED, headers: { authorization: 'Bearer wrong-token-0123456789abcd' } }),
      401,
      -32000,
    );
  });

  it('a malformed body with the token is a JSON-RPC parse error (400, -32700)', async () => {
    const { port } = await start();
    expectJsonRpcError(
      await raw(port, { body: MALFORMED, headers: { authorization: `Bearer ${TOKEN}` } }),
      400,
      -32700,
    );
  });

  it('a body over the limit is a JSON error (413), not an HTML page', async () => {
    const { port } = await start();
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(1_100_000) } });
    expectJsonRpcError(await raw(port, { body: big, headers: { authorization: `Bearer ${TOKEN}` } }), 413, -32000);
  });

  it.each([
    ['GET', '/'],
    ['POST', '/other'],
    ['GET', '/mcp/../etc/passwd'],
  ])('%s %s with the token is a 404 JSON-RPC error naming the endpoint', async (method, path) => {
    const { port } = await start();
    const res = await raw(port, { method, path, headers: { authorization: `Bearer ${TOKEN}` } });
    expectJsonRpcError(res, 404, -32000);
    expect(res.body).toContain('/mcp');
  });

  it('any path without the token is 401 (nothing is said about which paths exist)', async () => {
    const { port } = await start();
    expectJsonRpcError(await raw(port, { method: 'GET', path: '/other' }), 401, -32000);
  });

  it.each([
    ['spaces only', ' '.repeat(24)],
    ['tabs and newlines', '\t\n'.repeat(12)],
    ['a padded short token', `   short-token   `.padEnd(20, ' ')],
    ['a token with a space inside', 'abcdefghijkl mnopqrstuvwxyz'],
  ])('refuses to start with a token of %s', async (_name, token) => {
    box = toolSandbox();
    const started = startHttpServer({
      host: '127.0.0.1',
      port: 0,
      token,
      makeServer: () => createServer([]),
      log: silentLog(),
    });
    await expect(started).rejects.toThrow(/ARGUS_MCP_TOKEN/);
    await (await started.catch(() => null))?.close();
  });

  it.each([
    ['an empty name on a wildcard address', '0.0.0.0', ['']],
    ['a blank name', '127.0.0.1', ['  ']],
    ['an empty name among good ones', '0.0.0.0', ['argus.example', '']],
    ['a name with a path', '127.0.0.1', ['argus.example/evil']],
  ])('refuses --allowed-host with %s', async (_name, host, allowedHosts) => {
    box = toolSandbox();
    const started = startHttpServer({
      host,
      port: 0,
      token: TOKEN,
      allowedHosts,
      makeServer: () => createServer([]),
      log: silentLog(),
    });
    await expect(started).rejects.toThrow(/--allowed-host/);
    await (await started.catch(() => null))?.close();
  });

  it('tokenMatches compares whole tokens', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches('', TOKEN)).toBe(false);
  });
});
