// A lint over every generated document, read by a real markdown parser (markdown-it, in the tests only): runbooks and
// post-mortems from replayed scenarios and a synthetic week must parse into the structure they mean, carry no
// placeholder, no internal field name, no duplicate evidence, only links that resolve and shell that parses.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChronicle } from '../../../src/agents/chronicler/chronicle.js';
import { runScenario } from '../../../src/simulate/runner.js';
import { ScenarioSchema } from '../../../src/simulate/scenario.js';
import { generateWeek } from '../../support/registry-gen.js';

type Token = ReturnType<MarkdownIt['parse']>[number];

const SCENARIOS = ['crash-loop-gives-up', 'disk-full-clean', 'memory-hog-named', 'probe-tied-to-down-service'];
// html: true, as GitHub and most viewers read it: raw HTML is then an html token (only comments are allowed).
const md = new MarkdownIt({ html: true });
const docs = new Map<string, { path: string; text: string; tokens: Token[] }>();
/** camelCase keys of every record's details (at any depth): the internal names a document must not show. */
const internal = new Set<string>(['activeEnterTimestamp', 'detail_keys']);
let root: string;

function collectKeys(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(collectKeys);
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (/^[a-z]+[A-Z][A-Za-z]*$/.test(k)) internal.add(k);
    collectKeys(v);
  }
}

async function chronicle(
  name: string,
  registryPath: string,
  historyPath: string,
  since: Date,
  until: Date,
): Promise<void> {
  for (const line of readFileSync(registryPath, 'utf8').split('\n').filter(Boolean))
    collectKeys((JSON.parse(line) as { details?: unknown }).details);
  const out = join(root, 'docs', name);
  mkdirSync(join(root, 'state', name), { recursive: true });
  const r = await runChronicle({
    registryPath,
    historyPath,
    since,
    until,
    outDir: out,
    statePath: join(root, 'state', name, 'chronicle_state.json'),
  });
  for (const d of r.written.docs) {
    const text = readFileSync(join(out, d.path), 'utf8');
    docs.set(`${name}/${d.path}`, { path: join(out, d.path), text, tokens: md.parse(text, {}) });
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'argus-docs-lint-'));
  for (const n of SCENARIOS) {
    const s = ScenarioSchema.parse(JSON.parse(readFileSync(`scenarios/${n}.json`, 'utf8')));
    const r = await runScenario(s, { keep: true });
    const state = join(r.dir!, 'state');
    const start = Date.parse(s.start);
    await chronicle(
      n,
      join(state, 'problems.jsonl'),
      join(state, 'history.jsonl'),
      new Date(start - 3_600_000),
      new Date(start + (s.durationMin + 60) * 60_000),
    );
    rmSync(r.dir!, { recursive: true, force: true });
  }
  mkdirSync(join(root, 'week'));
  const week = generateWeek(join(root, 'week'));
  await chronicle('week', week.registryPath, week.historyPath, week.since, week.until);
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** All tokens, inline children included. */
const flat = (tokens: readonly Token[]): Token[] => tokens.flatMap((t) => [t, ...(t.children ? flat(t.children) : [])]);
const fences = (tokens: readonly Token[]) => tokens.filter((t) => t.type === 'fence');
const SHELL = ['sh', 'bash', 'shell'];
/** The text a reader sees: prose, inline code and code blocks (HTML comments, the human section's markers, left out). */
const visible = (tokens: readonly Token[]) =>
  flat(tokens)
    .filter((t) => t.type === 'text' || t.type === 'code_inline' || t.type === 'fence')
    .map((t) => t.content);

/** What is wrong with one document, read as markdown-it reads it: one string per problem. */
function lint(path: string, text: string, names: ReadonlySet<string>): string[] {
  const tokens = md.parse(text, {});
  const problems: string[] = [];
  const lines = text.split('\n');
  // Structure: one title first; every fence closed; every `|` line inside a table; no raw HTML but comments.
  if (
    tokens[0]?.type !== 'heading_open' ||
    tokens.filter((t) => t.type === 'heading_open' && t.tag === 'h1').length !== 1
  )
    problems.push('structure: not exactly one title, first');
  const fenced = new Set<number>();
  for (const f of fences(tokens)) {
    for (let i = f.map![0]; i < f.map![1]; i++) fenced.add(i);
    // An unclosed fence runs to the end of the document: its last line is then not the closing marker.
    if (lines[f.map![1] - 1]?.trim() !== f.markup)
      problems.push(`structure: unclosed code fence at line ${f.map![0] + 1}`);
  }
  const tabled = new Set<number>();
  for (const t of tokens.filter((x) => x.type === 'table_open'))
    for (let i = t.map![0]; i < t.map![1]; i++) tabled.add(i);
  lines.forEach((l, i) => {
    if (l.startsWith('|') && !fenced.has(i) && !tabled.has(i))
      problems.push(`structure: line ${i + 1} is not in a table`);
  });
  for (const t of flat(tokens).filter((x) => x.type === 'html_block' || x.type === 'html_inline')) {
    if (!/^<!--[\s\S]*-->$/.test(t.content.trim()))
      problems.push(`structure: raw HTML ${t.content.trim().slice(0, 60)}`);
  }
  // Facts, not placeholders; words, not field names.
  const seen = visible(tokens);
  for (const t of seen) for (const m of t.match(/<[a-z][a-z _-]*>/gi) ?? []) problems.push(`placeholder: ${m}`);
  const all = seen.join('\n');
  for (const name of names) if (new RegExp(`\\b${name}\\b`).test(all)) problems.push(`internal name: ${name}`);
  // Any camelCase word in prose is a field name leaking (commands and code may hold them; prose never does).
  for (const t of flat(tokens).filter((x) => x.type === 'text'))
    for (const m of t.content.match(/\b[a-z]+[A-Z][A-Za-z]*\b/g) ?? []) problems.push(`camelCase in prose: ${m}`);
  // Evidence once: table rows and list items distinct.
  const rows = new Set<string>();
  let row: string[] | null = null;
  const lists: string[][] = [];
  for (const t of tokens) {
    if (t.type === 'tr_open') row = [];
    else if (t.type === 'inline' && row) row.push(t.content);
    else if (t.type === 'tr_close' && row) {
      const r = row.join(' | ');
      if (rows.has(r)) problems.push(`duplicate row: ${r}`);
      rows.add(r);
      row = null;
    } else if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') lists.push([]);
    else if (t.type === 'inline' && lists.length) lists.at(-1)!.push(t.content);
    else if ((t.type === 'bullet_list_close' || t.type === 'ordered_list_close') && lists.length) {
      const items = lists.pop()!;
      for (const [i, item] of items.entries()) if (items.indexOf(item) !== i) problems.push(`duplicate item: ${item}`);
    }
  }
  // Links that resolve; shell that parses.
  for (const t of flat(tokens).filter((x) => x.type === 'link_open')) {
    const href = t.attrGet('href') ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) continue;
    if (!existsSync(resolve(dirname(path), decodeURIComponent(href.split('#')[0]!))))
      problems.push(`broken link: ${href}`);
  }
  for (const f of fences(tokens).filter((x) => SHELL.includes(x.info.trim()))) {
    try {
      execFileSync('bash', ['-n'], { input: f.content, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch {
      problems.push(`shell: bash -n refuses ${f.content.trim().slice(0, 80)}`);
    }
  }
  return problems;
}

describe('every generated document, through markdown-it', () => {
  it('was generated: runbooks and post-mortems from every source', () => {
    const keys = [...docs.keys()];
    for (const n of [...SCENARIOS, 'week'])
      expect(
        keys.some((k) => k.startsWith(`${n}/runbooks/`)),
        n,
      ).toBe(true);
    expect(keys.filter((k) => k.includes('/postmortems/')).length).toBeGreaterThanOrEqual(2);
    // The names come from the records the documents were written from, so a new detail field is covered too.
    expect(internal.size).toBeGreaterThan(5);
  });

  it('passes the lint: structure, no placeholder, no internal name, no duplicate, links resolve, shell parses', () => {
    const found = [...docs].flatMap(([key, { path, text }]) => lint(path, text, internal).map((p) => `${key}: ${p}`));
    expect(found).toEqual([]);
  });

  it('has links and shell blocks to check (the lint is not vacuous)', () => {
    const tokens = [...docs.values()].flatMap((d) => flat(d.tokens));
    expect(
      tokens.filter((t) => t.type === 'link_open' && !/^[a-z]+:/.test(t.attrGet('href') ?? '')).length,
    ).toBeGreaterThan(0);
    expect(tokens.filter((t) => t.type === 'fence' && SHELL.includes(t.info.trim())).length).toBeGreaterThan(10);
    expect(tokens.filter((t) => t.type === 'table_open').length).toBeGreaterThan(5);
  });

  it.each([
    ['a placeholder', '# T\n\n```sh\njournalctl -u <unit> --no-pager\n```\n', 'placeholder: <unit>'],
    ['an internal field name', '# T\n\nDetail fields: `activeEnterTimestamp`\n', 'internal name: activeEnterTimestamp'],
    ['a camelCase word in prose', '# T\n\nThe unit reports lastExitCode 3.\n', 'camelCase in prose: lastExitCode'],
    [
      'a duplicate evidence row',
      '# T\n\n| When | What |\n|---|---|\n| 10:00 | down |\n| 10:00 | down |\n',
      'duplicate row: 10:00 | down',
    ],
    ['a duplicate list item', '# T\n\n- restart it\n- restart it\n', 'duplicate item: restart it'],
    [
      'a broken relative link',
      '# T\n\nSee [the post-mortem](../postmortems/nope.md).\n',
      'broken link: ../postmortems/nope.md',
    ],
    [
      'shell that does not parse',
      '# T\n\n```bash\nif true; then echo\n```\n',
      'shell: bash -n refuses if true; then echo',
    ],
    ['an unclosed fence', '# T\n\n```sh\ndf -h /\n', 'structure: unclosed code fence at line 3'],
    ['a table row outside a table', '# T\n\n| lonely row |\n', 'structure: line 3 is not in a table'],
    ['raw HTML', '# T\n\n<script>x</script>\n', 'structure: raw HTML <script>x</script>'],
    ['two titles', '# T\n\n# U\n', 'structure: not exactly one title, first'],
  ])('catches %s', (_what, text, problem) => {
    expect(lint(join(root, 'docs', 'x', 'runbooks', 'bad.md'), text, internal)).toContain(problem);
  });
});
