import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregate } from '../../../src/agents/chronicler/aggregate.js';
import { checkFacts } from '../../../src/agents/chronicler/facts.js';
import { planDocs, renderAll } from '../../../src/agents/chronicler/write-docs.js';
import { HUMAN_START } from '../../../src/agents/chronicler/markdown.js';
import { buildDailySummary } from '../../../src/agents/chronicler/summary.js';
import { generateWeek } from '../../support/registry-gen.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(`${tmpdir()}/argus-`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function docsAndSources() {
  const a = await aggregate(generateWeek(dir));
  const rendered = renderAll(a);
  const sourcesOf = (path: string) => [a, ...rendered.find((r) => r.path === path)!.sources];
  return { a, docs: planDocs(a, `${dir}/docs`), sourcesOf, sources: sourcesOf('runbooks/service-nginx-service.md') };
}

describe('checkFacts', () => {
  it('accepts every generated document and the daily summary', async () => {
    const { a, docs, sourcesOf } = await docsAndSources();
    for (const d of docs)
      expect({ path: d.path, ...checkFacts(d.content, sourcesOf(d.path)) }).toEqual({
        path: d.path,
        ok: true,
        unknown: [],
      });
    expect(checkFacts(buildDailySummary(a, '2024-05-13').markdown, [a, { day: '2024-05-13' }])).toEqual({
      ok: true,
      unknown: [],
    });
  });

  it('rejects a document improved with an invented number, time, PID or name', async () => {
    const { docs, sources } = await docsAndSources();
    const nginx = docs.find((d) => d.path === 'runbooks/service-nginx-service.md')!.content;
    const cases: Array<[string, string]> = [
      ['The service was restarted 4 times each night, costing 37 minutes of downtime.', '37'],
      ['It always fails at 04:15 UTC.', '04:15'],
      ['The culprit is PID 31337.', '31337'],
      ['It depends on redis.service.', 'redis.service'],
      ['First seen 2024-05-02.', '2024-05-02'],
      ['The restarts succeeded 99.5 % of the time.', '99.5'],
    ];
    for (const [sentence, token] of cases) {
      const improved = nginx.replace('## Confirm', `${sentence}\n\n## Confirm`);
      const result = checkFacts(improved, sources);
      expect(result.ok, sentence).toBe(false);
      expect(result.unknown).toContain(token);
    }
  });

  it('accepts facts from the data, rounded numbers included, and ignores the human section', async () => {
    const { docs, sources } = await docsAndSources();
    const nginx = docs.find((d) => d.path === 'runbooks/service-nginx-service.md')!.content;
    const fine = nginx
      .replace(
        '## Evidence',
        'nginx.service restarted 4 times a night at 03:00 UTC; the restart succeeded 96.6 % (about 97 %) of the time.\n\n## Evidence',
      )
      .replace(HUMAN_START, `${HUMAN_START}\nA human may write 12345 here.`);
    expect(checkFacts(fine, sources)).toEqual({ ok: true, unknown: [] });
  });

  it('checks against raw records too', () => {
    const records = [{ ts: '2024-05-06T03:00:00.000Z', description: 'node:4242 RSS 812 MiB', details: { pid: 4242 } }];
    expect(checkFacts('At 2024-05-06 03:00, `node:4242` held 812 MiB (PID 4242).', records).ok).toBe(true);
    expect(checkFacts('At 2024-05-06 03:05, node:4242 held 812 MiB.', records).unknown).toEqual(['2024-05-06 03:05']);
  });
});
