// The one tool registry of the composition root: the rca read tools, the micro-agents as tools, the seven actions.
import type { ActionContext, Gate } from '../agents/executor/action.js';
import { actionTools, type HoldForApproval } from '../agents/executor/tools.js';
import { readTools, type ReadToolDeps, type ReadToolOptions } from '../agents/rca/tools.js';
import { createToolRegistry } from '../tools/registry.js';
import { agentTools } from './agent-tools/index.js';
import type { ToolCallContext, ToolRegistry } from '../tools/tool.js';

export interface BuildToolRegistryOptions {
  gate: Gate;
  makeCtx: (call: ToolCallContext) => Promise<ActionContext>;
  deps: ReadToolDeps;
  readOptions?: ReadToolOptions;
  /** The Solicitor: actions a person may approve are held (pending approval) and `get_approval` reads their state. */
  approvals?: { hold: HoldForApproval; tools: ToolRegistry };
}

/** Read tools first, then the micro-agents, then the seven actions (each through the gate). */
export function buildToolRegistry(options: BuildToolRegistryOptions): ToolRegistry {
  return createToolRegistry([
    ...readTools(options.deps, options.readOptions),
    ...(options.approvals?.tools ?? []),
    ...agentTools(options.deps),
    ...actionTools(options.gate, options.makeCtx, options.approvals?.hold),
  ]);
}
