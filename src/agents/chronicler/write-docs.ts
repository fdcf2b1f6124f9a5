// Write runbooks and post-mortems into the docs dir: keep human sections, skip unchanged files, optional git commit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecOptions, ExecResult } from '../../host/port.js';
import type { Analysis } from './analysis.js';
import { mergeHuman } from './markdown.js';
import { postmortemPath, renderPostmortem } from './postmortem.js';
import { renderRunbook, runbookPath } from './runbook.js';
import { cmp } from './util.js';
import { writeTextAtomic } from './write-atomic.js';

export type Exec = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

export interface PlannedDoc {
  /** Relative to the docs dir, e.g. `runbooks/service-nginx-service.md`. */
  path: string;
  content: string;
  status: 'created' | 'updated' | 'unchanged';
}

export interface WriteDocsOptions {
  outDir: string;
  dryRun?: boolean;
  /** Commit the changed docs when outDir is in a git work tree (off by default). */
  commit?: boolean;
  exec?: Exec;
}

export interface WriteDocsResult {
  docs: PlannedDoc[];
  commit: { status: 'off' | 'committed' | 'nothing' | 'not_a_repo' | 'failed'; detail: string };
}

/** Every document the analysis yields, in path order, merged with the human sections already on disk. */
export function planDocs(analysis: Analysis, outDir: string): PlannedDoc[] {
  const rendered = new Map<string, string>();
  for (const p of analysis.problems) rendered.set(runbookPath(p.identity), renderRunbook(p, analysis.patterns));
  for (const i of analysis.incidents) rendered.set(postmortemPath(i), renderPostmortem(i, analysis.patterns));
  return [...rendered.entries()]
    .sort((a, b) => cmp(a[0], b[0]))
    .map(([path, generated]) => {
      const previous = readOrNull(join(outDir, path));
      const content = mergeHuman(generated, previous);
      return { path, content, status: previous === null ? 'created' : previous === content ? 'unchanged' : 'updated' };
    });
}

export async function writeDocs(analysis: Analysis, options: WriteDocsOptions): Promise<WriteDocsResult> {
  const docs = planDocs(analysis, options.outDir);
  if (options.dryRun) return { docs, commit: { status: 'off', detail: 'dry run' } };
  for (const d of docs) if (d.status !== 'unchanged') writeTextAtomic(join(options.outDir, d.path), d.content);
  if (!options.commit || !options.exec) return { docs, commit: { status: 'off', detail: 'commit not requested' } };
  const changed = docs.filter((d) => d.status !== 'unchanged').map((d) => d.path);
  return { docs, commit: await commitDocs(options.exec, options.outDir, changed) };
}

async function commitDocs(exec: Exec, dir: string, paths: string[]): Promise<WriteDocsResult['commit']> {
  const inside = await exec('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree']);
  if (inside.failed || inside.stdout.trim() !== 'true') return { status: 'not_a_repo', detail: `${dir} is not in a git work tree` };
  if (paths.length === 0) return { status: 'nothing', detail: 'no document changed' };
  const add = await exec('git', ['-C', dir, 'add', '--', ...paths]);
  if (add.failed) return { status: 'failed', detail: `git add: ${add.stderr.trim() || add.spawnError || 'failed'}` };
  const message = `docs: argus chronicle updated ${paths.length} document(s)`;
  const commit = await exec('git', ['-C', dir, 'commit', '--quiet', '-m', message, '--', ...paths]);
  if (commit.failed) return { status: 'failed', detail: `git commit: ${commit.stderr.trim() || commit.stdout.trim() || commit.spawnError || 'failed'}` };
  return { status: 'committed', detail: message };
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
