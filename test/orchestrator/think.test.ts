// The cycle's model part on one registry: the RCA and the planner pick their tools by name, and an action the planner
// proposes goes through the real gate with the incident it is for, in the context the incident phase gave.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext } from '../../src/agents/executor/action.js';
import { PLANNER_TOOLS } from '../../src/agents/executor/planner.js';
import { RCA_TOOLS } from '../../src/agents/rca/agent.js';
import { diagnose } from '../../src/agents/rca/diagnose.js';
import { statePaths } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { createLinuxHost } from '../../src/host/linux.js';
import type { ExecResult } from '../../src/host/port.js';
import { silentLog } from '../../src/log.js';
import type { Decision, Finding } from '../../src/model/finding.js';
import type { ProblemRecord } from '../../src/model/record.js';
import { createRuntime } from '../../src/orchestrator/compose.js';
import type { Runtime } from '../../src/orchestrator/runtime.js';
import { createThinker } from '../../src/orchestrator/think.js';
import { Registry } from '../../src/state/registry.js';
import { answer, calls, MODEL_BASE_URL, scriptModel, toolUse } from '../support/scripted-model.js';
import { GB, memory, proc, processes, snapshot } from '../support/snapshot.js';
import { makeTmp } from '../support/tmp.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let tmp: ReturnType<typeof makeTmp>;
afterEach(() => {
  server.resetHandlers();
  tmp?.cleanup();
});

const NOW = new Date('2026-03-01T12:00:00Z');
const noTool: ExecResult = {
  exitCode: 1,
  signal: null,
  stdout: '',
  stderr: 'not here',
  timedOut: false,
  durationMs: 0,
  failed: true,
  spawnError: 'ENOENT',
};
const snap = snapshot({
  memory: memory({ usedPct: 93 }),
  processes: processes({ topByRss: [proc({ pid: 31, comm: 'java', rssBytes: 5 * GB, memPct: 62 })] }),
});

const decision = (identity: string, incidentId: string): Decision => {
  const finding: Finding = {
    identity,
    type: 'memory',
    subject: identity.split(':')[1] ?? 'host',
    severity: 'critical',
    description: `${identity} is bad`,
    source: 'rule',
    details: {},
  };
  return {
    identity,
    incidentId,
    kind: 'act',
    transition: 'opened',
    notify: true,
    reason: 'new',
    silencedBy: null,
    finding,
  };
};

/** A runtime on a fixture root with a key pointed at the scripted model; config dry-run is off. */
async function runtime(): Promise<Runtime> {
  tmp = makeTmp();
  const root = join(tmp.dir, 'root');
  mkdirSync(root, { recursive: true });
  const host = createLinuxHost({ root, exec: async () => noTool, now: () => NOW, hostname: () => 'fixture' });
  const config = ConfigSchema.parse({
    stateDir: join(tmp.dir, 'state'),
    anthropic: { apiKey: 'sk-ant-test', baseUrl: MODEL_BASE_URL },
    dryRun: false,
  });
  return createRuntime(config, statePaths(config), { log: silentLog(), host, beadsDir: join(tmp.dir, 'beads') });
}

/** What the incident phase gives plan(): the cycle's context for one incident (as cycleGate's ctxFor builds it). */
const ctxFor = (rt: Runtime, d: Decision, dryRun: boolean): ActionContext => ({
  host: rt.host,
  config: rt.config,
  paths: rt.paths,
  log: rt.log,
  snapshot: snap,
  notifier: rt.notifier,
  dryRun,
  cycleId: 'cycle-1',
  identity: d.identity,
  incidentId: d.incidentId,
  source: 'rule',
});

const observe = (text: string) => toolUse('log', { observation: text });
const done = answer({ summary: 'noted', escalate: false });

describe('the thinker on one registry', () => {
  it("records an action the planner proposes with the incident's identity and incident id, source llm, in the context plan() was given", async () => {
    const rt = await runtime();
    const own: ProblemRecord[] = [];
    const thinker = createThinker(rt, 'cycle-1', (r) => own.push(r));
    const a = decision('memory:host', 'inc-a');
    const b = decision('memory:java', 'inc-b');
    const script = scriptModel(server, [calls(observe('java grows')), done, calls(observe('second incident')), done]);
    // Dry run comes from the cycle (plan's context), not the configuration (dryRun: false).
    await thinker.plan(a, snap, await diagnose(a.finding, snap), null, ctxFor(rt, a, true));
    await thinker.plan(b, snap, await diagnose(b.finding, snap), null, ctxFor(rt, b, false));
    script.verify();

    expect(script.requests[0]!.body.tools?.map((t) => t.name)).toEqual([...PLANNER_TOOLS]);
    const actions = await new Registry(rt.paths.registry).list({ kind: 'action' });
    expect(
      actions.map((r) => ({
        action: r.action_taken?.split(':')[0],
        identity: r.identity,
        incident: r.incident_id,
        source: r.source,
        cycle: r.cycle_id,
        result: r.action_result,
      })),
    ).toEqual([
      { action: 'log', identity: 'memory:host', incident: 'inc-a', source: 'llm', cycle: 'cycle-1', result: 'dry_run' },
      { action: 'log', identity: 'memory:java', incident: 'inc-b', source: 'llm', cycle: 'cycle-1', result: 'success' },
    ]);
    // The planner's own line per run, for its incident.
    expect(own.filter((r) => r.kind === 'llm').map((r) => r.identity)).toEqual(['memory:host', 'memory:java']);
  });

  it('the RCA is offered exactly its named tools from the same registry (no action, no micro-agent tool)', async () => {
    const rt = await runtime();
    const thinker = createThinker(rt, 'cycle-1', () => undefined);
    const d = decision('memory:host', 'inc-a');
    const script = scriptModel(server, [answer({ verdict: 'unknown', summary: 'cannot tell' })]);
    const r = await thinker.diagnose(d, snap);
    script.verify();
    expect(r.rca).toMatchObject({ source: 'llm', verdict: 'unknown' });
    expect(script.requests[0]!.body.tools?.map((t) => t.name)).toEqual([...RCA_TOOLS]);
  });
});
