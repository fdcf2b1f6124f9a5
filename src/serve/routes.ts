// The dashboard's routes (read-only): the page with its data inlined, and the same data as JSON for auto-refresh.
import express, { type Request, type Response } from 'express';
import type { StatePaths } from '../config/load.js';
import { DashboardCache, dashboardData, isRange, type Range } from './dashboard-data.js';
import { pageCsp, renderPage } from './page.js';
import { sendText } from './send.js';

export interface PageOptions {
  paths: StatePaths;
  intervalSec: number;
  now: () => Date;
}

const rangeOf = (req: Request): Range | null => {
  const r = req.query.range ?? '24h';
  return isRange(r) ? r : null;
};

export function dashboardRoutes(o: PageOptions): express.Router {
  const router = express.Router();
  const cache = new DashboardCache();
  const badRange = (res: Response) => res.status(400).json({ error: 'range must be 24h, 7d or 30d' });
  router.get('/', async (req: Request, res: Response) => {
    const range = rangeOf(req);
    if (!range) return void badRange(res);
    const data = await dashboardData(o.paths, o.intervalSec, range, o.now(), cache);
    res.setHeader('Content-Security-Policy', pageCsp());
    sendText(req, res, 'text/html; charset=utf-8', renderPage(data, 'served'));
  });
  router.get('/api/dashboard', async (req: Request, res: Response) => {
    const range = rangeOf(req);
    if (!range) return void badRange(res);
    sendText(
      req,
      res,
      'application/json; charset=utf-8',
      JSON.stringify(await dashboardData(o.paths, o.intervalSec, range, o.now(), cache)),
    );
  });
  return router;
}
