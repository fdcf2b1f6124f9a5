// The dashboard's data: history columns from a window of history.jsonl, incidents overlapping a window.
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { statePaths } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { dashboardData } from '../../src/serve/dashboard-data.js';
import { renderPage } from '../../src/serve/page.js';
import { ApprovalStore, approvalsDir } from '../../src/state/approvals.js';
import { readHistory } from '../../src/serve/history.js';
import { incidentsInWindow } from '../../src/serve/incidents.js';
import { rec } from '../support/registry-gen.js';
import { makeTmp } from '../support/tmp.js';
import { writeStateDir } from './fixture.js';

const T = Date.parse('2026-03-01T00:00:00.000Z');
const STEP = 300_000;
const DAY = 86_400_000;
let tmp: ReturnType<typeof makeTmp> | undefined;
afterEach(() => tmp?.cleanup());

const point = (ms: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    ts: new Date(ms).toISOString(),
    cycle_id: 'c',
    mem_pct: 50,
    swap_pct: 1,
    swap_in_bps: 0,
    swap_out_bps: 0,
    cpu_pct: 10,
    load1: 2,
    disks: { '/': 40 },
    findings: 0,
    ok: true,
    duration_ms: 1,
    ...over,
  });

describe('readHistory', () => {
  it('a 24 h window out of 60 days: every point once, in order, load per core, late mounts padded, torn and out-of-order lines skipped', async () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'history.jsonl');
    const lines: string[] = [];
    for (let t = T - 60 * DAY; t < T; t += STEP)
      lines.push(point(t, t >= T - 2 * 3_600_000 ? { disks: { '/': 40, '/data': 70 } } : {}));
    lines.splice(lines.length - 5, 0, point(T - 3 * DAY)); // an old point appended late
    writeFileSync(path, lines.join('\n') + '\n');
    appendFileSync(path, point(T).slice(0, 40)); // torn
    const s = await readHistory(path, T - DAY, T + 1, 4);
    expect(s.t).toHaveLength(288);
    expect(s.t[0]).toBe((T - DAY) / 1000);
    expect(s.t.every((t, i) => i === 0 || t > s.t[i - 1]!)).toBe(true);
    expect(new Set(s.load)).toEqual(new Set([0.5]));
    expect(s.disks['/data']).toHaveLength(288);
    expect(s.disks['/data']!.filter((v) => v === 70)).toHaveLength(24);
    expect(s.disks['/data']![0]).toBeNull();
  });

  it('a missing file is an empty series', async () => {
    expect((await readHistory('/nonexistent/history.jsonl', 0, Date.now(), null)).t).toEqual([]);
  });
});

describe('incidentsInWindow', () => {
  it('keeps what overlaps the window (opened before and resolved inside, still open), with actions, bead and MTTR', async () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'problems.jsonl');
    const inc = (id: string, identity: string, open: number, close: number | null) => [
      rec(open, {
        kind: 'transition',
        type: identity.split(':')[0]!,
        identity,
        incident_id: id,
        details: { transition: 'opened' },
      }),
      rec(open + 60_000, {
        kind: 'action',
        type: 'service',
        identity,
        incident_id: id,
        action_taken: `restart_service:${identity}`,
        action_result: 'failure',
      }),
      rec(open + 120_000, {
        kind: 'action',
        type: 'service',
        identity,
        incident_id: id,
        action_taken: 'create_bead:x',
        action_result: 'success',
        bead_id: 'argus-9',
      }),
      ...(close === null
        ? []
        : [
            rec(close, {
              kind: 'transition',
              type: 'service',
              identity,
              incident_id: id,
              severity: 'info',
              details: { transition: 'resolved' },
            }),
          ]),
    ];
    const records = [
      ...inc('old', 'service:a', T - 3 * DAY, T - 3 * DAY + 3_600_000), // before the window: out
      ...inc('across', 'service:b', T - DAY - 3_600_000, T - DAY + 3_600_000), // opened before, resolved inside
      ...inc('inside1', 'service:c', T - 10 * 3_600_000, T - 9 * 3_600_000),
      ...inc('inside2', 'service:c', T - 5 * 3_600_000, T - 4 * 3_600_000),
      ...inc('open', 'memory:host', T - 3_600_000, null),
    ].sort((a, b) => (a.ts < b.ts ? -1 : 1));
    writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const w = await incidentsInWindow(path, T - DAY, T);
    expect(w.incidents.map((i) => i.id)).toEqual(['open', 'inside2', 'inside1', 'across']);
    const across = w.incidents.find((i) => i.id === 'across')!;
    expect(across).toMatchObject({
      identity: 'service:b',
      mttrSec: 7200,
      bead: 'argus-9',
      resolvedAt: new Date(T - DAY + 3_600_000).toISOString(),
    });
    expect(across.actions.map((a) => `${a.action} ${a.result}`)).toEqual([
      'restart_service:service:b failure',
      'create_bead:x success',
    ]);
    expect(w.incidents.find((i) => i.id === 'open')).toMatchObject({
      resolvedAt: null,
      mttrSec: null,
      lastSeenAt: new Date(T - 3_600_000 + 120_000).toISOString(),
    });
    expect(w.recurring).toEqual([
      { identity: 'service:c', opened: 2 },
      { identity: 'memory:host', opened: 1 },
    ]);
  });
});

describe('dashboardData', () => {
  it('an incident the registry never saw resolve, but incidents.json no longer holds, ends at its last record', async () => {
    tmp = makeTmp();
    const fx = writeStateDir(join(tmp.dir, 'state'), { days: 1 });
    const paths = statePaths(ConfigSchema.parse({ stateDir: fx.dir }));
    const open = await dashboardData(paths, 300, '24h', new Date(fx.now));
    expect(open.incidents.find((i) => i.identity === 'memory:host')).toMatchObject({ resolvedAt: null });
    writeFileSync(join(fx.dir, 'incidents.json'), JSON.stringify({ incidents: {} }));
    const gone = await dashboardData(paths, 300, '24h', new Date(fx.now));
    const memory = gone.incidents.find((i) => i.identity === 'memory:host')!;
    expect(memory.resolvedAt).toBe(memory.lastSeenAt);
    expect(Date.parse(memory.resolvedAt!)).toBe(fx.now - 40 * 60_000 + 60_000);
    expect(gone.series.t).toHaveLength(fx.points['24h']);
  });

  it("pending approvals: the Solicitor's requests still waiting, oldest first; answered or expired ones are not shown", async () => {
    tmp = makeTmp();
    const fx = writeStateDir(join(tmp.dir, 'state'), { days: 1 });
    const paths = statePaths(ConfigSchema.parse({ stateDir: fx.dir }));
    const now = new Date(fx.now);
    expect((await dashboardData(paths, 300, '24h', now)).approvals).toEqual([]);
    const store = new ApprovalStore(approvalsDir(fx.dir));
    const ask = (summary: string, minutesAgo: number, ttlMin: number) =>
      store.create(
        {
          kind: 'kill_process',
          action: 'kill_pid',
          input: { pid: 4100 },
          facts: {},
          summary,
          identity: 'memory:host',
          incidentId: null,
          requestedBy: 'rule',
        },
        new Date(fx.now - minutesAgo * 60_000),
        ttlMin * 60_000,
      );
    ask('Kill node (PID 4100) <b>93 %</b>?', 10, 60);
    ask('an older one', 30, 60);
    ask('expired', 120, 60);
    const answered = ask('answered', 5, 60);
    store.write({ ...answered, status: 'rejected' });
    const data = await dashboardData(paths, 300, '24h', now);
    expect(data.approvals.map((a) => a.summary)).toEqual(['an older one', 'Kill node (PID 4100) <b>93 %</b>?']);
    expect(data.approvals[0]).toMatchObject({ kind: 'kill_process', identity: 'memory:host', requestedBy: 'rule' });
    // Into the page as JSON data (shown with textContent): the summary's markup is never HTML of the page.
    const html = renderPage(data, 'served');
    expect(html).toContain('id="approvals"');
    expect(html).not.toContain('<b>93 %</b>');
  });
});
