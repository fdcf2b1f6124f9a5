// Synthetic registries and histories with known patterns (tests), and a streaming generator of N records (benchmark).
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryPoint } from '../../src/model/history.js';
import type { ProblemRecord } from '../../src/model/record.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const HOUR = 3_600_000;

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function rec(ts: number, fields: Partial<ProblemRecord> & Pick<ProblemRecord, 'kind' | 'type'>): ProblemRecord {
  return {
    ts: new Date(ts).toISOString(),
    severity: 'warning',
    description: '',
    action_taken: null,
    action_result: null,
    bead_id: null,
    host: 'web1',
    identity: null,
    incident_id: null,
    source: 'rule',
    cycle_id: null,
    details: {},
    ...fields,
  };
}

/** The facts the synthetic week was built from, for assertions. */
export const WEEK = {
  start: Date.parse('2024-05-06T00:00:00.000Z'),
  days: 7,
  service: 'service:nginx.service',
  restartsPerNight: 4,
  dataTotal: 500 * GIB,
  dataStart: 300 * GIB,
  dataPerHour: 1 * GIB,
  leakKey: 'node:4242',
  leakPerHour: 10 * MIB,
  failedIncident: 'inc-api-1',
} as const;

/** One incident: detection + opened, actions, resolved after `minutes`. */
function incident(
  t: number,
  identity: string,
  type: string,
  id: string,
  description: string,
  actions: Array<[string, ProblemRecord['action_result'], string | null]>,
  minutes: number,
  severity: ProblemRecord['severity'] = 'critical',
): ProblemRecord[] {
  const base = { identity, type, incident_id: id, severity, description };
  const out: ProblemRecord[] = [
    rec(t, { ...base, kind: 'detection', details: { state: 'failed' } }),
    rec(t, { ...base, kind: 'transition', details: { transition: 'opened', incident_id: id } }),
  ];
  actions.forEach(([action, result, bead], i) =>
    out.push(
      rec(t + (i + 1) * 60_000, {
        ...base,
        kind: 'action',
        action_taken: action,
        action_result: result,
        bead_id: bead,
      }),
    ),
  );
  out.push(
    rec(t + minutes * 60_000, {
      ...base,
      severity: 'info',
      kind: 'transition',
      description: `${identity} recovered`,
      details: { transition: 'resolved', incident_id: id },
    }),
  );
  return out;
}

/**
 * A week: nginx.service dies and is restarted 4 times every night at 03:00–03:30; /data fills at 1 GiB/h;
 * node:4242 leaks 10 MiB/h; one api.service incident whose restart failed and was escalated (a post-mortem);
 * one disk warning on / (noise, no pattern). Writes problems.jsonl and history.jsonl into `dir`.
 */
export function generateWeek(dir: string): { registryPath: string; historyPath: string; since: Date; until: Date } {
  const records: ProblemRecord[] = [];
  for (let d = 0; d < WEEK.days; d++) {
    const night = WEEK.start + d * 24 * HOUR + 3 * HOUR;
    for (let k = 0; k < WEEK.restartsPerNight; k++) {
      records.push(
        ...incident(
          night + k * 10 * 60_000,
          WEEK.service,
          'service',
          `inc-nginx-${d}-${k}`,
          'nginx.service is failed',
          [['restart_service:nginx.service', 'success', null]],
          5,
        ),
      );
    }
  }
  const api = WEEK.start + 2 * 24 * HOUR + 14 * HOUR;
  records.push(
    ...incident(
      api,
      'service:api.service',
      'service',
      WEEK.failedIncident,
      'api.service is failed',
      [
        ['restart_service:api.service', 'failure', null],
        ['create_bead:service:api.service', 'success', 'argus-7'],
      ],
      50,
    ),
    rec(api + 3 * 60_000, {
      kind: 'decision',
      type: 'rca',
      identity: 'service:api.service',
      incident_id: WEEK.failedIncident,
      description: 'rca',
      details: { cause: 'api.service exits: port 8080 already in use by a stray node process' },
    }),
  );
  const disk = WEEK.start + 4 * 24 * HOUR + 16 * HOUR;
  records.push(
    ...incident(
      disk,
      'disk:/',
      'disk',
      'inc-root-1',
      'disk / at 91 %',
      [['alert:disk:/', 'success', null]],
      10,
      'warning',
    ),
  );
  records.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  const registryPath = join(dir, 'problems.jsonl');
  writeLines(registryPath, records);

  const rnd = lcg(42);
  const noise = (amp: number) => (rnd() * 2 - 1) * amp;
  const points: HistoryPoint[] = [];
  const step = 5 * 60_000;
  for (let t = WEEK.start, i = 0; t < WEEK.start + WEEK.days * 24 * HOUR; t += step, i++) {
    const h = (t - WEEK.start) / HOUR;
    const rootUsed = 20 * GIB + noise(0.1 * GIB);
    const dataUsed = WEEK.dataStart + WEEK.dataPerHour * h + noise(0.05 * GIB);
    points.push({
      ts: new Date(t).toISOString(),
      cycle_id: `c${i}`,
      mem_pct: Math.round((55 + noise(1)) * 10) / 10,
      swap_pct: Math.round((5 + noise(0.5)) * 10) / 10,
      swap_in_bps: 0,
      swap_out_bps: 0,
      cpu_pct: Math.round((20 + noise(5)) * 10) / 10,
      load1: 0.5,
      disks: {
        '/': Math.round((100 * rootUsed) / (100 * GIB)),
        '/data': Math.round((100 * dataUsed) / WEEK.dataTotal),
      },
      disk_used: { '/': Math.round(rootUsed), '/data': Math.round(dataUsed) },
      disk_total: { '/': 100 * GIB, '/data': WEEK.dataTotal },
      top_rss: {
        'postgres:812': Math.round(800 * MIB + noise(5 * MIB)),
        'nginx:1200': Math.round(50 * MIB + noise(MIB)),
        [WEEK.leakKey]: Math.round(200 * MIB + WEEK.leakPerHour * h + noise(MIB)),
      },
      findings: 0,
      ok: true,
      duration_ms: 40,
    });
  }
  const historyPath = join(dir, 'history.jsonl');
  writeLines(historyPath, points);
  return {
    registryPath,
    historyPath,
    since: new Date(WEEK.start),
    until: new Date(WEEK.start + WEEK.days * 24 * HOUR),
  };
}

function writeLines(path: string, values: readonly unknown[]): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, values.map((v) => JSON.stringify(v)).join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}

/**
 * Stream `n` plausible records to `path` (detections, transitions, actions over 50 identities, one minute apart,
 * ending at `end`), in chunks: the generator's own memory stays flat for a million records.
 */
export function generateRegistry(path: string, n: number, end = Date.parse('2025-01-01T00:00:00.000Z')): void {
  const rnd = lcg(7);
  const types = ['service', 'disk', 'memory', 'process', 'probe'] as const;
  const results = ['success', 'success', 'success', 'failure', 'refused'] as const;
  const fd = openSync(path, 'w');
  try {
    let chunk: string[] = [];
    for (let i = 0; i < n; i++) {
      const ts = end - (n - i) * 60_000;
      const group = Math.floor(i / 4);
      const id = (group * 7919) % 50;
      const type = types[id % types.length]!;
      const identity = `${type}:subject-${id}`;
      const incident = `inc-${group}`;
      const phase = i % 4;
      const r =
        phase === 0
          ? rec(ts, {
              kind: 'detection',
              type,
              identity,
              incident_id: incident,
              description: `${identity} at ${Math.round(rnd() * 100)} %`,
            })
          : phase === 1
            ? rec(ts, {
                kind: 'transition',
                type,
                identity,
                incident_id: incident,
                description: `${identity} opened`,
                details: { transition: 'opened' },
              })
            : phase === 2
              ? rec(ts, {
                  kind: 'action',
                  type,
                  identity,
                  incident_id: incident,
                  description: `act on ${identity}`,
                  action_taken: `alert:${identity}`,
                  action_result: results[Math.floor(rnd() * results.length)]!,
                })
              : rec(ts, {
                  kind: 'transition',
                  type,
                  identity,
                  incident_id: incident,
                  description: `${identity} resolved`,
                  details: { transition: 'resolved' },
                });
      chunk.push(JSON.stringify(r));
      if (chunk.length >= 5000) {
        writeSync(fd, chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    if (chunk.length) writeSync(fd, chunk.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}
