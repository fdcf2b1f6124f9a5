// get_status and query_problems against real state files in a temp dir.
import { afterEach, describe, expect, it } from 'vitest';
import { readTools } from '../../../../src/agents/rca/tools.js';
import { appendJsonl } from '../../../../src/state/jsonl.js';
import { ToolError, type ToolDef } from '../../../../src/tools/tool.js';
import { disk, proc, processes, service, snapshot } from '../../../support/snapshot.js';
import { record, toolSandbox, type ToolSandbox } from '../../../tools/harness.js';

let box: ToolSandbox;
afterEach(() => box?.cleanup());

function tool(name: string): ToolDef {
  const def = readTools(box.deps).find((t) => t.name === name);
  if (!def) throw new Error(`no ${name}`);
  return def;
}
/** As an adapter does: validate, then run. */
async function call(name: string, input: unknown): Promise<Record<string, unknown>> {
  const def = tool(name);
  return def.run(def.input.parse(input), { source: 'mcp' });
}

describe('the cycle in progress', () => {
  it('read tools see the snapshot the cycle passes in, not the previous one on disk (and not "no snapshot yet" on a first cycle)', async () => {
    box = toolSandbox();
    const live = snapshot({ processes: processes({ topByRss: [proc({ pid: 4100, comm: 'node', rssBytes: 9e9 })] }) });
    const tools = readTools({ ...box.deps, snapshot: () => live });
    const top = tools.find((t) => t.name === 'get_top_processes')!;
    const out = await top.run(top.input.parse({}), { source: 'llm' });
    expect(JSON.stringify(out)).toContain('4100');
    box.writeSnapshot(snapshot({ processes: processes({ topByRss: [proc({ pid: 1, comm: 'old' })] }) }));
    const again = await top.run(top.input.parse({}), { source: 'llm' });
    expect(JSON.stringify(again)).toContain('4100');
    const status = tools.find((t) => t.name === 'get_status')!;
    expect(JSON.stringify(await status.run(status.input.parse({}), { source: 'llm' }))).not.toContain(
      'no snapshot yet',
    );
  });
});

describe('get_status', () => {
  it('summarizes the latest snapshot, open incidents and the last cycle', async () => {
    box = toolSandbox();
    box.writeSnapshot(
      snapshot({
        disks: [disk('/', 93)],
        services: [
          service('nginx.service'),
          service('api.service', { activeState: 'failed', subState: 'failed', result: 'exit-code' }),
        ],
        processes: processes({ topByRss: [proc({ pid: 77, comm: 'node', rssBytes: 3e9 })] }),
      }),
    );
    box.writeJson(box.paths.incidents, {
      incidents: {
        'disk:/': {
          incidentId: 'disk:/#1',
          openedAt: '2026-02-19T09:00:00Z',
          severity: 'critical',
          lastFinding: { description: 'Disk / at 93%' },
        },
        'cpu:load': { incidentId: 'cpu:load#1', status: 'resolved' },
      },
    });
    box.writeJson(box.paths.cycleState, {
      cyclesTotal: 12,
      consecutiveFailures: 0,
      lastOk: true,
      nested: { ignored: true },
    });
    const out = await call('get_status', {});
    const s = out.snapshot as {
      ageSec: number;
      disks: unknown[];
      services: { notActive: unknown[] };
      processes: { topByRss: unknown[] };
    };
    expect(s.ageSec).toBe(300);
    expect(s.disks).toEqual([expect.objectContaining({ mount: '/', usedPct: 93 })]);
    expect(s.services.notActive).toEqual([expect.objectContaining({ unit: 'api.service', activeState: 'failed' })]);
    expect(s.processes.topByRss[0]).toMatchObject({ pid: 77, comm: 'node' });
    expect(out.openIncidents).toEqual([
      expect.objectContaining({ identity: 'disk:/', severity: 'critical', description: 'Disk / at 93%' }),
    ]);
    expect(out.lastCycle).toEqual({ cyclesTotal: 12, consecutiveFailures: 0, lastOk: true });
  });

  it('says why when nothing has run yet or a state file is corrupt', async () => {
    box = toolSandbox();
    box.writeJson(box.paths.cycleState, {});
    await import('node:fs').then((fs) => fs.writeFileSync(box.paths.incidents, '{not json'));
    const out = await call('get_status', {});
    expect(out.snapshot).toBeNull();
    expect(out.snapshotError).toMatch(/no snapshot yet/);
    expect(out.openIncidents).toEqual([]);
    expect(out.incidentsError).toMatch(/not JSON/);
  });

  it('takes no arguments', () => {
    box = toolSandbox();
    expect(tool('get_status').input.safeParse({ x: 1 }).success).toBe(false);
  });
});

describe('query_problems', () => {
  it('filters by since, type and identity, newest first, bounded by limit', async () => {
    box = toolSandbox();
    appendJsonl(box.paths.registry, [
      record({ ts: '2026-02-18T09:00:00.000Z', description: 'old disk' }),
      record({ ts: '2026-02-19T09:30:00.000Z', description: 'disk 1' }),
      record({
        ts: '2026-02-19T09:40:00.000Z',
        type: 'service',
        identity: 'service:nginx.service',
        description: 'nginx down',
      }),
      record({ ts: '2026-02-19T09:50:00.000Z', description: 'disk 2' }),
      record({ ts: '2026-02-19T10:00:00.000Z', description: 'disk 3' }),
    ]);
    const recent = await call('query_problems', { since: '1h', type: 'disk', limit: 2 });
    expect(recent.matched).toBe(3);
    expect((recent.records as { description: string }[]).map((r) => r.description)).toEqual(['disk 3', 'disk 2']);
    const byIdentity = await call('query_problems', { identity: 'service:nginx.service' });
    expect((byIdentity.records as { description: string }[]).map((r) => r.description)).toEqual(['nginx down']);
    const iso = await call('query_problems', { since: '2026-02-19T09:45:00Z' });
    expect(iso.matched).toBe(2);
  });

  it('truncates huge details', async () => {
    box = toolSandbox();
    appendJsonl(box.paths.registry, [record({ details: { blob: 'x'.repeat(10_000) } })]);
    const out = await call('query_problems', {});
    expect((out.records as { details: Record<string, unknown> }[])[0]!.details.truncated).toBe(true);
  });

  it.each([
    [{ since: 'yesterday' }],
    [{ since: '24 hours; rm -rf /' }],
    [{ limit: 501 }],
    [{ limit: 0 }],
    [{ kind: 'secret' }],
    [{ extra: true }],
  ])('refuses malformed input %j at the schema', (input) => {
    box = toolSandbox();
    expect(tool('query_problems').input.safeParse(input).success).toBe(false);
  });

  it('an empty registry is an empty answer, not an error', async () => {
    box = toolSandbox();
    expect(await call('query_problems', {})).toEqual({ matched: 0, returned: 0, records: [] });
  });
});

describe('get_top_processes', () => {
  it('ranks by the requested measure and redacts secrets in command lines', async () => {
    box = toolSandbox();
    box.writeSnapshot(
      snapshot({
        processes: processes({
          topByRss: [
            proc({
              pid: 10,
              cmdline: 'node server.js --token=abcd1234secret ANTHROPIC_API_KEY=sk-ant-api03-XYZxyz123456',
            }),
            proc({ pid: 11 }),
          ],
          topBySwap: [proc({ pid: 20, swapBytes: 1e9 })],
        }),
      }),
    );
    const rss = await call('get_top_processes', { by: 'rss', limit: 1 });
    const list = rss.processes as { pid: number; cmdline: string }[];
    expect(list.map((p) => p.pid)).toEqual([10]);
    expect(list[0]!.cmdline).not.toMatch(/abcd1234secret|XYZxyz/);
    expect(list[0]!.cmdline).toContain('[REDACTED]');
    const swap = await call('get_top_processes', { by: 'swap' });
    expect((swap.processes as { pid: number }[]).map((p) => p.pid)).toEqual([20]);
  });

  it('without a snapshot it is a tool error the model can read', async () => {
    box = toolSandbox();
    await expect(call('get_top_processes', {})).rejects.toBeInstanceOf(ToolError);
  });

  it('with a process-collector gap it says so', async () => {
    box = toolSandbox();
    box.writeSnapshot(snapshot({ processes: null, gaps: [{ collector: 'processes', error: 'timeout' }] }));
    await expect(call('get_top_processes', {})).rejects.toThrow(/process collector failed/);
  });
});
