// Parity: a real MCP Client over InMemoryTransport sees exactly the registry, and its calls pass the real gate.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServer } from '../../src/mcp/server.js';
import type { ToolRegistry } from '../../src/tools/tool.js';
import { disk, snapshot } from '../support/snapshot.js';
import { sandboxRegistry, toolSandbox, type ToolSandbox } from '../tools/harness.js';

let box: ToolSandbox;
let client: Client;
afterEach(async () => {
  await client?.close();
  box?.cleanup();
});

async function connect(registry: ToolRegistry): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createServer(registry).connect(serverSide);
  client = new Client({ name: 'parity-test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

describe('MCP parity', () => {
  it('lists exactly the registry: names, titles, required keys, properties and annotations', async () => {
    box = toolSandbox();
    const registry = sandboxRegistry(box);
    const { tools } = await (await connect(registry)).listTools();
    expect(tools.map((t) => t.name)).toEqual(registry.map((t) => t.name));
    for (const def of registry) {
      const listed = tools.find((t) => t.name === def.name)!;
      const expected = z.toJSONSchema(def.input, { io: 'input' }) as {
        required?: string[];
        properties?: Record<string, unknown>;
      };
      expect(listed.title, def.name).toBe(def.title);
      expect(listed.description, def.name).toBe(def.description);
      expect([...(listed.inputSchema.required ?? [])].sort(), def.name).toEqual([...(expected.required ?? [])].sort());
      expect(Object.keys(listed.inputSchema.properties ?? {}).sort(), def.name).toEqual(
        Object.keys(expected.properties ?? {}).sort(),
      );
      expect(listed.annotations, def.name).toEqual({ ...def.annotations, title: def.title });
    }
  });

  it('the action contract is what Athena depends on', async () => {
    box = toolSandbox();
    const { tools } = await (await connect(sandboxRegistry(box))).listTools();
    const required = Object.fromEntries(tools.map((t) => [t.name, [...(t.inputSchema.required ?? [])].sort()]));
    expect(required).toMatchObject({
      restart_service: ['reason', 'service'],
      kill_pid: ['pid', 'reason'],
      kill_tmux: ['reason', 'session'],
      alert: ['message'],
      log: ['observation'],
      create_bead: ['description', 'title'],
      clean_disk: ['reason'],
    });
    const killPid = tools.find((t) => t.name === 'kill_pid')!;
    expect(killPid.inputSchema).toMatchObject({ additionalProperties: false });
  });

  it('calls a read tool: structured content and the same JSON as text', async () => {
    box = toolSandbox();
    box.writeSnapshot(snapshot({ disks: [disk('/', 91)] }));
    const result = await (await connect(sandboxRegistry(box))).callTool({ name: 'get_status', arguments: {} });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as { snapshot: { disks: { usedPct: number }[] } };
    expect(structured.snapshot.disks[0]!.usedPct).toBe(91);
    const [content] = result.content as { type: string; text: string }[];
    expect(JSON.parse(content!.text)).toEqual(structured);
  });

  it('an allowed action over MCP runs through the gate and is recorded with source mcp', async () => {
    box = toolSandbox();
    const result = await (
      await connect(sandboxRegistry(box))
    ).callTool({ name: 'log', arguments: { observation: 'athena noticed load' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ result: 'success' });
    expect(box.records()).toEqual([
      expect.objectContaining({
        kind: 'action',
        source: 'mcp',
        action_result: 'success',
        action_taken: 'log:observations',
      }),
    ]);
  });

  it('kill_pid 1 over MCP is an error result with the reason, recorded with source mcp, and PID 1 lives', async () => {
    box = toolSandbox();
    const result = await (
      await connect(sandboxRegistry(box))
    ).callTool({ name: 'kill_pid', arguments: { pid: 1, reason: 'trust me' } });
    expect(result.isError).toBe(true);
    const [content] = result.content as { text: string }[];
    expect(content!.text).toMatch(/^kill_pid refused: /);
    expect(result.structuredContent).toMatchObject({ result: 'refused' });
    const records = box.records();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      source: 'mcp',
      action_result: 'refused',
      action_taken: 'kill_pid:1',
      severity: 'warning',
    });
  });

  it.each([
    ['kill_pid', { pid: '1; rm -rf /', reason: 'x' }],
    ['kill_pid', { pid: 1.5, reason: 'x' }],
    ['clean_disk', { reason: 'x', paths: ['/etc'] }],
    ['restart_service', { service: 'nginx' }],
    ['kill_tmux', { session: '', reason: 'x' }],
    ['alert', { message: 'x'.repeat(20_001) }],
  ])(
    'malformed %s input %j is refused by the gate with the problem named, recorded with source mcp, and nothing runs',
    async (name, args) => {
      box = toolSandbox();
      const result = await (await connect(sandboxRegistry(box))).callTool({ name, arguments: args });
      expect(result.isError).toBe(true);
      expect((result.content as { text: string }[])[0]!.text).toMatch(new RegExp(`${name}\\.|${name}: |${name} `));
      expect(box.records().filter((r) => r.action_result === 'success')).toEqual([]);
      const refused = box.records().filter((r) => r.kind === 'action' && r.action_result === 'refused');
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ source: 'mcp' });
      expect(refused[0]!.action_taken).toMatch(new RegExp(`^${name}:`));
    },
  );

  it('a tool outside the registry is refused', async () => {
    box = toolSandbox();
    const c = await connect(sandboxRegistry(box));
    const result = await c
      .callTool({ name: 'exec', arguments: { cmd: 'id' } })
      .catch((e: Error) => ({ isError: true, content: [{ text: e.message }] }));
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/no such tool: exec/);
  });

  it('a read-tool ToolError is an error result the client can read', async () => {
    box = toolSandbox({ config: { services: ['nginx'] } });
    const result = await (
      await connect(sandboxRegistry(box))
    ).callTool({ name: 'get_service', arguments: { service: 'sshd' } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toMatch(
      /sshd.service is not a watched or allowlisted unit/,
    );
  });
});
