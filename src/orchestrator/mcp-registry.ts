// The registry MCP serves (`argus mcp`, `/mcp` of `argus serve`), assembled on the composition root's gate.
import type { ActionContext } from '../agents/executor/action.js';
import type { StatePaths } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Log } from '../log.js';
import type { ToolCallContext, ToolRegistry } from '../tools/tool.js';

/** What the registry needs of a loaded configuration. */
export interface McpLoaded {
  config: Config;
  paths: StatePaths;
}

/**
 * The registry the MCP server serves, built on the composition root's gate. Action calls get a context with the
 * latest snapshot (for the PID-reuse guard), no cycle id (the gate's rolling budgets apply) and an unbuffered notifier
 * (an alert from Athena is delivered at once, not at the end of a cycle that never comes).
 */
export async function buildMcpRegistry(loaded: McpLoaded, log: Log): Promise<ToolRegistry> {
  const { config, paths } = loaded;
  // Loaded here, not at the top: the module stays cheap to import until a registry is really built.
  const { createNotifier, createRuntime } = await import('./compose.js');
  const { defaultSafelist } = await import('../agents/executor/actions/clean-disk.js');
  const { readSnapshot } = await import('../agents/rca/read-tools/deps.js');
  const { buildToolRegistry } = await import('./tool-registry.js');
  const { ApprovalStore, approvalsDir } = await import('../state/approvals.js');
  const { holdForApproval, getApprovalTool } = await import('../solicitor/mcp.js');
  const runtime = await createRuntime(config, paths, { log });
  const notifier = createNotifier(config, paths, runtime.host, log);
  const makeCtx = async (call: ToolCallContext): Promise<ActionContext> => ({
    host: runtime.host,
    config,
    paths,
    log: log.child({ source: call.source }),
    snapshot: (await readSnapshot(paths.snapshot)).snapshot,
    notifier,
    dryRun: config.dryRun,
    cycleId: null,
  });
  return buildToolRegistry({
    gate: runtime.gate,
    makeCtx,
    deps: { host: runtime.host, config, paths, registry: runtime.registry, log },
    readOptions: { diskRoots: defaultSafelist(paths).map((r) => r.path) },
    // The Solicitor: a restart a person may approve answers "pending approval <id>"; get_approval reads it.
    approvals: (() => {
      const store = new ApprovalStore(approvalsDir(paths.stateDir));
      return {
        hold: holdForApproval({ store, registry: runtime.registry, host: config.hostname ?? runtime.host.hostname() }),
        tools: [getApprovalTool(store)],
      };
    })(),
  });
}
