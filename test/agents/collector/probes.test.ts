import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProbes } from '../../../src/agents/collector/probes.js';
import { ProbeConfigSchema } from '../../../src/config/schema.js';
import { createLinuxHost } from '../../../src/host/linux.js';

let server: Server;
let base: string;
const hung = new Set<import('node:http').ServerResponse>();

beforeEach(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') res.writeHead(200).end('fine');
    else if (req.url === '/fail') res.writeHead(500).end('boom');
    else if (req.url === '/login') res.writeHead(302, { location: '/elsewhere' }).end();
    else hung.add(res); // /slow: never answers
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const res of hung) res.destroy();
  hung.clear();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const probe = (name: string, path: string, extra: object = {}) =>
  ProbeConfigSchema.parse({ name, url: `${base}${path}`, ...extra });

describe('runProbes against a local server', () => {
  it('200 ok, 500 not ok, a hang times out, a redirect is seen as itself', async () => {
    const results = await runProbes(createLinuxHost(), [
      probe('gateway', '/ok'),
      probe('athena', '/fail'),
      probe('slow', '/slow', { timeoutMs: 300 }),
      probe('login', '/login', { expectStatus: 302 }),
      probe('login-200', '/login'),
    ]);
    expect(results.map((r) => [r.name, r.ok, r.status, r.error])).toEqual([
      ['gateway', true, 200, null],
      ['athena', false, 500, 'status 500, expected 200'],
      ['slow', false, null, 'no answer within 300 ms'],
      ['login', true, 302, null],
      ['login-200', false, 302, 'status 302, expected 200'],
    ]);
    for (const r of results) expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('a refused connection is a failed probe with the reason, not a throw', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const [r] = await runProbes(createLinuxHost(), [
      ProbeConfigSchema.parse({ name: 'down', url: `http://127.0.0.1:${port}/` }),
    ]);
    expect(r).toMatchObject({ ok: false, status: null, error: 'ECONNREFUSED' });
  });

  it('no probes configured: nothing fetched', async () => {
    let fetched = 0;
    const host = createLinuxHost({
      fetch: async () => {
        fetched++;
        return new Response('');
      },
    });
    expect(await runProbes(host, [])).toEqual([]);
    expect(fetched).toBe(0);
  });
});
