// Every scenario of the library replays through the real pipeline and meets its expectations (what CI runs).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, scenarioFiles } from '../../src/simulate/load.js';
import { renderResult } from '../../src/simulate/report.js';
import { runScenario } from '../../src/simulate/runner.js';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');
const files = scenarioFiles(DIR);

describe('scenario library', () => {
  it('holds at least 15 scenarios, all valid', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const f of files) {
      const l = loadScenario(f);
      expect(l.ok ? '' : `${f}: ${l.error}`).toBe('');
    }
  });

  it.each(files.map((f) => [f.split('/').pop()!, f]))('%s passes', { timeout: 120_000 }, async (_name, file) => {
    const l = loadScenario(file);
    if (!l.ok) throw new Error(l.error);
    const r = await runScenario(l.scenario);
    expect(r.pass, renderResult(r)).toBe(true);
    expect(r.cycles).toBe(Math.ceil(l.scenario.durationMin / l.scenario.intervalMin));
  });
});
