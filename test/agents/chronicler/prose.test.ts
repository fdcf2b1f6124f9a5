import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aggregate } from '../../../src/agents/chronicler/aggregate.js';
import type { Analysis } from '../../../src/agents/chronicler/schemas.js';
import { checkFacts } from '../../../src/agents/chronicler/facts.js';
import { extractHuman, HUMAN_END, HUMAN_START } from '../../../src/agents/chronicler/markdown.js';
import { createProseImprover, HUMAN_PLACEHOLDER } from '../../../src/agents/chronicler/prose.js';
import { renderAll, writeDocs, type ImproveDoc } from '../../../src/agents/chronicler/write-docs.js';
import { createAgentRunner } from '../../../src/llm/agent-runner.js';
import { createLlmBudget, llmStatePath } from '../../../src/llm/budget.js';
import type { ModelClient } from '../../../src/llm/client.js';
import { silentLog } from '../../../src/log.js';
import { generateWeek } from '../../support/registry-gen.js';
import {
  promptText,
  reply,
  scriptModel,
  testClient,
  text,
  type ScriptedRequest,
  type Turn,
} from '../../support/scripted-model.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const NGINX = 'runbooks/service-nginx-service.md';
const PATHS = [
  'postmortems/2024-05-08-inc-api-1.md',
  'runbooks/disk-root.md',
  'runbooks/service-api-service.md',
  NGINX,
];
const NOW = new Date('2024-05-13T06:00:00Z');

let dir: string;
let analysis: Analysis;
beforeEach(async () => {
  dir = mkdtempSync(`${tmpdir()}/argus-`);
  analysis = await aggregate(generateWeek(dir));
});
afterEach(() => {
  server.resetHandlers();
  rmSync(dir, { recursive: true, force: true });
});

const improver = (client: ModelClient | null = testClient()): ImproveDoc =>
  createProseImprover({
    runner: createAgentRunner({
      client,
      budget: createLlmBudget({ path: llmStatePath(dir) }),
      log: silentLog(),
      now: () => NOW,
    }),
  });

const read = (root: string) =>
  Object.fromEntries(
    ['runbooks', 'postmortems'].flatMap((sub) =>
      existsSync(join(root, sub))
        ? readdirSync(join(root, sub))
            .sort()
            .map((f) => [`${sub}/${f}`, readFileSync(join(root, sub, f), 'utf8')])
        : [],
    ),
  );

/** What the model-off run writes. */
async function deterministicDocs(): Promise<Record<string, string>> {
  const out = join(dir, 'deterministic');
  await writeDocs(analysis, { outDir: out });
  return read(out);
}

/** The document the model was sent (the host_data block named `document`). */
function sentDoc(req: ScriptedRequest): { path: string; markdown: string } {
  const blocks = req.body.messages[0]!.content as Array<{ text: string }>;
  const path = /generated document (\S+)\./.exec(blocks[0]!.text)![1]!;
  const block = blocks.find((b) => b.text.startsWith('<host_data source="document">'))!.text;
  return { path, markdown: block.replace(/^<host_data source="document">\n/, '').replace(/\n<\/host_data>$/, '') };
}

/** A scripted model that answers every document with `edit(markdown)` for NGINX and the markdown unchanged otherwise. */
function rewriting(edit: (markdown: string) => string): Turn {
  return (req) => {
    const { path, markdown } = sentDoc(req);
    return reply([text(JSON.stringify({ markdown: path === NGINX ? edit(markdown) : markdown }))]);
  };
}
const insert = (sentence: string) => (md: string) => md.replace('## Confirm', `${sentence}\n\n## Confirm`);

const GOOD = (md: string) =>
  md
    .replace(
      '28 detections in the window, the same observation said once:',
      'Argus recorded 28 detections of `nginx.service` in this window. Each distinct observation once:',
    )
    .replace(
      '## What has worked before\n\n',
      '## What has worked before\n\nFrom the closed incidents of this window:\n\n',
    );

describe('the chronicler micro-agent (prose)', () => {
  it('accepts improved prose whose every fact is in the data, and marks it', async () => {
    const expected = await deterministicDocs();
    const script = scriptModel(
      server,
      PATHS.map(() => rewriting(GOOD)),
    );
    const out = join(dir, 'docs');
    const result = await writeDocs(analysis, { outDir: out, improve: improver() });
    script.verify();
    expect(result.docs.map((d) => [d.path, d.status, d.prose])).toEqual(
      PATHS.map((p) => [p, 'created', { source: 'llm' }]),
    );
    const nginx = readFileSync(join(out, NGINX), 'utf8');
    expect(nginx).toContain('Argus recorded 28 detections of `nginx.service` in this window.');
    expect(nginx).not.toContain('28 detections in the window, the same observation said once:');
    expect(nginx).toMatch(/<!-- argus:prose sha256=[0-9a-f]{64}/);
    expect(checkFacts(nginx, [analysis, ...renderAll(analysis).find((r) => r.path === NGINX)!.sources])).toEqual({
      ok: true,
      unknown: [],
    });
    expect(extractHuman(nginx)).toBe(extractHuman(expected[NGINX]!));
    // The model saw the data in host_data blocks and never the human section.
    const prompt = promptText(script.requests[3]!, { system: false });
    expect(prompt).toContain('<host_data source="data">');
    expect(prompt).toContain(HUMAN_PLACEHOLDER);
    expect(prompt).not.toContain(HUMAN_START);
    expect(script.requests[3]!.body.system).toContain('Never add numbers');
    expect(script.requests[3]!.body.tools).toBeUndefined();
  });

  const invented: Array<[string, (md: string) => string, string]> = [
    ['a number (restarted 7 times; the data says 4)', insert('nginx.service was restarted 7 times a night.'), '7'],
    ['a number absent from the data', insert('Each outage cost 37 minutes.'), '37'],
    ['a PID', insert('The culprit is PID 31337.'), '31337'],
    ['a time', insert('It always fails at 04:15 UTC.'), '04:15'],
    ['a date', insert('It started on 2024-05-02.'), '2024-05-02'],
    ['a name', insert('It depends on redis.service.'), 'redis.service'],
    ['a spelled-out number', insert('It was restarted eleven times.'), 'eleven'],
    ['a number hidden in an HTML comment', insert('<!-- restarted 9 times -->'), 'HTML comments'],
    [
      'a changed table row',
      (md) => md.replace('| 2024-05-06 | 4 | 4 | 4 | 4 | 0 |', '| 2024-05-06 | 4 | 5 | 4 | 4 | 0 |'),
      'tables changed',
    ],
    ['a changed heading', (md) => md.replace('## Known causes', '## Causes'), 'headings changed'],
    ['a dropped human section', (md) => md.replace(HUMAN_PLACEHOLDER, ''), 'placeholder'],
    [
      'a forged human section',
      (md) => md.replace(HUMAN_PLACEHOLDER, `${HUMAN_START}\nrestarted 9 times\n${HUMAN_END}`),
      'placeholder',
    ],
  ];

  it.each(invented)(
    'rejects the model version with %s: deterministic file written, reason recorded',
    async (_name, edit, token) => {
      const expected = await deterministicDocs();
      const script = scriptModel(
        server,
        PATHS.map(() => rewriting((md) => edit(GOOD(md)))),
      );
      const out = join(dir, 'docs');
      const result = await writeDocs(analysis, { outDir: out, improve: improver() });
      script.verify();
      const doc = result.docs.find((d) => d.path === NGINX)!;
      expect(doc.prose?.source).toBe('deterministic');
      expect(doc.prose?.rejected).toContain(token);
      expect(read(out)[NGINX]).toBe(expected[NGINX]);
      // The other documents were accepted as the model sent them.
      expect(result.docs.filter((d) => d.path !== NGINX).map((d) => d.prose)).toEqual([
        { source: 'llm' },
        { source: 'llm' },
        { source: 'llm' },
      ]);
    },
  );

  it('keeps the human section byte-identical and never shows it to the model', async () => {
    const expected = await deterministicDocs();
    const out = join(dir, 'docs');
    const human = `${HUMAN_START}\nCall Dana (ext. 4711) before touching nginx; the 03:00 job is the log shipper.\n${HUMAN_END}`;
    mkdirSync(join(out, 'runbooks'), { recursive: true });
    // An older version of the runbook, with notes a person wrote.
    writeFileSync(
      join(out, NGINX),
      expected[NGINX]!.replace('28 detections', '27 detections').replace(
        /<!-- argus:human:start -->[\s\S]*<!-- argus:human:end -->/,
        human,
      ),
    );
    const script = scriptModel(
      server,
      PATHS.map(() => rewriting(GOOD)),
    );
    const result = await writeDocs(analysis, { outDir: out, improve: improver() });
    script.verify();
    expect(result.docs.find((d) => d.path === NGINX)).toMatchObject({ status: 'updated', prose: { source: 'llm' } });
    const nginx = readFileSync(join(out, NGINX), 'utf8');
    expect(extractHuman(nginx)).toBe(human);
    expect(nginx).toContain('Argus recorded 28 detections');
    for (const req of script.requests) expect(promptText(req)).not.toContain('Dana');
  });

  it('does not call the model again while the data are unchanged (the model prose is kept as written)', async () => {
    const out = join(dir, 'docs');
    const script = scriptModel(
      server,
      PATHS.map(() => rewriting(GOOD)),
    );
    await writeDocs(analysis, { outDir: out, improve: improver() });
    script.verify();
    const first = read(out);
    server.resetHandlers();
    const none = scriptModel(server, []);
    const again = await writeDocs(analysis, { outDir: out, improve: improver() });
    none.verify();
    expect(again.docs.map((d) => d.status)).toEqual(PATHS.map(() => 'unchanged'));
    expect(read(out)).toEqual(first);
  });

  it('writes the deterministic documents when the API fails (500), then backs off without more calls', async () => {
    const expected = await deterministicDocs();
    const script = scriptModel(server, [
      () => HttpResponse.json({ type: 'error', error: { type: 'api_error', message: 'boom' } }, { status: 500 }),
    ]);
    const out = join(dir, 'docs');
    const result = await writeDocs(analysis, { outDir: out, improve: improver() });
    script.verify();
    expect(read(out)).toEqual(expected);
    expect(result.docs.map((d) => d.prose?.fallback?.split(':')[0])).toEqual([
      'api_error',
      'backoff',
      'backoff',
      'backoff',
    ]);
    expect(result.docs.every((d) => d.prose?.source === 'deterministic')).toBe(true);
  });

  it('makes no request without a key, and the documents are the model-off ones byte for byte', async () => {
    const expected = await deterministicDocs();
    const script = scriptModel(server, []);
    const out = join(dir, 'docs');
    const result = await writeDocs(analysis, { outDir: out, improve: improver(null) });
    script.verify();
    expect(script.requests).toHaveLength(0);
    expect(read(out)).toEqual(expected);
    expect(result.docs.map((d) => d.prose?.fallback?.split(':')[0])).toEqual(PATHS.map(() => 'no_key'));
  });
});
