// `argus serve`: the dashboard, /metrics, /healthz and /mcp in one long-running HTTP server (loopback by default).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolRegistry } from '../../tools/tool.js';
import { EXIT, type Command } from '../command.js';
import { commandEnv, commandLog, loadOrExplain, parseFlags, parsePort } from '../common.js';

const USAGE =
  'usage: argus serve [--host 127.0.0.1] [--port 8787] [--allowed-host NAME]... [--dry-run] [--read-only] [--config FILE]\n';

const serve: Command = async (argv, io) => {
  const flags = parseFlags(
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      'read-only': { type: 'boolean' },
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
  const loaded = loadOrExplain(io, flags.values.config, flags.values['dry-run'] ? { dryRun: true } : {});
  if (typeof loaded === 'number') return loaded;
  const token = commandEnv(io).env.ARGUS_MCP_TOKEN || null;
  const readOnly = flags.values['read-only'] === true;
  const log = commandLog(loaded.paths, io).child({ agent: 'serve' });
  const { startServe } = await import('../../serve/app.js');

  // The MCP side (the SDK, the gate, the tool registry) is built on the first /mcp request: a server that only shows
  // pages never pays for it.
  let registry: Promise<ToolRegistry> | null = null;
  const makeMcpServer = async (): Promise<McpServer> => {
    const { buildMcpRegistry } = await import('../../orchestrator/mcp-registry.js');
    const { createServer } = await import('../../mcp/server.js');
    // --read-only (the shipped unit, whose state dir is read-only): only the tools that change nothing.
    registry ??= buildMcpRegistry(loaded, log.child({ agent: 'mcp' })).then((all) =>
      readOnly ? all.filter((t) => t.annotations.readOnlyHint === true) : all,
    );
    return createServer(await registry, { log, docsDirs: [loaded.paths.docs] });
  };

  // The fleet receiver (POST /alertmanager): its gate, notifier and bead keeper are composed on the first webhook.
  const { createAlertmanagerReceiver } = await import('../../fleet/receiver.js');
  const { fleetGroupsPath } = await import('../../fleet/group-state.js');
  const alertmanager = createAlertmanagerReceiver({
    statePath: fleetGroupsPath(loaded.paths.stateDir),
    readOnly,
    ports: async () =>
      (await import('../../orchestrator/fleet-receiver.js')).composeReceiverPorts(loaded.config, loaded.paths, { log }),
    now: () => new Date(),
    log,
  });

  let running;
  try {
    running = await startServe({
      host: flags.values.host ?? '127.0.0.1',
      port,
      token,
      allowedHosts: flags.values['allowed-host'] ?? [],
      paths: loaded.paths,
      intervalSec: loaded.config.intervalSec,
      makeMcpServer: token ? makeMcpServer : null,
      log,
      alertmanager,
    });
  } catch (error) {
    io.stderr(`argus: ${(error as Error).message}\n`);
    return (error as { code?: string }).code?.startsWith('mcp_') ? EXIT.USAGE : EXIT.FAILED;
  }
  io.stderr(
    `argus serve: listening on ${running.url} (state in ${loaded.paths.stateDir}; /mcp ${token ? 'on' : 'off: no ARGUS_MCP_TOKEN'}; /alertmanager ${readOnly ? 'off: --read-only' : 'on'})\n`,
  );
  log.info({ url: running.url, mcp: Boolean(token) }, 'serve ready');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await running.close();
  // Notifications already answered 200 are acted on before exit, within the unit's TimeoutStopSec (10 s).
  await Promise.race([alertmanager.idle(), new Promise((r) => setTimeout(r, 8_000).unref())]);
  return EXIT.OK;
};
export default serve;
