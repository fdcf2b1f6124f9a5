// One way to answer with text: no caching (everything here is live), gzip when the client takes it.
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

/** Compress text bodies when the client takes gzip (the dashboard's data is mostly numbers: ~5× smaller). */
export function sendText(req: Request, res: Response, type: string, body: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Vary', 'Accept-Encoding');
  if (body.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.setHeader('Content-Encoding', 'gzip');
    res.end(req.method === 'HEAD' ? undefined : gzipSync(body, { level: 6 }));
    return;
  }
  res.end(req.method === 'HEAD' ? undefined : body);
}
