import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregate } from '../../../src/agents/chronicler/aggregate.js';
import { HUMAN_END, HUMAN_START } from '../../../src/agents/chronicler/markdown.js';
import { writeDocs } from '../../../src/agents/chronicler/write-docs.js';
import { execFile } from '../../../src/host/exec.js';
import { generateWeek } from '../../support/registry-gen.js';

let dir: string;
let out: string;
beforeEach(() => {
  dir = mkdtempSync(`${tmpdir()}/argus-`);
  out = join(dir, 'docs');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const snapshot = (root: string) =>
  Object.fromEntries(
    ['runbooks', 'postmortems'].flatMap((sub) =>
      existsSync(join(root, sub))
        ? readdirSync(join(root, sub))
            .sort()
            .map((f) => [`${sub}/${f}`, readFileSync(join(root, sub, f), 'utf8')])
        : [],
    ),
  );

describe('writeDocs', () => {
  it('writes one runbook per identity and a post-mortem for the escalated incident', async () => {
    const a = await aggregate(generateWeek(dir));
    const result = await writeDocs(a, { outDir: out });
    expect(result.docs.map((d) => [d.path, d.status])).toEqual([
      ['postmortems/2024-05-08-inc-api-1.md', 'created'],
      ['runbooks/disk-root.md', 'created'],
      ['runbooks/service-api-service.md', 'created'],
      ['runbooks/service-nginx-service.md', 'created'],
    ]);
    const nginx = readFileSync(join(out, 'runbooks/service-nginx-service.md'), 'utf8');
    for (const heading of [
      '## Confirm',
      '## What Argus does by itself',
      '## What has worked before',
      '## Known causes',
      '## Steps (in order)',
      '## Evidence',
      '## History',
    ])
      expect(nginx).toContain(heading);
    expect(nginx).toContain('service:nginx.service recurs: up to 4 incidents a day, on 7 of 7 days with incidents');
    expect(nginx).toContain('| 2024-05-06 | 4 | 4 | 4 | 4 | 0 |');
    const pm = readFileSync(join(out, 'postmortems/2024-05-08-inc-api-1.md'), 'utf8');
    expect(pm).toContain('port 8080 already in use');
    expect(pm).toContain('| 2024-05-08 14:01 | restart api.service | failed | Argus (playbook) |');
    expect(pm).toContain('| Time to recover | 50 min |');
    expect(pm).toContain('(1 detection while open)');
    expect(pm).toContain('| 2024-05-08 14:00 | first detected: api.service is failed |');
  });

  it('regenerates byte-identical files from the same input', async () => {
    const week = generateWeek(dir);
    await writeDocs(await aggregate(week), { outDir: out });
    const first = snapshot(out);
    const again = await writeDocs(await aggregate(week), { outDir: out });
    expect(again.docs.every((d) => d.status === 'unchanged')).toBe(true);
    expect(snapshot(out)).toEqual(first);
    const other = join(dir, 'docs2');
    await writeDocs(await aggregate(week), { outDir: other });
    expect(snapshot(other)).toEqual(first);
  });

  it('keeps the human section across regenerations', async () => {
    const week = generateWeek(dir);
    await writeDocs(await aggregate(week), { outDir: out });
    const path = join(out, 'runbooks/service-nginx-service.md');
    const human = `${HUMAN_START}\nCall Dana before touching nginx; the 03:00 job is the log shipper.\n${HUMAN_END}`;
    const text = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      text
        .replace(/<!-- argus:human:start -->[\s\S]*<!-- argus:human:end -->/, human)
        .replace('## Confirm', '## Confirm (edited)'),
    );
    const again = await writeDocs(await aggregate(week), { outDir: out });
    expect(again.docs.find((d) => d.path === 'runbooks/service-nginx-service.md')?.status).toBe('updated');
    const regenerated = readFileSync(path, 'utf8');
    expect(regenerated).toContain(human);
    expect(regenerated).toContain('## Confirm\n');
    expect(regenerated).toBe(text.replace(/<!-- argus:human:start -->[\s\S]*<!-- argus:human:end -->/, human));
  });

  it('writes nothing in a dry run', async () => {
    const result = await writeDocs(await aggregate(generateWeek(dir)), { outDir: out, dryRun: true });
    expect(result.docs).toHaveLength(4);
    expect(existsSync(out)).toBe(false);
  });

  it('commits the docs when asked and the dir is a git work tree', async () => {
    const git = (...args: string[]) => execFileSync('git', ['-C', out, ...args], { encoding: 'utf8' });
    const week = generateWeek(dir);
    const a = await aggregate(week);
    const notRepo = await writeDocs(a, { outDir: out, commit: true, exec: execFile });
    expect(notRepo.commit.status).toBe('not_a_repo');
    rmSync(out, { recursive: true });
    execFileSync('git', ['init', '-q', out]);
    git('config', 'user.email', 'argus@example.invalid');
    git('config', 'user.name', 'Argus Test');
    const first = await writeDocs(a, { outDir: out, commit: true, exec: execFile });
    expect(first.commit.status).toBe('committed');
    expect(git('log', '--format=%s').trim()).toBe('docs: argus chronicle updated 4 document(s)');
    expect(git('status', '--porcelain').trim()).toBe('');
    const second = await writeDocs(a, { outDir: out, commit: true, exec: execFile });
    expect(second.commit.status).toBe('nothing');
    expect(git('rev-list', '--count', 'HEAD').trim()).toBe('1');
  });
});
