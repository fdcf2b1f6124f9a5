// The agent runner: the five shared options bound once; a call states only the agent's part; no key, no request.
import fs from 'node:fs';
import os from 'node:os';
import { Writable } from 'node:stream';
import pino from 'pino';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgentRunner, type AgentSpec } from '../../src/llm/agent-runner.js';
import { createLlmBudget, llmStatePath, type LlmBudget } from '../../src/llm/budget.js';
import { runAgent } from '../../src/llm/run-agent.js';
import { silentLog } from '../../src/log.js';
import { answer, calls, scriptModel, testClient, toolUse } from '../support/scripted-model.js';
import { readOnlyTools, type ToolLog } from './stubs.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const AnswerSchema = z.object({ verdict: z.enum(['healthy', 'unknown']), summary: z.string() });
type Answer = z.infer<typeof AnswerSchema>;
const NOW = new Date('2026-03-01T12:00:00Z');
const ok = { verdict: 'healthy', summary: 'all fine' };

let dir: string;
let budget: LlmBudget;
let toolLog: ToolLog;
beforeEach(() => {
  dir = fs.mkdtempSync(`${os.tmpdir()}/argus-`);
  budget = createLlmBudget({ path: llmStatePath(dir), minFreeBytes: 100 * 1024 * 1024 });
  toolLog = { calls: [] };
});
afterEach(() => {
  server.resetHandlers();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What an agent states, and nothing else: no client, budget, log, clock or disk. */
const spec = (over: Partial<AgentSpec<Answer>> = {}): AgentSpec<Answer> => ({
  system: 'You are a test agent.',
  userBlocks: ['Look at the host.'],
  tools: readOnlyTools(toolLog),
  answerSchema: AnswerSchema,
  maxIterations: 3,
  maxTokens: 512,
  ctx: { source: 'llm', identity: 'memory:host' },
  ...over,
});

function captureLog() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

describe('createAgentRunner', () => {
  it('binds client, budget, log and clock: a call with only the agent part runs the loop and is accounted', async () => {
    const { log, lines } = captureLog();
    const runner = createAgentRunner({ client: testClient(), budget, log, now: () => NOW });
    const script = scriptModel(server, [calls(toolUse('get_top_processes', { by: 'rss' })), answer(ok)]);
    const r = await runner(spec({ logBindings: { agent: 'test', incident: 'memory:host' } }));
    script.verify();
    expect(r).toMatchObject({ ok: true, answer: ok, usage: { calls: 2 } });
    expect(toolLog.calls).toEqual([{ name: 'get_top_processes', input: { by: 'rss', limit: 10 }, source: 'llm' }]);
    // The agent's limits reach the request; the bound budget counted both calls on the bound clock's day.
    expect(script.requests[0]!.body.max_tokens).toBe(512);
    expect(budget.read(NOW)).toMatchObject({ day: '2026-03-01', day_calls: 2 });
    // The run logs on a child of the bound log, with the agent's bindings.
    const turns = lines.filter((l) => l.msg === 'model turn');
    expect(turns).toHaveLength(2);
    expect(turns.every((l) => l.agent === 'test' && l.incident === 'memory:host')).toBe(true);
  });

  it('sends what runAgent sends given the same options, and returns the same result (a thin wrapper)', async () => {
    const runner = createAgentRunner({ client: testClient(), budget: null, log: silentLog(), now: () => NOW });
    const viaRunner = scriptModel(server, [calls(toolUse('get_service', { unit: 'nginx.service' })), answer(ok)]);
    const a = await runner(spec());
    viaRunner.verify();
    server.resetHandlers();
    const direct = scriptModel(server, [calls(toolUse('get_service', { unit: 'nginx.service' })), answer(ok)]);
    const b = await runAgent({ ...spec(), client: testClient(), budget: null, log: silentLog(), now: () => NOW });
    direct.verify();
    const bodies = (s: typeof direct) => s.requests.map((q) => JSON.stringify(q.body).replace(/toolu_\d+/g, 'toolu_N'));
    expect(bodies(viaRunner)).toEqual(bodies(direct));
    const ids = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/toolu_\d+/g, 'toolu_N')) as unknown;
    expect(ids(a)).toEqual(ids(b));
  });

  it('reads the free bytes when each run starts: the disk guard refuses without a request', async () => {
    let free: number | null = 10 * 1024 * 1024;
    const runner = createAgentRunner({
      client: testClient(),
      budget,
      log: silentLog(),
      now: () => NOW,
      freeBytes: () => free,
    });
    const none = scriptModel(server, []);
    const low = await runner(spec());
    none.verify();
    expect(low).toMatchObject({ ok: false, reason: 'low_disk', usage: { calls: 0 } });
    server.resetHandlers();
    free = null;
    const one = scriptModel(server, [answer(ok)]);
    expect(await runner(spec())).toMatchObject({ ok: true });
    one.verify();
  });

  it('no key (null client) → the no_key failure, without any request, however often it is called', async () => {
    const runner = createAgentRunner({ client: null, budget, log: silentLog(), now: () => NOW, freeBytes: () => 1 });
    const script = scriptModel(server, []);
    const results = await Promise.all([runner(spec()), runner(spec({ tools: [] }))]);
    script.verify();
    for (const r of results)
      expect(r).toMatchObject({ ok: false, reason: 'no_key', usage: { calls: 0 }, toolCalls: [] });
    expect(script.requests).toEqual([]);
    expect(toolLog.calls).toEqual([]);
    expect(budget.read(NOW).day_calls).toBe(0);
  });
});
