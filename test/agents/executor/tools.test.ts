// The seven action tools: truthful hints, the public input contract, and every call through the real gate.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Gate } from '../../../src/agents/executor/action.js';
import { actionTools } from '../../../src/agents/executor/tools.js';
import { ACTION_INPUT_SCHEMAS, ACTION_NAMES, type ActionRequest } from '../../../src/model/action.js';
import { ToolError, type ToolDef } from '../../../src/tools/tool.js';
import { makeCtxFor, realGate, toolSandbox, type ToolSandbox } from '../../tools/harness.js';

let box: ToolSandbox;
afterEach(() => box?.cleanup());

function tools(gate?: Gate): Map<string, ToolDef> {
  return new Map(actionTools(gate ?? realGate(box), makeCtxFor(box)).map((t) => [t.name, t]));
}

describe('actionTools', () => {
  it('serves exactly the seven actions with their public input schemas', () => {
    box = toolSandbox();
    const all = tools();
    expect([...all.keys()].sort()).toEqual([...ACTION_NAMES].sort());
    for (const name of ACTION_NAMES) expect(all.get(name)!.input).toBe(ACTION_INPUT_SCHEMAS[name]);
  });

  it.each([
    ['restart_service', { readOnlyHint: false, destructiveHint: true, openWorldHint: false }],
    ['kill_pid', { readOnlyHint: false, destructiveHint: true, openWorldHint: false }],
    ['kill_tmux', { readOnlyHint: false, destructiveHint: true, openWorldHint: false }],
    ['clean_disk', { readOnlyHint: false, destructiveHint: true, openWorldHint: false }],
    ['alert', { readOnlyHint: false, destructiveHint: false, openWorldHint: true }],
    ['create_bead', { readOnlyHint: false, destructiveHint: false, openWorldHint: true }],
    ['log', { readOnlyHint: false, destructiveHint: false, openWorldHint: false }],
  ])('%s declares truthful hints', (name, hints) => {
    box = toolSandbox();
    const def = tools().get(name)!;
    expect(def.annotations).toMatchObject({ ...hints, idempotentHint: false });
    expect(def.description.length).toBeGreaterThan(100);
    expect(def.description).toMatch(/Refused/);
  });

  it('passes the request to the gate with the caller as source, identity and incident', async () => {
    box = toolSandbox();
    const seen: ActionRequest[] = [];
    const gate: Gate = {
      run: async (request) => {
        seen.push(request);
        return { result: 'success', reason: 'done', details: { n: 1 }, record: { ts: 'x' } };
      },
    };
    const out = await tools(gate)
      .get('log')!
      .run({ observation: 'disk fills at 03:00' }, { source: 'llm', identity: 'disk:/', incidentId: 'disk:/#1' });
    expect(seen).toEqual([
      {
        action: 'log',
        input: { observation: 'disk fills at 03:00' },
        source: 'llm',
        identity: 'disk:/',
        incidentId: 'disk:/#1',
      },
    ]);
    expect(out).toEqual({ result: 'success', reason: 'done', details: { n: 1 }, record: { ts: 'x' } });
  });

  it('a refusal by the real gate is a ToolError carrying the structured result, and is recorded with its source', async () => {
    box = toolSandbox();
    const error = await tools()
      .get('kill_pid')!
      .run({ pid: 1, reason: 'free memory' }, { source: 'llm' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).message).toMatch(/^kill_pid refused: /);
    expect((error as ToolError).structured).toMatchObject({ result: 'refused' });
    const records = box.records();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      kind: 'action',
      source: 'llm',
      action_result: 'refused',
      action_taken: 'kill_pid:1',
    });
  });

  it('a successful action returns its result and the record', async () => {
    box = toolSandbox();
    const out = await tools().get('log')!.run({ observation: 'swap climbs nightly' }, { source: 'mcp' });
    expect(out).toMatchObject({ result: 'success' });
    expect(readFileSync(box.paths.observations, 'utf8')).toContain('swap climbs nightly');
    expect(box.records()).toEqual([expect.objectContaining({ source: 'mcp', action_result: 'success' })]);
  });

  it('dry_run is a normal result, not an error', async () => {
    box = toolSandbox();
    const gate: Gate = { run: async () => ({ result: 'dry_run', reason: 'would kill 42', details: {}, record: null }) };
    await expect(
      tools(gate).get('kill_pid')!.run({ pid: 42, reason: 'x', dry_run: true }, { source: 'mcp' }),
    ).resolves.toMatchObject({ result: 'dry_run' });
  });

  it('a failure is an error result too', async () => {
    box = toolSandbox();
    const gate: Gate = {
      run: async () => ({ result: 'failure', reason: 'systemctl exited 1', details: {}, record: null }),
    };
    await expect(
      tools(gate).get('restart_service')!.run({ service: 'nginx', reason: 'down' }, { source: 'mcp' }),
    ).rejects.toThrow('restart_service failure: systemctl exited 1');
  });
});
