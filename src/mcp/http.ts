// Streamable HTTP transport for the MCP server: loopback by default, Host-header checked, bearer token required.
// The routes are mountable: `argus serve` serves them at /mcp beside its pages.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import express, { type NextFunction, type Request, type Response } from 'express';
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
  makeServer: () => McpServer | Promise<McpServer>;
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

function rpcError(res: Response, status: number, message: string, code = -32000): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

/** Largest request body read, after the token was checked. */
const MAX_BODY = '1mb';

/** Refuse a configuration that would leave the endpoint open or guessable. Throws ArgusError with what to do. */
export function checkHttpOptions(options: Pick<HttpServerOptions, 'host' | 'token' | 'allowedHosts'>): void {
  if (options.token.trim().length < 16 || /\s/.test(options.token))
    throw new ArgusError(
      'mcp_token_missing',
      'ARGUS_MCP_TOKEN must be set to a secret of at least 16 characters, without spaces',
    );
  checkAllowedHosts(options.allowedHosts ?? []);
}

/** Refuse an empty, blank or path-like `--allowed-host` (an empty name must never widen what is accepted). */
export function checkAllowedHosts(hosts: readonly string[]): void {
  const blank = hosts.filter((h) => h.trim() === '' || /[\s/]/.test(h));
  if (blank.length)
    throw new ArgusError('mcp_host_invalid', `--allowed-host needs a host name, not ${JSON.stringify(blank[0])}`);
}

/** What the /mcp routes need: the bearer token and a fresh server per request. */
export type McpRouteOptions = Pick<HttpServerOptions, 'token' | 'log'> & {
  makeServer: () => McpServer | Promise<McpServer>;
};

/**
 * The MCP endpoint as routes another app can mount (`argus serve` mounts them at /mcp; `argus mcp --http` serves only
 * them). Order matters: the token is checked first, and only then is the body read — a stranger's body is never
 * parsed. Every error, a malformed or oversized body included, is a JSON-RPC error, never a page with file paths.
 * Mounted at a prefix, the router answers its root (`/mcp`); standalone, `MCP_PATH` itself.
 */
export function mcpRouter(options: McpRouteOptions, path = '/'): express.Router {
  const router = express.Router();
  router.use((req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m || !tokenMatches(m[1]!, options.token)) {
      options.log.warn({ remote: req.socket.remoteAddress, presented: Boolean(m) }, 'mcp http: unauthorised request');
      res.setHeader('WWW-Authenticate', 'Bearer realm="argus"');
      rpcError(res, 401, m ? 'invalid bearer token' : 'missing bearer token');
      return;
    }
    next();
  });
  router.use(express.json({ limit: MAX_BODY }));
  router.post(path, async (req: Request, res: Response) => {
    let server: McpServer | undefined;
    let transport: { close(): Promise<void> } | undefined;
    res.on('close', () => {
      void transport?.close();
      void server?.close();
    });
    try {
      // Loaded on the first MCP request: a server that only shows pages never holds the SDK's transport (~15 MB).
      const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
      const t = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      transport = t;
      server = await options.makeServer();
      await server.connect(t);
      await t.handleRequest(req, res, req.body);
    } catch (error) {
      options.log.error({ err: error }, 'mcp http: request failed');
      if (!res.headersSent) rpcError(res, 500, 'internal error');
    }
  });
  const notAllowed = (_req: Request, res: Response): void =>
    rpcError(res, 405, 'method not allowed (stateless server: POST only)');
  router.get(path, notAllowed);
  router.delete(path, notAllowed);
  router.use((_req: Request, res: Response) => rpcError(res, 404, `not found: the endpoint is ${MCP_PATH}`));
  router.use(jsonRpcErrors(options.log));
  return router;
}

/** An express error handler that answers every error as a JSON-RPC error (parse error -32700 for a malformed body). */
export function jsonRpcErrors(log: Log) {
  return (error: { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction): void => {
    if (error.type === 'entity.parse.failed') return rpcError(res, 400, 'parse error: the body is not JSON', -32700);
    if (error.type === 'entity.too.large') return rpcError(res, 413, `request body larger than ${MAX_BODY}`);
    log.error({ err: error }, 'mcp http: request failed');
    return rpcError(res, error.status && error.status < 500 ? error.status : 500, 'request refused');
  };
}

/** The Host header names to accept for a bind address (DNS-rebinding protection); throws when a wildcard has none. */
export function allowedHostsFor(host: string, extra: readonly string[] = []): string[] {
  if (WILDCARD.has(host) && extra.length === 0) {
    throw new ArgusError(
      'mcp_host_unprotected',
      `binding ${host} needs --allowed-host NAME (the Host header names clients use)`,
    );
  }
  return [
    ...new Set([
      'localhost',
      '127.0.0.1',
      '[::1]',
      ...extra,
      ...(WILDCARD.has(host) || LOOPBACK.has(host) ? [] : [host.includes(':') ? `[${host}]` : host]),
    ]),
  ];
}

/** A loopback bind address: only this machine can connect. */
export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

/** `argus mcp --http`: an app with only the MCP endpoint (Host header, then token, then body). */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  checkHttpOptions(options);
  const app = express();
  app.disable('x-powered-by');
  app.use(hostHeaderValidation(allowedHostsFor(options.host, options.allowedHosts)));
  app.use(mcpRouter(options, MCP_PATH));

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
