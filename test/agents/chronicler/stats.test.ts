import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    rec(T + 60_000, {
      ...nginx,
      kind: 'action',
      description: 'restart',
      action_taken: 'restart_service:nginx.service',
      action_result: 'failure',
    }),
    rec(T + 120_000, {
      ...nginx,
      kind: 'action',
      description: 'restart',
      action_taken: 'restart_service:nginx.service',
      action_result: 'success',
    }),
    rec(T + 180_000, {
      ...nginx,
      kind: 'action',
      description: 'restart',
      action_taken: 'restart_service:nginx.service',
      action_result: 'success',
      source: 'mcp',
    }),
    rec(T + H, { type: 'disk', identity: 'disk:/', kind: 'detection', description: 'disk / at 91 %' }),
    rec(T + H, { type: 'disk', identity: 'disk:/', kind: 'detection', description: 'disk / at 92 %' }),
    rec(T + H, {
      type: 'disk',
      identity: 'disk:/',
      kind: 'action',
      description: 'alert',
      action_taken: 'alert:disk:/',
      action_result: 'success',
    }),
    rec(T + 26 * H, {
      type: 'memory',
      identity: 'memory:host',
      kind: 'detection',
      severity: 'info',
      description: 'memory "high"\nnext line',
    }),
  ];
  const path = join(dir, 'problems.jsonl');
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"torn": \n');
  return path;
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
});
