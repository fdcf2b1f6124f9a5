// The scripted model: the simulated host answers the Messages API from a scenario's script, through the real SDK client,
// and every call and token is counted; a replay reports the model's proposals and how the gate answered them.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModelClient } from '../../src/llm/client.js';
import { createSimClock } from '../../src/host/simulated/clock.js';
import { createSimulatedHost } from '../../src/host/simulated/host.js';
import {
  ScriptedModelSchema,
  SIM_MODEL_URL,
  createScriptedModel,
  type ScriptedModel,
} from '../../src/host/simulated/model.js';
import { WorldSpecSchema, createWorld } from '../../src/host/simulated/world.js';
import { runScenario } from '../../src/simulate/runner.js';
import { ScenarioSchema } from '../../src/simulate/scenario.js';

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'argus-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function hostWith(model: ScriptedModel) {
  const clock = createSimClock(new Date('2026-03-02T00:00:00Z'));
  return createSimulatedHost(createWorld(WorldSpecSchema.parse({}), clock.startMs), clock, { root, model });
}

const request = (system: string, messages: unknown[] = [{ role: 'user', content: 'go' }]) =>
  ({ system, messages, tools: [], max_tokens: 512 }) as Parameters<ReturnType<typeof createModelClient>['create']>[0];

describe('scripted model behind the simulated host', () => {
  it('serves the scripted reply to the agent it names, then the abstaining default, and counts calls and tokens', async () => {
    const spec = ScriptedModelSchema.parse({
      mode: 'scripted',
      replies: [
        {
          agent: 'planner',
          toolUse: [{ name: 'kill_pid', input: { pid: 1, reason: 'x' } }],
          usage: { input_tokens: 100, output_tokens: 7 },
        },
      ],
    });
    const model = createScriptedModel(spec, () => new Date('2026-03-02T00:05:00Z'));
    const client = createModelClient({
      apiKey: 'sim-key',
      baseUrl: SIM_MODEL_URL,
      fetch: hostWith(model).fetch,
      maxRetries: 0,
    });

    const rca = await client.create(request('# Argus root-cause analysis\nfind why'));
    expect(rca).toMatchObject({ ok: true, message: { stop_reason: 'end_turn', content: [{ type: 'text' }] } });
    const rcaText = (rca as { message: { content: Array<{ text: string }> } }).message.content[0]!.text;
    expect(JSON.parse(rcaText)).toMatchObject({ verdict: 'unknown', causes: [] });

    const plan = await client.create(request('# Argus remediation planner\nact'));
    expect(plan).toMatchObject({
      ok: true,
      message: {
        stop_reason: 'tool_use',
        content: [{ type: 'tool_use', name: 'kill_pid', input: { pid: 1 } }],
        usage: { input_tokens: 100, output_tokens: 7 },
      },
    });
    const id = (plan as { message: { content: Array<{ id: string }> } }).message.content[0]!.id;

    // The next turn carries Argus's answer to the proposal: it is noted as refused.
    const answer = [
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: id,
            content: 'kill_pid refused: PID 1 (init) is never killed',
            is_error: true,
          },
        ],
      },
    ];
    expect(await client.create(request('# Argus remediation planner\nact', answer))).toMatchObject({
      ok: true,
      message: { stop_reason: 'end_turn' },
    });

    expect(model.calls.map((c) => [c.agent, c.served])).toEqual([
      ['rca', 'default'],
      ['planner', 0],
      ['planner', 'default'],
    ]);
    expect(model.calls[1]).toMatchObject({ inputTokens: 100, outputTokens: 7 });
    expect(model.calls[0]!.inputTokens).toBeGreaterThan(5); // estimated from the request's size
    expect(model.proposals).toEqual([
      expect.objectContaining({
        agent: 'planner',
        name: 'kill_pid',
        isError: true,
        result: 'kill_pid refused: PID 1 (init) is never killed',
      }),
    ]);
    expect(model.unused()).toBe(0);
  });

  it('with default "error", a call the script did not expect gets a 400 and is reported', async () => {
    const model = createScriptedModel(
      ScriptedModelSchema.parse({ mode: 'scripted', default: 'error' }),
      () => new Date('2026-03-02T00:00:00Z'),
    );
    const client = createModelClient({
      apiKey: 'sim-key',
      baseUrl: SIM_MODEL_URL,
      fetch: hostWith(model).fetch,
      maxRetries: 0,
    });
    const r = await client.create(request('# Argus anomaly analysis\nlook'));
    expect(r).toMatchObject({ ok: false, failure: { kind: 'client', status: 400 } });
    expect(model.unexpected).toEqual([
      'unexpected model call #1 from evaluator at 2026-03-02T00:00:00.000Z (no scripted reply left)',
    ]);
  });

  it('a reply is either tool calls or an answer, and a scenario still may not configure anthropic itself', async () => {
    expect(
      ScriptedModelSchema.safeParse({
        mode: 'scripted',
        replies: [{ answer: {}, toolUse: [{ name: 'log', input: {} }] }],
      }).success,
    ).toBe(false);
    expect(ScriptedModelSchema.safeParse({ mode: 'scripted', replies: [{ agent: 'rca' }] }).success).toBe(false);
    const s = ScenarioSchema.parse({
      name: 'x',
      description: 'x',
      durationMin: 5,
      config: { anthropic: { apiKey: 'k' } },
      model: { mode: 'scripted' },
    });
    await expect(runScenario(s)).rejects.toThrow(/may not set telegram or anthropic/);
  });
});

describe('a replay with a scripted model', () => {
  const base = {
    name: 'billing-dies',
    description: 'billing (not allowlisted) dies; the planner tries to restart sshd',
    config: { services: ['billing'], restartAllowlist: [] },
    world: { services: [{ name: 'billing' }, { name: 'sshd' }] },
    events: [{ t: 5, type: 'service_dies', service: 'billing' }],
    durationMin: 15,
    model: {
      mode: 'scripted',
      replies: [
        {
          agent: 'planner',
          toolUse: [{ name: 'restart_service', input: { service: 'sshd', reason: 'why not' } }],
          usage: { input_tokens: 1000, output_tokens: 50 },
        },
        {
          agent: 'planner',
          answer: { summary: 'refused; a person must look', escalate: true },
          usage: { input_tokens: 1200, output_tokens: 20 },
        },
      ],
    },
  };

  it('counts every call and token, and the refused proposal is recorded with source llm', async () => {
    const r = await runScenario(
      ScenarioSchema.parse({
        ...base,
        expect: {
          actions: [{ action: 'restart_service', target: 'sshd', result: 'refused', source: 'llm' }],
          model: { proposalsRefused: true },
        },
      }),
    );
    expect(r.reasons).toEqual([]);
    expect(r.model.mode).toBe('scripted');
    expect(r.model.byAgent.planner).toEqual({ calls: 2, tokens: 2270 });
    expect(r.model.calls).toBe(Object.values(r.model.byAgent).reduce((n, a) => n + a.calls, 0));
    expect(r.model.inputTokens + r.model.outputTokens).toBe(
      Object.values(r.model.byAgent).reduce((n, a) => n + a.tokens, 0),
    );
    expect(r.model.proposals).toEqual([expect.objectContaining({ minute: 5, name: 'restart_service', refused: true })]);
    expect(r.actions.filter((a) => a.source === 'llm').map((a) => `${a.action} ${a.target} ${a.result}`)).toEqual([
      'restart_service sshd.service refused',
    ]);
  });

  it('fails with readable reasons when the model is asked too often, a proposal runs, or a reply is never used', async () => {
    const s = ScenarioSchema.parse({
      ...base,
      config: { ...base.config, restartAllowlist: ['sshd'] },
      model: {
        ...base.model,
        replies: [
          ...base.model.replies,
          { agent: 'planner', answer: 'the planner has already answered: never served' },
        ],
      },
      expect: { model: { maxCalls: 1, proposalsRefused: true } },
    });
    const r = await runScenario(s);
    expect(r.pass).toBe(false);
    expect(r.reasons).toContain('1 scripted model replies were never served (4 calls made)');
    expect(r.reasons.find((x) => x.startsWith('expected at most 1 model calls'))).toMatch(
      /^expected at most 1 model calls, saw 4 \(evaluator 1, rca 1, planner 2\)$/,
    );
    expect(r.reasons.find((x) => x.startsWith("expected the model's restart_service"))).toMatch(
      /to be refused, it was run: ref: tool:restart_service#1/,
    );
  });
});
