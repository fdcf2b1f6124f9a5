// The micro-agents as MCP tools, through a real MCP client (InMemoryTransport) on a sandboxed state dir.
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate, emptyEvaluatorState } from '../../src/agents/evaluator/evaluate.js';
import { openIncident } from '../../src/agents/router/incidents.js';
import { createServer } from '../../src/mcp/server.js';
import { incidentRecords, DAY } from '../agents/rca/past-incidents.js';
import { rec } from '../support/registry-gen.js';
import { memory, proc, processes, snapshot } from '../support/snapshot.js';
import { NOW, sandboxRegistry, toolSandbox, type ToolSandbox } from '../tools/harness.js';

let box: ToolSandbox;
let client: Client;
afterEach(async () => {
  await client?.close();
  box?.cleanup();
});

const refused: Array<[string, string]> = [];
async function connect(): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createServer(sandboxRegistry(box), { onRefused: (tool, reason) => refused.push([tool, reason]) }).connect(
    serverSide,
  );
  client = new Client({ name: 'agent-tools-test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}
const call = async (name: string, args: Record<string, unknown> = {}) =>
  (await connect()).callTool({ name, arguments: args });

/** A memory incident with a clear hog, as the router keeps it, and the snapshot it was seen in. */
function memoryIncident() {
  const hog = proc({ pid: 4100, comm: 'node', cmdline: 'node agent.js', rssBytes: 12 * 1024 ** 3, memPct: 75 });
  const s = snapshot({ memory: memory({ effectivePct: 93, usedPct: 93 }), processes: processes({ topByRss: [hog] }) });
  const finding = evaluate(s, emptyEvaluatorState(), {
    ...box.config,
    confirmCycles: { ...box.config.confirmCycles, memory: 1 },
  }).findings.find((f) => f.identity === 'memory:host')!;
  box.writeSnapshot(s);
  const incident = openIncident(finding, new Date('2026-02-19T09:00:00Z'), null);
  box.writeJson(box.paths.incidents, { incidents: { 'memory:host': incident } });
  return incident;
}

describe('micro-agents as MCP tools', () => {
  it('check_now looks at this machine, evaluates, and writes nothing', async () => {
    box = toolSandbox({ config: { thresholds: { disk: { fire: 1, clear: 1 } } } });
    const before = readdirSync(box.paths.stateDir);
    const r = await call('check_now');
    expect(r.isError).toBeFalsy();
    const out = r.structuredContent as { findings: Array<{ identity: string; confirmed: boolean }>; ts: string };
    expect(out.findings.map((f) => f.identity)).toContain('disk:/');
    expect(readdirSync(box.paths.stateDir)).toEqual(before);
    expect(box.records()).toEqual([]);
  });

  it('list_incidents: the open incident with its actions and bead, and one resolved today', async () => {
    box = toolSandbox();
    const inc = memoryIncident();
    box.deps.registry.append([
      rec(Date.parse('2026-02-19T09:00:00Z'), {
        kind: 'transition',
        type: 'memory',
        identity: 'memory:host',
        incident_id: inc.incidentId,
        details: { transition: 'opened' },
      }),
      rec(Date.parse('2026-02-19T09:01:00Z'), {
        kind: 'action',
        type: 'memory',
        identity: 'memory:host',
        action_taken: 'create_bead:memory:host',
        action_result: 'success',
        bead_id: 'argus-7',
      }),
      rec(Date.parse('2026-02-19T06:00:00Z'), {
        kind: 'transition',
        type: 'disk',
        identity: 'disk:/',
        details: { transition: 'opened' },
      }),
      rec(Date.parse('2026-02-19T06:30:00Z'), {
        kind: 'action',
        type: 'disk',
        identity: 'disk:/',
        action_taken: 'clean_disk:/',
        action_result: 'success',
      }),
      rec(Date.parse('2026-02-19T07:00:00Z'), {
        kind: 'transition',
        type: 'disk',
        identity: 'disk:/',
        details: { transition: 'resolved' },
      }),
    ]);
    const r = await call('list_incidents');
    const out = r.structuredContent as {
      open: Array<Record<string, unknown>>;
      resolved: Array<Record<string, unknown>>;
    };
    expect(out.open).toEqual([
      expect.objectContaining({
        identity: 'memory:host',
        status: 'open',
        beads: ['argus-7'],
        actions: [expect.objectContaining({ action: 'create_bead:memory:host', result: 'success' })],
      }),
    ]);
    expect(out.resolved).toEqual([
      expect.objectContaining({
        identity: 'disk:/',
        openedAt: '2026-02-19T06:00:00.000Z',
        resolvedAt: '2026-02-19T07:00:00.000Z',
        actions: [expect.objectContaining({ action: 'clean_disk:/' })],
      }),
    ]);
  });

  it('diagnose_incident names the hog of an open memory incident; an unknown identity lists the open ones', async () => {
    box = toolSandbox();
    memoryIncident();
    const r = await call('diagnose_incident', { identity: 'memory:host' });
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r.structuredContent)).toContain('"pid":4100');
    const unknown = await call('diagnose_incident', { identity: 'disk:/nope' });
    expect(unknown.isError).toBe(true);
    expect((unknown.content as Array<{ text: string }>)[0]!.text).toContain('open: memory:host');
  });

  it("diagnose_incident says what past incidents of the identity say (the cycle's diagnosis), nothing when there are none", async () => {
    box = toolSandbox();
    memoryIncident();
    const first = await call('diagnose_incident', { identity: 'memory:host' });
    expect(JSON.stringify(first.structuredContent)).not.toContain('Seen ');
    const t = NOW.getTime();
    box.deps.registry.append([
      ...incidentRecords({
        identity: 'memory:host',
        at: t - 5 * DAY,
        minutes: 20,
        fix: { action: 'kill_pid:4100', result: 'success' },
      }),
      ...incidentRecords({
        identity: 'memory:host',
        at: t - 2 * DAY,
        minutes: 30,
        fix: { action: 'kill_pid:4200', result: 'success' },
      }),
    ]);
    const r = await call('diagnose_incident', { identity: 'memory:host' });
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r.structuredContent)).toMatch(/Seen 2 times in 30 days/);
  });

  it('summarize_period: the most frequent problems of the period', async () => {
    box = toolSandbox();
    const t = NOW.getTime() - 3_600_000;
    box.deps.registry.append(
      Array.from({ length: 5 }, (_, i) =>
        rec(t + i * 60_000, { kind: 'detection', type: 'disk', identity: 'disk:/', description: 'Disk / at 93%' }),
      ),
    );
    const r = await call('summarize_period', { since: '24h' });
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify((r.structuredContent as { problems: unknown[] }).problems)).toContain('disk:/');
    expect((await call('summarize_period', { since: 'yesterday-ish' })).isError).toBe(true);
  });

  it('silence: normalised like an identity, written, recorded with source mcp; a bad matcher is refused', async () => {
    box = toolSandbox();
    memoryIncident();
    const r = await call('silence', { matcher: 'memory', duration: '2h', reason: 'planned load test' });
    expect(r.structuredContent).toMatchObject({
      matcher: 'memory:*',
      until: '2026-02-19T12:05:00.000Z',
      mutesOpenIncidents: ['memory:host'],
    });
    expect(JSON.parse(readFileSync(box.paths.silences, 'utf8'))).toEqual([
      expect.objectContaining({ matcher: 'memory:*' }),
    ]);
    expect(box.records()).toEqual([
      expect.objectContaining({ kind: 'decision', source: 'mcp', action_taken: 'silence:memory:*' }),
    ]);
    expect((await call('silence', { matcher: 'servce:x', duration: '2h', reason: 'typo' })).isError).toBe(true);
    expect((await call('silence', { matcher: 'disk', duration: '30d', reason: 'too long' })).isError).toBe(true);
  });

  it('a call with 10,000 elements is refused before any tool runs, and the refusal is heard', async () => {
    box = toolSandbox();
    refused.length = 0;
    const r = await call('query_problems', { type: 'disk', junk: Array.from({ length: 10_000 }, (_, i) => i) });
    expect(r.isError).toBe(true);
    expect((r.content as Array<{ text: string }>)[0]!.text).toMatch(/more than 2000 elements/);
    expect(refused).toEqual([['query_problems', expect.stringMatching(/more than 2000 elements/)]]);
  });
});

describe('MCP prompts for Athena', () => {
  it('lists investigate-incident and daily-review; each names the tools to call, with the argument filled in', async () => {
    box = toolSandbox();
    const c = await connect();
    const { prompts } = await c.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['daily-review', 'investigate-incident']);
    const registryNames = sandboxRegistry(box).map((t) => t.name);
    const inv = await c.getPrompt({ name: 'investigate-incident', arguments: { identity: 'service:nginx.service' } });
    const text = (inv.messages[0]!.content as { text: string }).text;
    expect(text).toContain('"service:nginx.service"');
    // Every tool a prompt tells the model to call exists.
    for (const name of text
      .match(/\b[a-z]+_[a-z_]+\b/g)!
      .filter((n) => /^(get|list|check|diagnose|summarize|query)_/.test(n)))
      expect(registryNames).toContain(name);
    const daily = await c.getPrompt({ name: 'daily-review', arguments: { since: '7d' } });
    expect((daily.messages[0]!.content as { text: string }).text).toContain('summarize_period with since "7d"');
  });
});
