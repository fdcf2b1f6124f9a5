// Streamable HTTP transport for the MCP server: loopback by default, Host-header checked, bearer token required.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { NextFunction, Request, Response } from 'express';
import { ArgusError } from '../errors.js';
import type { Log } from '../log.js';

export const MCP_PATH = '/mcp';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const WILDCARD = new Set(['0.0.0.0', '::']);

export interface HttpServerOptions {
  host: string;
  port: number;
  /** The bearer token clients must send; refuse to start without one. */
  token: string;
  /** Host header names accepted besides the loopback ones (needed when binding a non-loopback address). */
  allowedHosts?: readonly string[];
  /** A fresh server per request (stateless mode: no session state to leak or exhaust). */
  makeServer: () => McpServer;
  log: Log;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Constant-time comparison of the presented token with the expected one (hashing first hides the length too). */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function rpcError(res: Response, status: number, message: string): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  if (options.token.length < 16) throw new ArgusError('mcp_token_missing', 'ARGUS_MCP_TOKEN must be set to a secret of at least 16 characters');
  const extra = [...(options.allowedHosts ?? [])];
  if (WILDCARD.has(options.host) && extra.length === 0) {
    throw new ArgusError('mcp_host_unprotected', `binding ${options.host} needs --allowed-host NAME (the Host header names clients use)`);
  }
  const allowedHosts = LOOPBACK.has(options.host) && extra.length === 0 ? undefined : [...new Set(['localhost', '127.0.0.1', '[::1]', ...extra, ...(WILDCARD.has(options.host) ? [] : [options.host])])];
  const app = createMcpExpressApp({ host: options.host, ...(allowedHosts ? { allowedHosts } : {}) });

  const auth = (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m || !tokenMatches(m[1]!, options.token)) {
      options.log.warn({ remote: req.socket.remoteAddress, presented: Boolean(m) }, 'mcp http: unauthorised request');
      res.setHeader('WWW-Authenticate', 'Bearer realm="argus"');
      rpcError(res, 401, m ? 'invalid bearer token' : 'missing bearer token');
      return;
    }
    next();
  };

  app.post(MCP_PATH, auth, async (req: Request, res: Response) => {
    const server = options.makeServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (error) {
      options.log.error({ err: error }, 'mcp http: request failed');
      if (!res.headersSent) rpcError(res, 500, 'internal error');
    }
  });
  const notAllowed = (_req: Request, res: Response): void => rpcError(res, 405, 'method not allowed (stateless server: POST only)');
  app.get(MCP_PATH, auth, notAllowed);
  app.delete(MCP_PATH, auth, notAllowed);

  const listener = app.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    listener.once('listening', resolve);
    listener.once('error', reject);
  });
  const port = (listener.address() as AddressInfo).port;
  const shown = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shown}:${port}${MCP_PATH}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        listener.closeAllConnections();
        listener.close(() => resolve());
      }),
  };
}
