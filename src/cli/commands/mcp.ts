// `argus mcp`: serve the tool registry over MCP — stdio (default) or Streamable HTTP with a bearer token (--http).
import type { ActionContext } from '../../agents/executor/action.js';
import type { Log } from '../../log.js';
import type { ToolCallContext, ToolRegistry } from '../../tools/tool.js';
import { EXIT, type Command, type CommandIO } from '../command.js';
import { commandLog, loadOrExplain, parseFlags, parsePort, type Loaded } from '../common.js';

const USAGE = 'usage: argus mcp [--dry-run] [--http [--port 8787] [--host 127.0.0.1] [--allowed-host NAME]...] [--config FILE]\n';

/**
 * The registry the MCP server serves, built on the composition root's gate. Action calls get a context with the
 * latest snapshot (for the PID-reuse guard), no cycle id (the gate's rolling budgets apply) and an unbuffered notifier
 * (an alert from Athena is delivered at once, not at the end of a cycle that never comes).
 */
export async function buildMcpDeps(loaded: Loaded, log: Log): Promise<ToolRegistry> {
  const { config, paths } = loaded;
  // Loaded here, not at the top: usage errors answer without paying for the whole runtime.
  const { createNotifier, createRuntime } = await import('../../orchestrator/compose.js');
  const { defaultSafelist } = await import('../../agents/executor/actions/clean-disk.js');
  const { readSnapshot } = await import('../../agents/rca/read-tools/deps.js');
  const { buildToolRegistry } = await import('../../orchestrator/tool-registry.js');
  const { ApprovalStore, approvalsDir } = await import('../../state/approvals.js');
  const { holdForApproval, getApprovalTool } = await import('../../solicitor/mcp.js');
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
      return { hold: holdForApproval({ store, registry: runtime.registry, host: config.hostname ?? runtime.host.hostname() }), tools: [getApprovalTool(store)] };
    })(),
  });
}

const mcp: Command = async (argv, io) => {
  const flags = parseFlags(
    argv,
    {
      http: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    io,
  );
  if (!flags) return EXIT.USAGE;
  if (flags.values.help) {
    io.stderr(USAGE);
    return EXIT.OK;
  }
  const port = parsePort(flags.values.port, io, USAGE);
  if (port === null) return EXIT.USAGE;
  if (flags.values.http && !io.env.ARGUS_MCP_TOKEN) {
    io.stderr('argus: --http needs ARGUS_MCP_TOKEN (a secret of at least 16 characters; put it in the environment file)\n');
    return EXIT.USAGE;
  }
  const loaded = loadOrExplain(io, flags.values.config, flags.values['dry-run'] ? { dryRun: true } : {});
  if (typeof loaded === 'number') return loaded;
  const log = commandLog(loaded.paths, io).child({ agent: 'mcp' });
  const registry = await buildMcpDeps(loaded, log);
  const { createServer } = await import('../../mcp/server.js');
  if (!flags.values.http) return serveStdio(() => createServer(registry, { log }), log);
  return serveHttp(io, log, {
    host: flags.values.host ?? '127.0.0.1',
    port,
    token: io.env.ARGUS_MCP_TOKEN!,
    allowedHosts: flags.values['allowed-host'] ?? [],
    makeServer: () => createServer(registry, { log }),
  });
};
export default mcp;

/** stdio: stdout is the protocol (logs go to stderr and the log file); returns when the client closes stdin. */
async function serveStdio(makeServer: () => import('@modelcontextprotocol/sdk/server/mcp.js').McpServer, log: Log): Promise<number> {
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const server = makeServer();
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  await server.connect(transport);
  closeWhenDrained(transport, () => void server.close());
  log.info('mcp stdio server ready');
  await closed;
  return EXIT.OK;
}

/**
 * When stdin ends, close once every request already read has been answered: a client that writes its requests
 * and closes its end (a pipe, a script) still gets every response.
 */
function closeWhenDrained(transport: import('@modelcontextprotocol/sdk/server/stdio.js').StdioServerTransport, close: () => void): void {
  let pending = 0;
  let ended = false;
  const check = (): void => {
    if (ended && pending === 0) close();
  };
  const receive = transport.onmessage;
  transport.onmessage = (message) => {
    if ('method' in message && 'id' in message) pending++;
    receive?.(message);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message) => {
    await send(message);
    if (!('method' in message) && 'id' in message) {
      pending--;
      check();
    }
  };
  process.stdin.once('end', () => {
    ended = true;
    check();
  });
}

async function serveHttp(
  io: CommandIO,
  log: Log,
  options: Omit<import('../../mcp/http.js').HttpServerOptions, 'log'>,
): Promise<number> {
  const { startHttpServer } = await import('../../mcp/http.js');
  let running;
  try {
    running = await startHttpServer({ ...options, log });
  } catch (error) {
    io.stderr(`argus: ${(error as Error).message}\n`);
    return (error as { code?: string }).code?.startsWith('mcp_') ? EXIT.USAGE : EXIT.FAILED;
  }
  io.stderr(`argus mcp: listening on ${running.url}\n`);
  log.info({ url: running.url }, 'mcp http server ready');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await running.close();
  return EXIT.OK;
}
