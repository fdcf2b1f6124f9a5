// The one registry: read tools + the seven actions, names unique and verb-first snake_case.
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { ArgusError } from '../../src/errors.js';
import { ACTION_NAMES } from '../../src/model/action.js';
import { READ_TOOL_NAMES } from '../../src/agents/rca/tools.js';
import { checkToolNames, createToolRegistry, pickTools } from '../../src/tools/registry.js';
import type { ToolDef } from '../../src/tools/tool.js';
import { sandboxRegistry, toolSandbox, type ToolSandbox } from './harness.js';
import { AGENT_TOOL_NAMES } from '../../src/orchestrator/agent-tools/index.js';
import { RCA_TOOLS } from '../../src/agents/rca/agent.js';
import { ANALYSIS_TOOLS } from '../../src/agents/evaluator/analysis.js';
import { PLANNER_TOOLS } from '../../src/agents/executor/planner.js';

let box: ToolSandbox;
afterEach(() => box?.cleanup());

const stub = (name: string): ToolDef => ({
  name,
  title: name,
  description: 'stub',
  input: z.strictObject({}),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: async () => ({}),
});

describe('buildToolRegistry', () => {
  it('holds the read tools, the micro-agents and the seven actions, once each', () => {
    box = toolSandbox();
    const registry = sandboxRegistry(box);
    expect(registry.map((t) => t.name)).toEqual([...READ_TOOL_NAMES, ...AGENT_TOOL_NAMES, ...ACTION_NAMES]);
    expect(checkToolNames(registry)).toEqual([]);
    expect(Object.isFrozen(registry)).toBe(true);
  });

  it.each([
    ['rca', RCA_TOOLS],
    ['evaluator analysis', ANALYSIS_TOOLS],
    ['planner', PLANNER_TOOLS],
  ])('holds every tool the %s agent picks by name', (_agent, names) => {
    box = toolSandbox();
    expect(pickTools(sandboxRegistry(box), names).map((t) => t.name)).toEqual([...names]);
  });

  it('no tool is read-only and destructive at once; only the seven actions and `silence` (a state write) are not read-only', () => {
    box = toolSandbox();
    const registry = sandboxRegistry(box);
    for (const t of registry) expect(t.annotations.readOnlyHint && t.annotations.destructiveHint).toBe(false);
    expect(
      registry
        .filter((t) => !t.annotations.readOnlyHint)
        .map((t) => t.name)
        .sort(),
    ).toEqual([...ACTION_NAMES, 'silence'].sort());
  });
});

describe('createToolRegistry', () => {
  it.each([
    [['get_status', 'get_status'], /duplicate tool name "get_status"/],
    [['GetStatus'], /not a short verb-first snake_case/],
    [['status_get'], /not a short verb-first snake_case/],
    [['get-status'], /not a short verb-first snake_case/],
    [['get_status_' + 'x'.repeat(40)], /not a short verb-first snake_case/],
    [['run_shell'], /not a short verb-first snake_case/],
  ])('refuses %j', (names, message) => {
    expect(() => createToolRegistry(names.map(stub))).toThrow(message);
    expect(() => createToolRegistry(names.map(stub))).toThrow(ArgusError);
  });

  it('pickTools returns a named subset and refuses unknown names', () => {
    const registry = createToolRegistry(['get_status', 'kill_pid'].map(stub));
    expect(pickTools(registry, ['kill_pid']).map((t) => t.name)).toEqual(['kill_pid']);
    expect(() => pickTools(registry, ['exec'])).toThrow(/no tool named "exec"/);
    expect(() => pickTools(registry, ['get_status', 'kill_pid', 'get_statuses'])).toThrow(ArgusError);
  });
});
