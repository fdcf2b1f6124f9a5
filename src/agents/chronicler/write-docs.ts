// Write runbooks and post-mortems into the docs dir: keep human sections, skip unchanged files, optional git commit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecOptions, ExecResult } from '../../host/port.js';
import type { Analysis } from './schemas.js';
import { generatedPart, mergeHuman } from './markdown.js';
import { postmortemPath, renderPostmortem } from './postmortem.js';
import { renderRunbook, runbookPath, runbookView } from './runbook.js';
import { cmp } from './util.js';
import { writeTextAtomic } from './write-atomic.js';

export type Exec = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

export interface PlannedDoc {
  /** Relative to the docs dir, e.g. `runbooks/service-nginx-service.md`. */
  path: string;
  content: string;
  status: 'created' | 'updated' | 'unchanged';
  /** Only with an `improve` hook: where the prose came from, and why a model version was not used. */
  prose?: Omit<ImprovedDoc, 'markdown'>;
}

/** A document about to be written: its deterministic content (human section merged) and the file on disk. */
export interface DocToImprove {
  path: string;
  content: string;
  previous: string | null;
}

export interface ImprovedDoc {
  markdown: string;
  source: 'llm' | 'deterministic';
  /** Why the model's version was refused (invented facts, broken structure). */
  rejected?: string;
  /** Why no model version was asked for or received (no key, budget, API failure). */
  fallback?: string;
}

/** Optional prose pass (the chronicler micro-agent); `sources` are the data the document was rendered from. */
export type ImproveDoc = (doc: DocToImprove, sources: readonly unknown[]) => Promise<ImprovedDoc>;

export interface WriteDocsOptions {
  outDir: string;
  dryRun?: boolean;
  /** Commit the changed docs when outDir is in a git work tree (off by default). */
  commit?: boolean;
  exec?: Exec;
  /** Called for each created or updated document (never in a dry run, never for unchanged ones). */
  improve?: ImproveDoc;
}

export interface WriteDocsResult {
  docs: PlannedDoc[];
  commit: { status: 'off' | 'committed' | 'nothing' | 'not_a_repo' | 'failed'; detail: string };
}

export interface Rendered {
  path: string;
  generated: string;
  /** What the document was written from: the facts check accepts nothing else. */
  sources: unknown[];
}

/** Every document the analysis yields with what it was rendered from (the sources the facts check accepts). */
export function renderAll(analysis: Analysis): Rendered[] {
  const rendered = new Map<string, Rendered>();
  const patternsOf = (identity: string) => analysis.patterns.filter((x) => x.identity === identity);
  for (const p of analysis.problems) {
    const path = runbookPath(p.identity);
    // The deterministic document is itself a source: it says only what the data says (its derived words and
    // durations included), so a model's rewrite may restate it and nothing else.
    const generated = renderRunbook(p, analysis.patterns, analysis.incidents);
    rendered.set(path, {
      path,
      generated,
      sources: [p, patternsOf(p.identity), runbookView(p, analysis.incidents), generatedPart(generated)],
    });
  }
  for (const i of analysis.incidents) {
    const path = postmortemPath(i);
    const generated = renderPostmortem(i, analysis.patterns);
    rendered.set(path, { path, generated, sources: [i, patternsOf(i.identity), generatedPart(generated)] });
  }
  return [...rendered.values()].sort((a, b) => cmp(a.path, b.path));
}

type Planned = PlannedDoc & { previous: string | null; sources: unknown[] };

function planAll(analysis: Analysis, outDir: string): Planned[] {
  return renderAll(analysis).map(({ path, generated, sources }) => {
    const previous = readOrNull(join(outDir, path));
    const content = mergeHuman(generated, previous);
    return { path, content, status: statusOf(content, previous), previous, sources };
  });
}

const statusOf = (content: string, previous: string | null): PlannedDoc['status'] =>
  previous === null ? 'created' : previous === content ? 'unchanged' : 'updated';

/** Every document the analysis yields, in path order, merged with the human sections already on disk. */
export function planDocs(analysis: Analysis, outDir: string): PlannedDoc[] {
  return planAll(analysis, outDir).map(({ path, content, status }) => ({ path, content, status }));
}

export async function writeDocs(analysis: Analysis, options: WriteDocsOptions): Promise<WriteDocsResult> {
  const planned = planAll(analysis, options.outDir);
  if (options.dryRun)
    return {
      docs: planned.map(({ path, content, status }) => ({ path, content, status })),
      commit: { status: 'off', detail: 'dry run' },
    };
  const docs: PlannedDoc[] = [];
  for (const { previous, sources, ...d } of planned) {
    // Sequential on purpose: one model call at a time, against one daily budget.
    if (options.improve && d.status !== 'unchanged') {
      const { markdown, ...prose } = await options.improve({ path: d.path, content: d.content, previous }, sources);
      docs.push({ path: d.path, content: markdown, status: statusOf(markdown, previous), prose });
    } else docs.push(d);
  }
  for (const d of docs) if (d.status !== 'unchanged') writeTextAtomic(join(options.outDir, d.path), d.content);
  if (!options.commit || !options.exec) return { docs, commit: { status: 'off', detail: 'commit not requested' } };
  const changed = docs.filter((d) => d.status !== 'unchanged').map((d) => d.path);
  return { docs, commit: await commitDocs(options.exec, options.outDir, changed) };
}

async function commitDocs(exec: Exec, dir: string, paths: string[]): Promise<WriteDocsResult['commit']> {
  const inside = await exec('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree']);
  if (inside.failed || inside.stdout.trim() !== 'true')
    return { status: 'not_a_repo', detail: `${dir} is not in a git work tree` };
  if (paths.length === 0) return { status: 'nothing', detail: 'no document changed' };
  const add = await exec('git', ['-C', dir, 'add', '--', ...paths]);
  if (add.failed) return { status: 'failed', detail: `git add: ${add.stderr.trim() || add.spawnError || 'failed'}` };
  const message = `docs: argus chronicle updated ${paths.length} document(s)`;
  const commit = await exec('git', ['-C', dir, 'commit', '--quiet', '-m', message, '--', ...paths]);
  if (commit.failed)
    return {
      status: 'failed',
      detail: `git commit: ${commit.stderr.trim() || commit.stdout.trim() || commit.spawnError || 'failed'}`,
    };
  return { status: 'committed', detail: message };
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
