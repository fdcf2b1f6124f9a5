// The model on the cycle's path: zero calls over healthy cycles; with a failing API the cycle completes and records it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { statePaths } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { createLinuxHost } from '../../src/host/linux.js';
import type { ExecResult, Host } from '../../src/host/port.js';
import { silentLog } from '../../src/log.js';
import { createRuntime } from '../../src/orchestrator/compose.js';
import { runGuardedCycle } from '../../src/orchestrator/once.js';
import { Registry } from '../../src/state/registry.js';
import { makeProcTree } from '../support/proc-tree.js';
import { makeTmp } from '../support/tmp.js';

const API = 'http://anthropic.test';
let calls = 0;
let status = 500;
const server = setupServer(
  http.post(`${API}/v1/messages`, () => {
    calls++;
    return new HttpResponse(null, { status, headers: { 'x-should-retry': 'false' } });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let tmp: ReturnType<typeof makeTmp>;
afterEach(() => tmp?.cleanup());

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

/** A quiet machine on a fixture root: 40 processes, 30 % memory used, a half-full disk, low load. */
function fixtureHost(dir: string, clock: { t: number }): Host {
  const root = join(dir, 'root');
  mkdirSync(root, { recursive: true });
  makeProcTree(root, { processes: 40, memTotalKb: 8_000_000, memAvailableKb: 5_600_000, loadavg: [0.2, 0.2, 0.2] });
  return createLinuxHost({
    root,
    exec: async () => noTool,
    statfs: async () => ({
      blockSize: 4096,
      blocks: 1_000_000,
      blocksFree: 500_000,
      blocksAvail: 480_000,
      files: 100_000,
      filesFree: 90_000,
    }),
    now: () => new Date(clock.t),
    hostname: () => 'fixture',
  });
}

async function cycles(n: number, overrides: Record<string, unknown> = {}) {
  tmp = makeTmp();
  const clock = { t: Date.parse('2026-11-21T00:00:00Z') };
  const host = fixtureHost(tmp.dir, clock);
  // Dry run: the disk playbook's clean_disk works on the real safelist (/tmp, caches); a test must not touch them.
  const config = ConfigSchema.parse({
    stateDir: join(tmp.dir, 'state'),
    anthropic: { apiKey: 'sk-ant-test', baseUrl: API },
    dryRun: true,
    ...overrides,
  });
  const paths = statePaths(config);
  const rt = await createRuntime(config, paths, { log: silentLog(), host, beadsDir: join(tmp.dir, 'beads') });
  const outcomes = [];
  for (let i = 0; i < n; i++) {
    outcomes.push(await runGuardedCycle(rt));
    clock.t += 300_000;
  }
  return { outcomes, paths };
}

describe('the model on the cycle path', () => {
  it('makes no model call over 30 healthy cycles, with a key set', async () => {
    calls = 0;
    const { outcomes } = await cycles(30);
    expect(outcomes.every((o) => o.status === 'ok')).toBe(true);
    expect(outcomes.flatMap((o) => (o.status === 'ok' ? o.report.findings : []))).toEqual([]);
    expect(calls).toBe(0);
  });

  it('completes cycles with findings while the API fails, records the fallback, and does not ask again for the same problem', async () => {
    calls = 0;
    status = 500;
    // Every disk is "full" at 1 %: a finding each cycle, so the evaluator analysis wants the model.
    const { outcomes, paths } = await cycles(3, { thresholds: { disk: { fire: 1, clear: 1 } } });
    expect(outcomes.every((o) => o.status === 'ok')).toBe(true);
    expect(calls).toBeGreaterThan(0);
    const llm = await new Registry(paths.registry).list({ kind: 'llm' });
    // The first cycle saw a new problem, asked, and fell back; the next two see the same problem and do not ask again.
    expect(llm.map((r) => r.details.fallback)).toEqual(['api_error']);
    expect(llm[0]!.details).toMatchObject({ agent: 'evaluator' });
    expect(calls).toBeLessThanOrEqual(2); // one request (and at most one SDK retry), in the first cycle only
  });
});
