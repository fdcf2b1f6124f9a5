// `argus mcp`: serve the tool registry over MCP — stdio (default) or Streamable HTTP with a bearer token (--http).
import type { Log } from '../../log.js';
import { EXIT, type Command, type CommandIO } from '../command.js';
import { commandLog, loadOrExplain, parseFlags, parsePort } from '../common.js';

const USAGE =
  'usage: argus mcp [--dry-run] [--http [--port 8787] [--host 127.0.0.1] [--allowed-host NAME]...] [--config FILE]\n';

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
    io.stderr(
      'argus: --http needs ARGUS_MCP_TOKEN (a secret of at least 16 characters; put it in the environment file)\n',
    );
    return EXIT.USAGE;
  }
  const loaded = loadOrExplain(io, flags.values.config, flags.values['dry-run'] ? { dryRun: true } : {});
  if (typeof loaded === 'number') return loaded;
  const log = commandLog(loaded.paths, io).child({ agent: 'mcp' });
  const { buildMcpRegistry } = await import('../../orchestrator/mcp-registry.js');
  const registry = await buildMcpRegistry(loaded, log);
  const { createServer } = await import('../../mcp/server.js');
  if (!flags.values.http) {
    const { serveStdio } = await import('../../mcp/stdio.js');
    await serveStdio(() => createServer(registry, { log, docsDirs: [loaded.paths.docs] }), log);
    return EXIT.OK;
  }
  return serveHttp(io, log, {
    host: flags.values.host ?? '127.0.0.1',
    port,
    token: io.env.ARGUS_MCP_TOKEN!,
    allowedHosts: flags.values['allowed-host'] ?? [],
    makeServer: () => createServer(registry, { log, docsDirs: [loaded.paths.docs] }),
  });
};
export default mcp;

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
