// One metrics renderer for /metrics, `argus stats --prometheus` and the textfile: names promtool accepts, counters that
// only go up while the registry is appended, rotated and pruned.
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countRegistry, RegistryTail } from '../../../src/agents/chronicler/counters.js';
import {
  escapeLabel,
  renderMetrics,
  writeTextfile,
  type MetricsInput,
} from '../../../src/agents/chronicler/prometheus.js';
import { rec } from '../../support/registry-gen.js';
import { disk, probe, service, snapshot } from '../../support/snapshot.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(`${tmpdir()}/argus-`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T = Date.parse('2026-02-01T10:00:00.000Z');
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));

const nginx = { type: 'service', identity: 'service:nginx.service', severity: 'critical' as const };
const line = (r: object): string => `${JSON.stringify(r)}\n`;
const incident = (t: number): string =>
  line(rec(t, { ...nginx, kind: 'detection' })) +
  line(rec(t, { ...nginx, kind: 'transition', details: { transition: 'opened' } })) +
  line(
    rec(t + 60_000, {
      ...nginx,
      kind: 'action',
      action_taken: 'restart_service:nginx.service',
      action_result: 'success',
    }),
  ) +
  line(rec(t + 120_000, { ...nginx, kind: 'transition', severity: 'info', details: { transition: 'resolved' } }));

function input(over: Partial<MetricsInput> = {}): MetricsInput {
  return {
    snapshot: snapshot({ ts: new Date(T).toISOString() }),
    lastCycle: {
      at: new Date(T).toISOString(),
      ok: true,
      durationMs: 40,
      consecutiveFailures: 0,
      fresh: true,
      total: 12,
    },
    counters: { records: 0, detections: new Map(), opened: new Map(), resolved: new Map(), actions: new Map() },
    openIncidents: [{ severity: 'critical' }],
    llm: null,
    ...over,
  };
}

/** A tiny parser of the text exposition format: HELP/TYPE comments and samples with escaped label values. */
function parseProm(text: string) {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  for (const l of lines) {
    let m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(l);
    if (m) {
      (m[1] === 'HELP' ? help : types).set(m[2]!, m[3]!);
      continue;
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(l);
    if (!m) throw new Error(`bad line: ${l}`);
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

const get = (samples: ReturnType<typeof parseProm>['samples'], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v))
    .map((x) => x.value);

describe('registry counters', () => {
  it('count each record once across appends, a torn last line, rotation into a segment and a deleted segment', async () => {
    const path = join(dir, 'problems.jsonl');
    writeFileSync(path, incident(T) + '{"ts":"2026-02-01T10:09:00.000Z","kind":"detec');
    const tail = new RegistryTail(path);
    let c = await tail.refresh();
    expect(c.records).toBe(4);
    expect(Object.fromEntries(c.actions)).toEqual({ 'restart_service\u0000success\u0000rule': 1 });
    // The torn line is completed, then more is appended.
    appendFileSync(path, `tion","type":"disk","severity":"warning"}\n${incident(T + 600_000)}`);
    c = await tail.refresh();
    expect(c.records).toBe(9);
    expect(Object.fromEntries(c.detections)).toEqual({ 'service\u0000critical': 2, 'disk\u0000warning': 1 });
    // A new month: the file becomes a segment (a rename) and a new one starts.
    renameSync(path, join(dir, 'problems-2026-02.jsonl'));
    writeFileSync(path, incident(T + 30 * 86_400_000));
    c = await tail.refresh();
    expect(c.records).toBe(13);
    expect(Object.fromEntries(c.opened)).toEqual({ service: 3 });
    expect(Object.fromEntries(c.resolved)).toEqual({ service: 3 });
    // Retention deletes the segment: counters never go down while the process lives.
    unlinkSync(join(dir, 'problems-2026-02.jsonl'));
    expect((await tail.refresh()).records).toBe(13);
    // A fresh process counts what is retained.
    expect((await countRegistry(path)).records).toBe(4);
  });

  it('concurrent refreshes share one read (nothing is counted twice)', async () => {
    const path = join(dir, 'problems.jsonl');
    writeFileSync(path, incident(T).repeat(50));
    const tail = new RegistryTail(path);
    const all = await Promise.all([tail.refresh(), tail.refresh(), tail.refresh()]);
    expect(all.map((c) => c.records)).toEqual([200, 200, 200]);
  });
});

describe('renderMetrics', () => {
  it('host gauges, the last cycle and counters: counters end in _total, nothing else does, every family has HELP and TYPE', async () => {
    const path = join(dir, 'problems.jsonl');
    writeFileSync(path, incident(T).repeat(3));
    const counters = await countRegistry(path);
    const text = renderMetrics(
      input({
        counters,
        snapshot: snapshot({
          ts: new Date(T).toISOString(),
          disks: [disk('/', 50), disk('/mnt/we"ird\\path\nx', 91)],
          services: [service('nginx.service'), service('api.service', { activeState: 'failed', nRestarts: 3 })],
          probes: [probe('gateway', true, { latencyMs: 120 })],
        }),
        llm: { total_calls: 7, total_cost_usd: 0.0123 },
      }),
    );
    const { samples, types } = parseProm(text);
    for (const [name, type] of types)
      expect(`${name} ${type}`).toMatch(name.endsWith('_total') ? / counter$/ : / gauge$/);
    expect(get(samples, 'argus_last_cycle_timestamp_seconds')).toEqual([T / 1000]);
    expect(get(samples, 'argus_cycle_fresh')).toEqual([1]);
    expect(get(samples, 'argus_cycles_total')).toEqual([12]);
    expect(get(samples, 'argus_memory_used_ratio')).toEqual([0.4]);
    expect(get(samples, 'argus_disk_used_bytes', { mount: '/mnt/we"ird\\path\nx' })).toEqual([91e9]);
    expect(get(samples, 'argus_service_up', { unit: 'api.service' })).toEqual([0]);
    expect(get(samples, 'argus_service_restarts_total', { unit: 'api.service' })).toEqual([3]);
    expect(get(samples, 'argus_probe_duration_seconds', { probe: 'gateway' })).toEqual([0.12]);
    expect(get(samples, 'argus_detections_total', { type: 'service', severity: 'critical' })).toEqual([3]);
    expect(
      get(samples, 'argus_actions_total', { action: 'restart_service', result: 'success', source: 'rule' }),
    ).toEqual([3]);
    expect(get(samples, 'argus_incidents_open', { severity: 'critical' })).toEqual([1]);
    expect(get(samples, 'argus_incidents_open', { severity: 'warning' })).toEqual([0]);
    expect(get(samples, 'argus_model_cost_usd_total')).toEqual([0.0123]);
    expect(text).not.toMatch(/argus_problems_total|_window_/);
  });

  it('with no state at all: no host gauges, no last-cycle time, zeroed counters (still valid)', () => {
    const { samples } = parseProm(
      renderMetrics(
        input({
          snapshot: null,
          lastCycle: { at: null, ok: null, durationMs: null, consecutiveFailures: 0, fresh: false, total: 0 },
          openIncidents: [],
        }),
      ),
    );
    expect(get(samples, 'argus_last_cycle_timestamp_seconds')).toEqual([]);
    expect(get(samples, 'argus_memory_used_ratio')).toEqual([]);
    expect(get(samples, 'argus_cycle_fresh')).toEqual([0]);
    expect(get(samples, 'argus_model_calls_total')).toEqual([0]);
  });

  it.skipIf(!PROMTOOL)('passes `promtool check metrics` (lint included)', async () => {
    const path = join(dir, 'problems.jsonl');
    writeFileSync(
      path,
      incident(T) +
        line(
          rec(T, {
            type: 'disk',
            identity: 'disk:/',
            kind: 'action',
            action_taken: 'alert:disk:/',
            action_result: 'refused',
            source: 'mcp',
          }),
        ),
    );
    const text = renderMetrics(
      input({
        counters: await countRegistry(path),
        snapshot: snapshot({ disks: [disk('/', 50), disk('/data', 70)], probes: [probe('a', false)] }),
      }),
    );
    const r = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ code: r.status, out: r.stdout + r.stderr }).toEqual({ code: 0, out: '' });
  });
  if (!PROMTOOL) it.skip('promtool is not installed (Debian package `prometheus`; .ci/run installs it)', () => {});

  it('escapes label values', () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('writes argus.prom atomically into a textfile dir, leaving no temp file', () => {
    const out = join(dir, 'textfile');
    const text = renderMetrics(input());
    const path = writeTextfile(out, text);
    expect(path).toBe(join(out, 'argus.prom'));
    expect(readdirSync(out)).toEqual(['argus.prom']);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
