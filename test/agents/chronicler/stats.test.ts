import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeLabel, toPrometheus, writeTextfile } from '../../../src/agents/chronicler/prometheus.js';
import { stats } from '../../../src/agents/chronicler/stats.js';
import { rec } from '../../support/registry-gen.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(`${tmpdir()}/argus-`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T = Date.parse('2024-06-01T10:15:00.000Z');
const H = 3_600_000;

function smallRegistry(): string {
  const nginx = { type: 'service', identity: 'service:nginx.service', severity: 'critical' as const };
  const lines = [
    rec(T - 30 * H, { ...nginx, kind: 'detection', description: 'too old: outside the window' }),
    rec(T, { ...nginx, kind: 'detection', description: 'nginx failed' }),
    rec(T, { ...nginx, kind: 'transition', description: 'opened', details: { transition: 'opened' } }),
    rec(T + 60_000, { ...nginx, kind: 'action', description: 'restart', action_taken: 'restart_service:nginx.service', action_result: 'failure' }),
    rec(T + 120_000, { ...nginx, kind: 'action', description: 'restart', action_taken: 'restart_service:nginx.service', action_result: 'success' }),
    rec(T + 180_000, { ...nginx, kind: 'action', description: 'restart', action_taken: 'restart_service:nginx.service', action_result: 'success', source: 'mcp' }),
    rec(T + H, { type: 'disk', identity: 'disk:/', kind: 'detection', description: 'disk / at 91 %' }),
    rec(T + H, { type: 'disk', identity: 'disk:/', kind: 'detection', description: 'disk / at 92 %' }),
    rec(T + H, { type: 'disk', identity: 'disk:/', kind: 'action', description: 'alert', action_taken: 'alert:disk:/', action_result: 'success' }),
    rec(T + 26 * H, { type: 'memory', identity: 'memory:host', kind: 'detection', severity: 'info', description: 'memory "high"\nnext line' }),
  ];
  const path = join(dir, 'problems.jsonl');
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"torn": \n');
  return path;
}

/** A tiny parser of the text exposition format: HELP/TYPE comments and samples with escaped label values. */
function parseProm(text: string) {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  for (const line of lines) {
    let m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (m) {
      (m[1] === 'HELP' ? help : types).set(m[2]!, m[3]!);
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`bad line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
    let lm: RegExpExecArray | null;
    let consumed = 0;
    while ((lm = re.exec(body))) {
      labels[lm[1]!] = lm[2]!.replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c));
      consumed = re.lastIndex;
    }
    expect(consumed).toBe(body.length);
    expect(types.has(m[1]!), `TYPE before ${m[1]}`).toBe(true);
    expect(help.has(m[1]!)).toBe(true);
    expect(m[3]).toMatch(/^(-?\d+(\.\d+)?(e[+-]?\d+)?|NaN|[+-]Inf)$/);
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

describe('stats', () => {
  it('counts a small registry exactly', async () => {
    const s = await stats({ registryPath: smallRegistry(), since: new Date(T - 24 * H), until: new Date(T + 48 * H) });
    expect(s.records).toBe(9);
    expect(s.detections).toBe(4);
    expect(s.incidents).toBe(1);
    expect(s.by_type).toEqual({ disk: 2, memory: 1, service: 1 });
    expect(s.by_severity).toEqual({ critical: 1, info: 1, warning: 2 });
    expect(s.by_type_severity).toEqual([
      { type: 'disk', severity: 'warning', count: 2 },
      { type: 'memory', severity: 'info', count: 1 },
      { type: 'service', severity: 'critical', count: 1 },
    ]);
    expect(s.actions).toEqual([
      { action: 'alert', result: 'success', source: 'rule', count: 1 },
      { action: 'restart_service', result: 'failure', source: 'rule', count: 1 },
      { action: 'restart_service', result: 'success', source: 'mcp', count: 1 },
      { action: 'restart_service', result: 'success', source: 'rule', count: 1 },
    ]);
    expect(s.success_rates).toEqual([
      { action: 'alert', success: 1, failure: 0, success_pct: 100 },
      { action: 'restart_service', success: 2, failure: 1, success_pct: 66.7 },
    ]);
    expect(s.hourly).toEqual([
      { key: '2024-06-01T10', detections: 1, incidents: 1, actions: 3 },
      { key: '2024-06-01T11', detections: 2, incidents: 0, actions: 1 },
      { key: '2024-06-02T12', detections: 1, incidents: 0, actions: 0 },
    ]);
    expect(s.daily).toEqual([
      { key: '2024-06-01', detections: 3, incidents: 1, actions: 4 },
      { key: '2024-06-02', detections: 1, incidents: 0, actions: 0 },
    ]);
  });

  it('renders valid Prometheus text, parsed line by line', async () => {
    const s = await stats({ registryPath: smallRegistry(), since: new Date(T - 24 * H), until: new Date(T + 48 * H) });
    s.by_type_severity.push({ type: 'we"ird\\type\nx', severity: 'info', count: 7 });
    const { samples, types } = parseProm(toPrometheus(s));
    expect([...types.values()].every((t) => t === 'gauge')).toBe(true);
    const get = (name: string, labels: Record<string, string>) =>
      samples.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v)).map((x) => x.value);
    expect(get('argus_problems_total', { type: 'disk', severity: 'warning' })).toEqual([2]);
    expect(get('argus_problems_total', { type: 'we"ird\\type\nx' })).toEqual([7]);
    expect(get('argus_actions_total', { action: 'restart_service', result: 'success', source: 'mcp' })).toEqual([1]);
    expect(get('argus_action_success_ratio', { action: 'restart_service' })[0]).toBeCloseTo(2 / 3, 10);
    expect(get('argus_incidents_total', { type: 'service' })).toEqual([1]);
    expect(get('argus_registry_records', {})).toEqual([9]);
    expect(get('argus_stats_window_start_seconds', {})).toEqual([(T - 24 * H) / 1000]);
    expect(samples.filter((x) => x.name === 'argus_problems_total')).toHaveLength(4);
  });

  it('escapes label values', () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('writes argus.prom atomically into a textfile dir, leaving no temp file', async () => {
    const s = await stats({ registryPath: smallRegistry(), since: new Date(T - 24 * H) });
    const out = join(dir, 'textfile');
    const path = writeTextfile(out, toPrometheus(s));
    expect(path).toBe(join(out, 'argus.prom'));
    expect(readdirSync(out)).toEqual(['argus.prom']);
    expect(readFileSync(path, 'utf8')).toBe(toPrometheus(s));
    writeTextfile(out, 'argus_registry_records 1\n');
    expect(readdirSync(out)).toEqual(['argus.prom']);
  });
});
