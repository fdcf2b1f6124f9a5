// Who may read `argus serve`: on loopback anyone on this machine (read-only pages); on any other address only a
// holder of the token — as a bearer header, or a browser session cookie obtained once with `?token=`.
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Log } from '../log.js';
import { tokenMatches } from '../mcp/http.js';

export const SESSION_COOKIE = 'argus_session';

/**
 * The cookie a browser gets for the token: a hash, so the token itself is never stored by the browser, and stable,
 * so a restart keeps sessions. Changing the token ends every session.
 */
export function sessionValue(token: string): string {
  return createHash('sha256').update(`argus-serve-session\u0000${token}`).digest('base64url');
}

function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

/** `token` null: every request passes (loopback). Otherwise every request must prove it holds the token. */
export function accessGuard(token: string | null, log: Log): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (token === null) return next();
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (bearer && tokenMatches(bearer[1]!, token)) return next();
    const session = cookie(req.headers.cookie, SESSION_COOKIE);
    if (session && tokenMatches(session, sessionValue(token))) return next();
    const url = new URL(req.originalUrl, 'http://argus.invalid');
    const offered = url.searchParams.get('token');
    if (offered !== null && (req.method === 'GET' || req.method === 'HEAD') && tokenMatches(offered, token)) {
      // Exchanged for a cookie at once, and the token taken out of the address bar (and so out of the history).
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${sessionValue(token)}; Path=/; HttpOnly; SameSite=Strict`);
      res.redirect(303, `${url.pathname}${url.search}`);
      return;
    }
    log.warn(
      { remote: req.socket.remoteAddress, path: url.pathname, presented: Boolean(bearer || session || offered) },
      'serve: unauthorised request',
    );
    res.setHeader('WWW-Authenticate', 'Bearer realm="argus"');
    res.status(401).json({
      error:
        'unauthorized: send Authorization: Bearer <ARGUS_MCP_TOKEN>, or open /?token=<ARGUS_MCP_TOKEN> once in a browser',
    });
  };
}
