import fs from 'node:fs';
import os from 'node:os';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ANALYSIS_TOOLS,
  runAnalysis,
  slugify,
  type RunAnalysisOptions,
} from '../../../src/agents/evaluator/analysis.js';
import { createAgentRunner, type AgentRunnerOptions } from '../../../src/llm/agent-runner.js';
import { createLlmBudget, llmStatePath, type LlmBudget } from '../../../src/llm/budget.js';
import { silentLog } from '../../../src/log.js';
import type { Finding } from '../../../src/model/finding.js';
import { actionTools, readRegistry, type GateLog } from '../../llm/stubs.js';
import { answer, calls, scriptModel, testClient, toolUse } from '../../support/scripted-model.js';
import { snapshot } from '../../support/snapshot.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const NOW = new Date('2026-03-01T12:00:00Z');
const rule: Finding = {
  identity: 'disk:/',
  type: 'disk',
  subject: '/',
  severity: 'warning',
  description: 'disk 91%',
  source: 'rule',
  details: {},
};

let dir: string;
let budget: LlmBudget;
beforeEach(() => {
  dir = fs.mkdtempSync(`${os.tmpdir()}/argus-`);
  budget = createLlmBudget({ path: llmStatePath(dir) });
});
afterEach(() => {
  server.resetHandlers();
  fs.rmSync(dir, { recursive: true, force: true });
});

const analyse = ({ client, ...over }: Partial<RunAnalysisOptions> & Pick<Partial<AgentRunnerOptions>, 'client'> = {}) =>
  runAnalysis({
    snapshot: snapshot(),
    findings: [rule],
    history: [],
    registry: readRegistry({ calls: [] }),
    runner: createAgentRunner({
      client: client === undefined ? testClient() : client,
      budget,
      log: silentLog(),
      now: () => NOW,
    }),
    ...over,
  });

const f = (over: Record<string, unknown> = {}) => ({
  slug: 'Memory creep: java',
  type: 'memory',
  subject: 'java',
  severity: 'warning',
  description: 'java RSS grew every cycle for 6 hours',
  evidence: ['history'],
  ...over,
});

describe('runAnalysis', () => {
  it('adds llm findings with a forced identity, capped severity, and leaves rule findings alone', async () => {
    const findings = [rule];
    const script = scriptModel(server, [
      calls(toolUse('get_top_processes', {})),
      answer({
        findings: [
          f(),
          f({
            slug: 'swap-growth',
            type: 'swap',
            subject: 'host',
            severity: 'critical',
            evidence: ['tool:get_top_processes#1'],
          }),
          f({ slug: 'memory creep java' }), // same slug after slugify: dropped
          f({ slug: 'disk-again', type: 'disk', subject: '/' }), // repeats a rule finding: dropped
        ],
      }),
    ]);
    const r = await analyse({ findings });
    script.verify();
    expect(r.source).toBe('llm');
    expect(r.findings.map((x) => [x.identity, x.type, x.severity, x.source])).toEqual([
      ['llm:memory-creep-java', 'memory', 'warning', 'llm'],
      ['llm:swap-growth', 'swap', 'warning', 'llm'],
    ]);
    expect(findings).toEqual([rule]);
  });

  it('accepts "nothing to add"', async () => {
    const script = scriptModel(server, [answer({ findings: [] })]);
    const r = await analyse();
    script.verify();
    expect(r).toMatchObject({ source: 'llm', findings: [] });
  });

  it.each([
    ['a type outside the enum', f({ type: 'kernel' })],
    ['no evidence', f({ evidence: [] })],
    ['evidence citing a tool never called', f({ evidence: ['tool:get_top_processes#1'] })],
  ])('rejects %s and adds nothing', async (_name, bad) => {
    const script = scriptModel(server, [answer({ findings: [bad] }), answer({ findings: [bad] })]);
    const r = await analyse();
    script.verify();
    expect(r).toMatchObject({ source: 'none', fallbackReason: 'invalid_answer', findings: [] });
  });

  it('caps the number of model findings', async () => {
    const many = Array.from({ length: 12 }, (_, i) => f({ slug: `anomaly ${String.fromCharCode(97 + i)}` }));
    const script = scriptModel(server, [answer({ findings: many })]);
    const r = await analyse();
    script.verify();
    expect(r.findings).toHaveLength(5);
  });

  it('offers read-only tools only: its named ones, picked from a registry holding the actions too', async () => {
    const gate: GateLog = { attempts: [], executed: [] };
    const script = scriptModel(server, [
      calls(toolUse('restart_service', { service: 'nginx', reason: 'x' })),
      answer({ findings: [] }),
    ]);
    const r = await analyse({ registry: [...readRegistry({ calls: [] }), ...actionTools(gate)] });
    script.verify();
    expect(script.requests[0]!.body.tools?.map((t) => t.name)).toEqual([...ANALYSIS_TOOLS]);
    expect(gate.attempts).toEqual([]);
    expect(r.toolCalls[0]?.error).toContain('no such tool');
  });

  it('no key → no request, nothing added', async () => {
    const script = scriptModel(server, []);
    const r = await analyse({ client: null });
    script.verify();
    expect(r).toMatchObject({ source: 'none', fallbackReason: 'no_key', findings: [] });
  });

  it('slugify keeps identities stable and safe', () => {
    expect(slugify('  Disk /var: FILLS fast!! ')).toBe('disk-var-fills-fast');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugify('$$$')).toBe('');
  });
});
