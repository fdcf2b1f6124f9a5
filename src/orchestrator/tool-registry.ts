// The one tool registry of the composition root: the rca read tools, then the executor's seven action tools.
import type { ActionContext, Gate } from '../agents/executor/action.js';
import { actionTools } from '../agents/executor/tools.js';
import { readTools, type ReadToolDeps, type ReadToolOptions } from '../agents/rca/tools.js';
import { createToolRegistry } from '../tools/registry.js';
import type { ToolCallContext, ToolRegistry } from '../tools/tool.js';

export interface BuildToolRegistryOptions {
  gate: Gate;
  makeCtx: (call: ToolCallContext) => Promise<ActionContext>;
  deps: ReadToolDeps;
  readOptions?: ReadToolOptions;
}

/** Read tools first, then the seven actions (each through the gate). */
export function buildToolRegistry(options: BuildToolRegistryOptions): ToolRegistry {
  return createToolRegistry([...readTools(options.deps, options.readOptions), ...actionTools(options.gate, options.makeCtx)]);
}
