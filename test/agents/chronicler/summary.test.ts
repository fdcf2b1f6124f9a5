import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregate } from '../../../src/agents/chronicler/aggregate.js';
import { runChronicle } from '../../../src/agents/chronicler/chronicle.js';
import { buildDailySummary, publishDaily, type DailySummary } from '../../../src/agents/chronicler/summary.js';
import { generateWeek } from '../../support/registry-gen.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(`${tmpdir()}/argus-`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('daily summary', () => {
  it('names every pattern and has a per-day key', async () => {
    const a = await aggregate(generateWeek(dir));
    const s = buildDailySummary(a, '2024-05-13');
    expect(s.key).toBe('summary:2024-05-13');
    expect(s.title).toBe('Argus daily summary 2024-05-13: 4 patterns');
    for (const p of a.patterns) expect(s.markdown).toContain(p.title);
    expect(buildDailySummary(a, '2024-05-13')).toEqual(s);
  });

  it('is published at most once a day, and retried after a failed delivery', async () => {
    const a = await aggregate(generateWeek(dir));
    const statePath = join(dir, 'chronicle_state.json');
    const sent: DailySummary[] = [];
    let up = false;
    const publish = async (s: DailySummary) => {
      if (!up) return { delivered: false, detail: 'channel down' };
      sent.push(s);
      return { delivered: true, detail: 'ok' };
    };
    const day1 = buildDailySummary(a, '2024-05-13');
    expect(await publishDaily({ statePath, summary: day1, publish })).toEqual({
      status: 'failed',
      detail: 'channel down',
    });
    expect(existsSync(statePath)).toBe(false);
    up = true;
    expect((await publishDaily({ statePath, summary: day1, publish })).status).toBe('published');
    expect((await publishDaily({ statePath, summary: day1, publish })).status).toBe('already');
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toEqual({ last_published_day: '2024-05-13' });
    expect((await publishDaily({ statePath, summary: buildDailySummary(a, '2024-05-14'), publish })).status).toBe(
      'published',
    );
    expect(sent.map((s) => s.key)).toEqual(['summary:2024-05-13', 'summary:2024-05-14']);
  });

  it('runChronicle writes docs and publishes once; a dry run neither writes nor publishes', async () => {
    const week = generateWeek(dir);
    const keys: string[] = [];
    const publish = async (s: DailySummary) => (keys.push(s.key), { delivered: true, detail: 'ok' });
    const base = { ...week, outDir: join(dir, 'docs'), statePath: join(dir, 'chronicle_state.json'), publish };
    const dry = await runChronicle({ ...base, dryRun: true });
    expect(dry.published).toBeNull();
    expect(existsSync(join(dir, 'docs'))).toBe(false);
    const first = await runChronicle(base);
    const second = await runChronicle(base);
    expect(first.published?.status).toBe('published');
    expect(second.published?.status).toBe('already');
    expect(keys).toEqual(['summary:2024-05-13']);
    expect(second.written.docs.every((d) => d.status === 'unchanged')).toBe(true);
  });
});
