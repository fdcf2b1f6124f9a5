import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregate } from '../../../src/agents/chronicler/aggregate.js';
import { OnlineRegression } from '../../../src/agents/chronicler/trends.js';
import { WEEK, generateWeek } from '../../support/registry-gen.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(`${tmpdir()}/argus-`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('aggregate over a synthetic week', () => {
  it('finds exactly the nightly restarts, the filling disk and the leak', async () => {
    const week = generateWeek(dir);
    const a = await aggregate(week);
    expect(a.patterns.map((p) => p.id)).toEqual([
      'recurring:service:nginx.service',
      'time_of_day:service:nginx.service:03:00',
      'disk_full:/data',
      'leak_suspect:node:4242',
    ]);
    expect(a.dropped_keys).toBe(0);
  });

  it('measures the recurrence: 4 a day on all 7 days, at 03:00 UTC', async () => {
    const a = await aggregate(generateWeek(dir));
    const rec = a.patterns.find((p) => p.kind === 'recurring')!;
    expect(rec.metrics).toMatchObject({ max_per_day: 4, days_over: 7, days_seen: 7 });
    expect(rec.evidence.count).toBe(7 * 4); // each night: 4 incidents opened (their restarts are not recurrences)
    expect(rec.evidence.items).toHaveLength(10);
    expect(rec.evidence.items[0]!.description).toMatch(/^incident inc-nginx-\d-\d opened$/);
    const tod = a.patterns.find((p) => p.kind === 'time_of_day')!;
    expect(tod.metrics).toMatchObject({ hour_utc: '03:00', days_at_hour: 7, days_active: 7 });
  });

  it('predicts the time to full of /data within 5 %', async () => {
    const week = generateWeek(dir);
    const a = await aggregate(week);
    const disk = a.patterns.find((p) => p.id === 'disk_full:/data')!;
    const lastHour = (week.until.getTime() - WEEK.start) / 3_600_000 - 5 / 60; // last sample, 5 min before the end
    const truth = (WEEK.dataTotal - WEEK.dataStart - WEEK.dataPerHour * lastHour) / WEEK.dataPerHour;
    const predicted = disk.metrics.hours_to_full as number;
    expect(Math.abs(predicted - truth) / truth).toBeLessThan(0.05);
    const fullAt = Date.parse(disk.metrics.predicted_full as string);
    expect(Math.abs(fullAt - (week.until.getTime() + truth * 3_600_000)) / (truth * 3_600_000)).toBeLessThan(0.05);
  });

  it('estimates the leak at 10 MiB an hour', async () => {
    const a = await aggregate(generateWeek(dir));
    const leak = a.patterns.find((p) => p.kind === 'leak_suspect')!;
    expect(leak.metrics.mib_per_hour).toBeCloseTo(10, 0);
    expect(leak.identity).toBe('process:node:4242');
  });

  it('reports outcomes, times to detect and recover, hotspots, and the post-mortem candidate', async () => {
    const a = await aggregate(generateWeek(dir));
    const restart = a.outcomes.find((o) => o.by === 'action' && o.key === 'restart_service')!;
    expect(restart.results).toEqual({ failure: 1, success: 28 });
    expect(restart.success_pct).toBe(96.6);
    expect(a.outcomes.find((o) => o.by === 'playbook' && o.key === 'rule:restart_service')?.attempts).toBe(29);
    const service = a.timings.find((t) => t.type === 'service')!;
    expect(service).toMatchObject({ detect_count: 29, mean_time_to_detect_s: 0, recover_count: 29 });
    expect(service.mean_time_to_recover_s).toBe(Math.round((28 * 300 + 3000) / 29));
    expect(a.hotspots[0]).toMatchObject({ group: 'service', identity: 'service:nginx.service', incidents: 28 });
    expect(a.incidents.map((i) => [i.incident_id, i.reasons])).toEqual([
      ['inc-api-1', ['escalated', 'failed_remediation', 'long_outage']],
    ]);
    expect(a.incidents[0]!.cause).toMatch(/port 8080/);
    expect(a.problems.map((p) => p.identity)).toEqual(['disk:/', 'service:api.service', 'service:nginx.service']);
  });

  it('only counts records inside the window', async () => {
    const week = generateWeek(dir);
    const a = await aggregate({ ...week, since: new Date(WEEK.start + 6 * 86_400_000) });
    expect(a.patterns.find((p) => p.kind === 'recurring')?.metrics.days_seen).toBe(1);
    expect(a.patterns.some((p) => p.kind === 'time_of_day')).toBe(false);
  });

  it('sees a weekday pattern only when one weekday dominates over several weeks', async () => {
    const { writeFileSync } = await import('node:fs');
    const { rec } = await import('../../support/registry-gen.js');
    const monday = Date.parse('2024-05-06T10:00:00.000Z');
    const lines = [0, 7, 14, 21, 3].map((d, i) =>
      rec(monday + d * 86_400_000 + i * 3_600_000, {
        kind: 'transition',
        type: 'cpu',
        identity: 'cpu:host',
        incident_id: `i${d}`,
        description: 'cpu busy',
        details: { transition: 'opened' },
      }),
    );
    writeFileSync(`${dir}/p.jsonl`, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const a = await aggregate({
      registryPath: `${dir}/p.jsonl`,
      historyPath: `${dir}/none.jsonl`,
      since: new Date(monday - 86_400_000),
      until: new Date(monday + 30 * 86_400_000),
    });
    expect(a.patterns.map((p) => p.id)).toEqual(['weekday:cpu:host:Monday']);
  });
});

describe('OnlineRegression', () => {
  it('fits a line exactly and reports r² = 1', () => {
    const f = new OnlineRegression();
    for (let x = 0; x < 10; x++) f.add(x, 3 * x + 2);
    expect(f.slope).toBeCloseTo(3, 10);
    expect(f.at(20)).toBeCloseTo(62, 8);
    expect(f.r2).toBeCloseTo(1, 10);
  });
});
