// `argus serve`: one HTTP server for people (/), Prometheus (/metrics), Athena (/mcp), watchdogs (/healthz) and
// Alertmanager (POST /alertmanager, the fleet receiver).
//
// Order of the middleware is the security model: the Host header (DNS rebinding) → /mcp (its own bearer check, then
// the body) → the access guard (nothing on loopback; the token for every path elsewhere) → POST /alertmanager (its
// actions pass the gate, source alertmanager) → read-only routes (GET and HEAD only; nothing here acts on the
// machine) → 404 → errors as JSON (never a stack trace).
import type { AddressInfo } from 'node:net';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import express, { type NextFunction, type Request, type Response } from 'express';
import { RegistryTail } from '../agents/chronicler/counters.js';
import { renderMetrics } from '../agents/chronicler/prometheus.js';
import type { StatePaths } from '../config/load.js';
import { ArgusError } from '../errors.js';
import type { AlertmanagerReceiver } from '../fleet/receiver.js';
import type { Log } from '../log.js';
import {
  allowedHostsFor,
  checkAllowedHosts,
  checkHttpOptions,
  isLoopback,
  mcpRouter,
  MCP_PATH,
  type McpRouteOptions,
} from '../mcp/http.js';
import { accessGuard } from './access.js';
import { docsRoutes } from './docs.js';
import { dashboardRoutes } from './routes.js';
import { sendText } from './send.js';
import { metricsInput, readServeState } from './state.js';

export interface ServeOptions {
  host: string;
  port: number;
  /** ARGUS_MCP_TOKEN: required for /mcp, and for every path when the address is not loopback. */
  token: string | null;
  allowedHosts?: readonly string[];
  paths: StatePaths;
  /** ARGUS_INTERVAL: how old the last cycle may be (2 intervals) before /healthz says 503. */
  intervalSec: number;
  /** A fresh MCP server per /mcp request; null leaves /mcp off. */
  makeMcpServer: McpRouteOptions['makeServer'] | null;
  log: Log;
  now?: () => Date;
  /** The fleet receiver (src/fleet/receiver.ts) at POST /alertmanager; absent, the path is read-only like the rest. */
  alertmanager?: AlertmanagerReceiver | null;
}

export interface RunningServe {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Refuse what would expose the host: a non-loopback address without a token, a weak token, a blank allowed host. */
export function checkServeOptions(o: Pick<ServeOptions, 'host' | 'token' | 'allowedHosts'>): void {
  checkAllowedHosts(o.allowedHosts ?? []);
  if (o.token !== null) checkHttpOptions({ host: o.host, token: o.token, allowedHosts: o.allowedHosts ?? [] });
  else if (!isLoopback(o.host))
    throw new ArgusError(
      'mcp_token_missing',
      `serving on ${o.host} (not loopback) needs ARGUS_MCP_TOKEN: every path then asks for it`,
    );
  allowedHostsFor(o.host, o.allowedHosts);
}

export function createServeApp(o: ServeOptions): express.Express {
  checkServeOptions(o);
  const now = o.now ?? (() => new Date());
  const tail = new RegistryTail(o.paths.registry);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(hostHeaderValidation(allowedHostsFor(o.host, o.allowedHosts)));
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  if (o.token !== null && o.makeMcpServer)
    app.use(MCP_PATH, mcpRouter({ token: o.token, makeServer: o.makeMcpServer, log: o.log }));
  else
    app.use(MCP_PATH, (_req: Request, res: Response) => {
      res.status(404).json({
        jsonrpc: '2.0',
        error: {
          code: -32000,
          message: 'MCP over HTTP is off: set ARGUS_MCP_TOKEN (at least 16 characters) and restart argus serve',
        },
        id: null,
      });
    });
  app.use(accessGuard(isLoopback(o.host) ? null : o.token, o.log));
  if (o.alertmanager) app.use(o.alertmanager.router);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res.setHeader('Allow', 'GET, HEAD');
    res.status(405).json({ error: 'read-only: only GET and HEAD (actions go through /mcp with the token)' });
  });

  app.get('/healthz', (_req: Request, res: Response) => {
    const { freshness } = readServeState(o.paths, o.intervalSec, now());
    res.setHeader('Cache-Control', 'no-store');
    res.status(freshness.verdict === 'ok' ? 200 : 503).json({
      status: freshness.verdict,
      detail: freshness.line,
      lastCycleAt: freshness.lastAttemptAt,
      ageSec: freshness.ageSec === null ? null : Math.round(freshness.ageSec),
    });
  });
  app.get('/metrics', async (req: Request, res: Response) => {
    const state = readServeState(o.paths, o.intervalSec, now());
    const counters = await tail.refresh();
    sendText(req, res, 'text/plain; version=0.0.4; charset=utf-8', renderMetrics(metricsInput(state, counters)));
  });
  app.use(dashboardRoutes({ paths: o.paths, intervalSec: o.intervalSec, now }));
  // Where the chronicle writes (ARGUS_DOCS_DIR, else <state>/docs).
  app.use(docsRoutes([o.paths.docs]));

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found: /, /docs/, /healthz, /metrics, /mcp, /alertmanager' });
  });
  app.use((error: { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    o.log.error({ err: error }, 'serve: request failed');
    if (!res.headersSent)
      res
        .status(error.status && error.status < 500 ? error.status : 500)
        .json({ error: 'request failed (see the log)' });
  });
  return app;
}

export async function startServe(o: ServeOptions): Promise<RunningServe> {
  const app = createServeApp(o);
  const listener = app.listen(o.port, o.host);
  await new Promise<void>((resolve, reject) => {
    listener.once('listening', resolve);
    listener.once('error', reject);
  });
  const port = (listener.address() as AddressInfo).port;
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        listener.closeAllConnections();
        listener.close(() => resolve());
      }),
  };
}
