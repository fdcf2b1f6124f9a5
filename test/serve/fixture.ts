// A state dir as `argus serve` finds it after weeks of cycles: snapshot, cycle state, 5-minute history ending now,
// a registry with incidents at known times (one still open), incidents.json. Everything relative to `now`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryPoint } from '../../src/model/history.js';
import type { ProblemRecord } from '../../src/model/record.js';
import { lcg, rec } from '../support/registry-gen.js';
import { disk, probe, service, snapshot } from '../support/snapshot.js';

export const STEP_MS = 5 * 60_000;
/** Host text that must stay text on the page (it would close the data block and run a script if it were HTML). */
export const HOSTILE_UNIT = '</script><img src=x onerror="document.title=1">\u2028&amp;.service';
const HOUR = 3_600_000;
const GB = 1e9;

export interface FixtureIncident {
  identity: string;
  type: string;
  severity: 'warning' | 'critical';
  openedAt: number;
  /** null: still open. */
  resolvedAt: number | null;
}

export interface StateFixture {
  dir: string;
  now: number;
  lastCycleAt: number;
  /** History points per range, as the files hold them. */
  points: { '24h': number; '7d': number; '30d': number };
  incidents: FixtureIncident[];
}

const lines = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join('\n') + '\n';

/**
 * `days` of history ending at `now`; `lastCycleAgoSec` makes the state fresh (60) or stale (hours).
 * Incidents: nginx 3 h ago for 30 min (restart, success), /data 2 days ago for 2 h (alert), memory opened 40 min
 * ago and still open, one 20 days ago (only in the 30-day view).
 */
export function writeStateDir(
  dir: string,
  options: { now?: number; days?: number; lastCycleAgoSec?: number } = {},
): StateFixture {
  mkdirSync(dir, { recursive: true });
  const now = options.now ?? Date.now();
  const days = options.days ?? 30;
  const lastCycleAt = now - (options.lastCycleAgoSec ?? 60) * 1000;
  const iso = (ms: number) => new Date(ms).toISOString();

  const rnd = lcg(11);
  const history: HistoryPoint[] = [];
  const start = lastCycleAt - days * 24 * HOUR;
  for (let t = start + STEP_MS, i = 0; t <= lastCycleAt; t += STEP_MS, i++) {
    const h = (t - start) / HOUR;
    history.push({
      ts: iso(t),
      cycle_id: `c${i}`,
      mem_pct: Math.round((50 + 10 * Math.sin(h / 6) + rnd() * 4) * 10) / 10,
      swap_pct: Math.round((5 + rnd()) * 10) / 10,
      swap_in_bps: Math.round(rnd() * 20_000),
      swap_out_bps: Math.round(rnd() * 10_000),
      cpu_pct: Math.round((20 + rnd() * 30) * 10) / 10,
      load1: Math.round((0.5 + rnd() * 2) * 100) / 100,
      disks: { '/': 40 + Math.round(h / 100), '/data': 60 + Math.round((h % 240) / 10) },
      findings: 0,
      ok: true,
      duration_ms: 40,
    });
  }
  writeFileSync(join(dir, 'history.jsonl'), lines(history));

  const incidents: FixtureIncident[] = [
    {
      identity: 'service:nginx.service',
      type: 'service',
      severity: 'critical',
      openedAt: now - 3 * HOUR,
      resolvedAt: now - 2.5 * HOUR,
    },
    {
      identity: 'disk:/data',
      type: 'disk',
      severity: 'warning',
      openedAt: now - 48 * HOUR,
      resolvedAt: now - 46 * HOUR,
    },
    { identity: 'memory:host', type: 'memory', severity: 'warning', openedAt: now - 40 * 60_000, resolvedAt: null },
    ...(days >= 21
      ? [
          {
            identity: 'probe:gateway',
            type: 'probe',
            severity: 'critical' as const,
            openedAt: now - 20 * 24 * HOUR,
            resolvedAt: now - 20 * 24 * HOUR + HOUR,
          },
        ]
      : []),
  ];
  const records: ProblemRecord[] = [];
  for (const inc of incidents) {
    const id = `${inc.identity}#${iso(inc.openedAt)}`;
    const base = {
      identity: inc.identity,
      type: inc.type,
      severity: inc.severity,
      incident_id: id,
      description: `${inc.identity} is unwell`,
    };
    records.push(
      rec(inc.openedAt, { ...base, kind: 'detection' }),
      rec(inc.openedAt, { ...base, kind: 'transition', details: { transition: 'opened' } }),
    );
    const action = inc.type === 'service' ? `restart_service:${inc.identity.slice(8)}` : `alert:${inc.identity}`;
    records.push(
      rec(inc.openedAt + 60_000, {
        ...base,
        kind: 'action',
        action_taken: action,
        action_result: 'success',
        bead_id: inc.type === 'disk' ? 'argus-12' : null,
      }),
    );
    if (inc.resolvedAt !== null) {
      records.push(
        rec(inc.resolvedAt, {
          ...base,
          severity: 'info',
          kind: 'transition',
          description: `resolved ${inc.identity}`,
          details: { transition: 'resolved', duration_sec: (inc.resolvedAt - inc.openedAt) / 1000 },
        }),
      );
    }
  }
  records.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  writeFileSync(join(dir, 'problems.jsonl'), lines(records));

  const open = incidents.filter((i) => i.resolvedAt === null);
  writeFileSync(
    join(dir, 'incidents.json'),
    JSON.stringify({
      incidents: Object.fromEntries(
        open.map((i) => [
          i.identity,
          { identity: i.identity, severity: i.severity, openedAt: iso(i.openedAt), status: 'open' },
        ]),
      ),
    }),
  );
  writeFileSync(
    join(dir, 'snapshot.json'),
    JSON.stringify(
      snapshot({
        ts: iso(lastCycleAt),
        host: 'fixture',
        disks: [disk('/', 45), disk('/data', 72, { totalBytes: 500 * GB, usedBytes: 360 * GB, availBytes: 140 * GB })],
        services: [
          service('nginx.service'),
          service('api.service'),
          service(HOSTILE_UNIT, { activeState: 'failed', subState: 'failed' }),
        ],
        probes: [probe('gateway', true, { latencyMs: 35 })],
        tmux: [
          { socket: '/tmp/tmux-0/default', name: 'agent-1', windows: 2, createdAt: iso(now - HOUR), attached: false },
        ],
      }),
    ),
  );
  writeFileSync(
    join(dir, 'cycle_state.json'),
    JSON.stringify({
      cyclesTotal: history.length,
      consecutiveFailures: 0,
      lastCycleId: 'c-last',
      lastStartedAt: iso(lastCycleAt - 40),
      lastFinishedAt: iso(lastCycleAt),
      lastOk: true,
      lastError: null,
      lastDurationMs: 40,
      lastFindings: 1,
    }),
  );
  const count = (ms: number) => history.filter((p) => Date.parse(p.ts) >= now - ms).length;
  return {
    dir,
    now,
    lastCycleAt,
    points: { '24h': count(24 * HOUR), '7d': count(7 * 24 * HOUR), '30d': count(30 * 24 * HOUR) },
    incidents,
  };
}
