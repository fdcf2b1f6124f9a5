// The RCA micro-agent is offered search_incidents by name (the one registry's read tools), sees the diagnosis's line
// about the past, and may cite what past incidents show.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runRca } from '../../../src/agents/rca/agent.js';
import { diagnose } from '../../../src/agents/rca/diagnose.js';
import { searchPast } from '../../../src/agents/rca/past.js';
import { readTools } from '../../../src/agents/rca/tools.js';
import { createAgentRunner } from '../../../src/llm/agent-runner.js';
import { silentLog } from '../../../src/log.js';
import type { Finding } from '../../../src/model/finding.js';
import { answer, calls, promptText, scriptModel, testClient, toolUse } from '../../support/scripted-model.js';
import { service, snapshot } from '../../support/snapshot.js';
import { NOW, toolSandbox, type ToolSandbox } from '../../tools/harness.js';
import { DAY, writePast } from './past-incidents.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
let box: ToolSandbox;
afterEach(() => {
  server.resetHandlers();
  box?.cleanup();
});

const API = 'service:api.service';
const finding: Finding = {
  identity: API,
  type: 'service',
  subject: 'api.service',
  severity: 'critical',
  description: 'Service api.service failed',
  source: 'rule',
  details: {},
};

describe('the RCA reads the past', () => {
  it('is offered search_incidents, sees the past line, and can cite the incidents it found', async () => {
    box = toolSandbox();
    const T = NOW.getTime();
    writePast(box.paths.registry, [
      {
        identity: API,
        at: T - 8 * DAY,
        minutes: 4,
        fix: { action: 'restart_service:api.service', result: 'success' },
        cause: 'port 8080 held by a stale worker',
      },
      {
        identity: API,
        at: T - 3 * DAY,
        minutes: 6,
        fix: { action: 'restart_service:api.service', result: 'success' },
        cause: 'port 8080 held by a stale worker',
      },
    ]);
    const snap = snapshot({ services: [service('api.service', { activeState: 'failed', result: 'exit-code' })] });
    const past = await searchPast(
      { registry: box.deps.registry, paths: box.paths, now: NOW },
      { identity: API, limit: 3 },
    );
    const diagnosis = await diagnose(finding, snap, { past });
    const script = scriptModel(server, [
      calls(toolUse('search_incidents', { identity: API })),
      answer({
        verdict: 'cause_found',
        summary: 'the same stale worker as twice before',
        causes: [
          {
            cause: 'port 8080 held by a stale worker, as in both past incidents',
            confidence: 0.6,
            evidence: ['tool:search_incidents#1'],
          },
        ],
        recommended_actions: ['restart api.service'],
      }),
    ]);
    const runner = createAgentRunner({ client: testClient(), budget: null, log: silentLog(), now: () => NOW });
    const r = await runRca({ finding, snapshot: snap, diagnosis, registry: readTools(box.deps), runner });
    script.verify();
    expect(script.requests[0]!.body.tools?.map((t) => t.name)).toContain('search_incidents');
    expect(promptText(script.requests[0]!, { system: false })).toContain(
      'Seen 2 times in 30 days; restart_service fixed it 2 of 2 times (last: 2026-02-16).',
    );
    const toolResult = promptText(script.requests[1]!, { system: false });
    expect(toolResult).toContain('<host_data source="tool:search_incidents#1">');
    expect(toolResult).toMatch(/"ended": "recovered_by_action",\s+"recovered_by": "restart_service"/);
    expect(toolResult).toContain('port 8080 held by a stale worker');
    expect(r).toMatchObject({ source: 'llm', verdict: 'cause_found' });
  });
});
