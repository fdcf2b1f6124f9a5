// Who may read `argus serve`: the app built for a non-loopback address (TEST-NET 192.0.2.10, listening on loopback
// here so nothing is exposed) asks for the token on every path; a browser trades `?token=` for a cookie once.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { statePaths } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { silentLog } from '../../src/log.js';
import { createServer as createMcp } from '../../src/mcp/server.js';
import { SESSION_COOKIE, sessionValue } from '../../src/serve/access.js';
import { createServeApp } from '../../src/serve/app.js';
import { makeTmp } from '../support/tmp.js';
import { sandboxRegistry, toolSandbox, type ToolSandbox } from '../tools/harness.js';
import { writeStateDir } from './fixture.js';
import { http } from './harness.js';

const TOKEN = 'access-test-token-0123456789';
const PUBLIC = '192.0.2.10';

let tmp: ReturnType<typeof makeTmp> | undefined;
let server: Server | undefined;
let box: ToolSandbox | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
  tmp?.cleanup();
  box?.cleanup();
  box = undefined;
});

async function serve(host: string, token: string | null): Promise<number> {
  tmp = makeTmp('argus-access-');
  const fx = writeStateDir(join(tmp.dir, 'state'), { days: 1 });
  const paths = statePaths(ConfigSchema.parse({ stateDir: fx.dir }));
  box = toolSandbox();
  const registry = sandboxRegistry(box);
  const app = createServeApp({
    host,
    port: 0,
    token,
    paths,
    intervalSec: 300,
    makeMcpServer: () => createMcp(registry),
    log: silentLog(),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server!.once('listening', () => r()));
  return (server.address() as AddressInfo).port;
}

const as = (headers: Record<string, string> = {}) => ({ headers: { host: PUBLIC, ...headers } });

describe('argus serve off loopback', () => {
  it.each(['/', '/metrics', '/healthz', '/nope'])('%s without the token is 401 JSON', async (path) => {
    const port = await serve(PUBLIC, TOKEN);
    const res = await http(port, path, as());
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).not.toContain('argus_');
  });

  it('a bearer token opens every read-only path', async () => {
    const port = await serve(PUBLIC, TOKEN);
    for (const path of ['/', '/metrics', '/healthz'])
      expect((await http(port, path, as({ authorization: `Bearer ${TOKEN}` }))).status).toBe(200);
    expect((await http(port, '/metrics', as({ authorization: `Bearer ${TOKEN}x` }))).status).toBe(401);
  });

  it('?token= is exchanged for an HttpOnly cookie and taken out of the address; the cookie then works, a forged one does not', async () => {
    const port = await serve(PUBLIC, TOKEN);
    const first = await http(port, `/?range=7d&token=${TOKEN}`, as());
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/?range=7d');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=${sessionValue(TOKEN)}; Path=/; HttpOnly; SameSite=Strict`));
    expect(cookie).not.toContain(TOKEN);
    expect((await http(port, '/metrics', as({ cookie: `${SESSION_COOKIE}=${sessionValue(TOKEN)}` }))).status).toBe(200);
    expect(
      (await http(port, '/metrics', as({ cookie: `${SESSION_COOKIE}=${sessionValue('another-token-0123456789')}` })))
        .status,
    ).toBe(401);
    expect((await http(port, `/?token=${TOKEN.slice(0, -1)}`, as())).status).toBe(401);
  });

  it('/mcp takes only the bearer token: the browser cookie does not reach the actions', async () => {
    const port = await serve(PUBLIC, TOKEN);
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'access', version: '1' } },
    });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const withCookie = await http(port, '/mcp', {
      method: 'POST',
      body,
      ...as({ ...headers, cookie: `${SESSION_COOKIE}=${sessionValue(TOKEN)}` }),
    });
    expect(withCookie.status).toBe(401);
    const withBearer = await http(port, '/mcp', {
      method: 'POST',
      body,
      ...as({ ...headers, authorization: `Bearer ${TOKEN}` }),
    });
    expect(withBearer.status, withBearer.body).toBe(200);
    expect(withBearer.body).toContain('"serverInfo"');
  });

  it('a foreign Host header is 403 even with the token', async () => {
    const port = await serve(PUBLIC, TOKEN);
    expect(
      (await http(port, '/metrics', { headers: { host: 'evil.example', authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(403);
  });

  it('on loopback the read-only pages need no token, and the app refuses a non-loopback address without one', async () => {
    const port = await serve('127.0.0.1', null);
    expect((await http(port, '/metrics')).status).toBe(200);
    expect(() =>
      createServeApp({
        host: PUBLIC,
        port: 0,
        token: null,
        paths: statePaths(ConfigSchema.parse({ stateDir: tmp!.dir })),
        intervalSec: 300,
        makeMcpServer: null,
        log: silentLog(),
      }),
    ).toThrow(/ARGUS_MCP_TOKEN/);
  });
});
