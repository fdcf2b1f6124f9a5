// MCP over stdio (`argus mcp`): stdout is the protocol, logs go to stderr and the log file.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Log } from '../log.js';

/** stdio: stdout is the protocol (logs go to stderr and the log file); returns when the client closes stdin. */
export async function serveStdio(makeServer: () => McpServer, log: Log): Promise<void> {
  const { StdioServerTransport: Transport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const server = makeServer();
  const transport = new Transport();
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  await server.connect(transport);
  closeWhenDrained(transport, () => void server.close());
  log.info('mcp stdio server ready');
  await closed;
}

/**
 * When stdin ends, close once every request already read has been answered: a client that writes its requests
 * and closes its end (a pipe, a script) still gets every response.
 */
function closeWhenDrained(transport: StdioServerTransport, close: () => void): void {
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
