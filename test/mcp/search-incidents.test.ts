// search_incidents over MCP (a real SDK client): honest annotations, an output schema the structured content meets,
// input limits enforced before the tool runs.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/mcp/server.js';
import { NOW, sandboxRegistry, toolSandbox, type ToolSandbox } from '../tools/harness.js';
import { DAY, writePast } from '../agents/rca/past-incidents.js';

let box: ToolSandbox;
let client: Client;
afterEach(async () => {
  await client?.close();
  box?.cleanup();
});

async function connect(): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createServer(sandboxRegistry(box)).connect(serverSide);
  client = new Client({ name: 'search-test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

describe('search_incidents over MCP', () => {
  it('is listed read-only with an output schema, and answers with structured content that meets it', async () => {
    box = toolSandbox();
    const T = NOW.getTime();
    writePast(box.paths.registry, [
      {
        identity: 'disk:/',
        at: T - 3 * DAY,
        minutes: 20,
        fix: { action: 'clean_disk:/', result: 'success' },
        bead: 'argus-9',
      },
      {
        identity: 'disk:/',
        at: T - 1 * DAY,
        minutes: 45,
        fix: { action: 'clean_disk:/', result: 'failure' },
        severity: 'warning',
      },
    ]);
    const c = await connect();
    const listed = (await c.listTools()).tools.find((t) => t.name === 'search_incidents')!;
    expect(listed.annotations).toEqual({
      title: 'Search past incidents',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(listed.outputSchema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['match', 'incidents', 'mttr_s']),
    });
    const r = await c.callTool({ name: 'search_incidents', arguments: { identity: 'disk:/' } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      match: 'identity',
      matched: 2,
      mttr_s: 1950,
      outcomes: { clean_disk: 1, by_itself: 1 },
      incidents: [
        { severity: 'warning', ended: 'recovered_by_itself', ttr_s: 2700 },
        { severity: 'critical', ended: 'recovered_by_action', recovered_by: 'clean_disk', bead_ids: ['argus-9'] },
      ],
    });
  });

  it.each([
    ['a limit over 20', { identity: 'disk:/', limit: 21 }],
    ['a huge identity', { identity: 'x'.repeat(301) }],
    ['an unknown key', { identity: 'disk:/', everything: true }],
    ['a since that is not a time', { identity: 'disk:/', since: 'yesterday-ish' }],
    ['no identity', {}],
  ])('refuses %s before it runs', async (_what, args) => {
    box = toolSandbox();
    const r = await (await connect()).callTool({ name: 'search_incidents', arguments: args });
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r.content)).toMatch(/invalid arguments for search_incidents/);
  });
});
