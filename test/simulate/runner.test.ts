// The runner judges honestly: a wrong expectation fails with a sentence saying what was expected and what happened.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import simulate from '../../src/cli/commands/simulate.js';
import { runScenario } from '../../src/simulate/runner.js';
import { ScenarioSchema } from '../../src/simulate/scenario.js';

const base = {
  name: 'nginx-dies',
  description: 'nginx dies at t=10 and is restarted',
  config: { services: ['nginx'], restartAllowlist: ['nginx'] },
  world: { services: [{ name: 'nginx' }] },
  events: [{ t: 10, type: 'service_dies', service: 'nginx' }],
  durationMin: 30,
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'argus-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t), env: {}, cwd: dir },
  };
}

describe('runScenario', () => {
  it('passes a true expectation and reports time to detect and recover', async () => {
    const r = await runScenario(
      ScenarioSchema.parse({
        ...base,
        expect: { actions: [{ action: 'restart_service', target: 'nginx.service', result: 'success', byMin: 10 }] },
      }),
    );
    expect(r.reasons).toEqual([]);
    expect(r.pass).toBe(true);
    const inc = r.incidents.find((i) => i.identity === 'service:nginx.service');
    expect(inc).toMatchObject({ detectMin: 0, recoverMin: 10, recoverCycles: 2 });
  });

  it('fails a wrong expectation with readable reasons', async () => {
    const r = await runScenario(
      ScenarioSchema.parse({
        ...base,
        expect: {
          forbid: [{ action: 'restart_service' }],
          maxAlerts: 0,
          incidents: [{ identity: 'service:nginx.service', opened: false }],
        },
      }),
    );
    expect(r.pass).toBe(false);
    expect(r.reasons.find((x) => x.startsWith('expected at most 0 alerts'))).toMatch(
      /^expected at most 0 alerts, sent 2: t=10 ".*Service nginx\.service failed.*"; t=20 ".*RESOLVED service:nginx\.service/,
    );
    expect(
      r.reasons.some((x) => x.startsWith('forbidden restart_service happened 1× (first at t=10 min: success')),
    ).toBe(true);
    expect(r.reasons).toContain(
      'expected incident service:nginx.service not to open, it did (opened: service:nginx.service)',
    );
  });

  it('removes its temp directory unless asked to keep it', async () => {
    const r = await runScenario(ScenarioSchema.parse({ ...base, durationMin: 5 }), { keep: true });
    try {
      expect(r.dir && existsSync(join(r.dir, 'state', 'cycle_state.json'))).toBe(true);
    } finally {
      if (r.dir) rmSync(r.dir, { recursive: true, force: true });
    }
  });
});

describe('argus simulate', () => {
  it('exits 0 when every scenario passes, 1 when one fails, and prints the reasons', async () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...base, expect: { maxBeads: 0 } }));
    const ok = io();
    expect(await simulate(['a.json'], ok.io)).toBe(0);
    expect(ok.out.stdout).toMatch(/^PASS {2}nginx-dies/);
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ ...base, name: 'wrong', expect: { quiet: true } }));
    const bad = io();
    expect(await simulate([dir, '--json'], bad.io)).toBe(1);
    const json = JSON.parse(bad.out.stdout) as {
      passed: number;
      total: number;
      results: Array<{ name: string; reasons: string[] }>;
    };
    expect([json.passed, json.total]).toEqual([1, 2]);
    expect(json.results[1]?.reasons[0]).toMatch(/^expected silence, saw 2 alerts and 1 actions/);
  });

  it('exits 2 for a file that is not a scenario', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'x', durationMin: 'long' }));
    const r = io();
    expect(await simulate(['bad.json'], r.io)).toBe(2);
    expect(r.out.stderr).toMatch(/not a valid scenario: description: .*durationMin/);
  });
});
