import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBd, interpret, type Bd } from '../../src/host/bd.js';
import { execFile } from '../../src/host/exec.js';
import { BD_STANDIN } from '../support/bd-standin/paths.js';
import { execResult } from '../support/exec-result.js';

const input = (identity: string) => ({
  title: `[argus] service: ${identity} is down`,
  type: 'bug',
  priority: 0,
  labels: ['argus', 'service'],
  description: '-d looks like a flag; `$(rm -rf /)` stays text',
  externalRef: `argus:${identity}`,
  metadata: { identity },
});

describe('bd port (against the stand-in)', () => {
  let dir: string;
  let beadsDir: string;
  const make = (env: Record<string, string> = {}): Bd =>
    createBd({ exec: execFile, beadsDir, bin: BD_STANDIN, timeoutMs: 10_000, env: { ...process.env, ...env } });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'argus-'));
    beadsDir = join(dir, '.beads');
    expect((await make().init('argus')).ok).toBe(true);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['plain', {}],
    ['envelope', { BD_JSON_ENVELOPE: '1' }],
  ])('creates, lists, comments and closes (%s JSON)', async (_shape, env) => {
    const bd = make(env);
    const created = await bd.create(input('service:nginx.service'));
    if (!created.ok) throw new Error(created.error);
    expect(created.value).toMatchObject({
      id: 'argus-1',
      status: 'open',
      priority: 0,
      issue_type: 'bug',
      labels: ['argus', 'service'],
    });
    expect(created.value.description).toBe('-d looks like a flag; `$(rm -rf /)` stays text');

    const listed = await bd.list({ status: 'open', label: 'argus' });
    if (!listed.ok) throw new Error(listed.error);
    expect(listed.value.map((i) => [i.id, i.external_ref])).toEqual([['argus-1', 'argus:service:nginx.service']]);

    expect((await bd.comment('argus-1', 'seen again')).ok).toBe(true);
    expect((await bd.close('argus-1', 'healthy for 2 cycles')).ok).toBe(true);
    const after = await bd.list({ status: 'open', label: 'argus' });
    expect(after).toEqual({ ok: true, value: [] });

    const stored = readFileSync(join(beadsDir, 'issues.jsonl'), 'utf8');
    expect(stored).toContain('"close_reason":"healthy for 2 cycles"');
    expect(stored).toContain('"text":"seen again"');
  });

  it('lists more than 50 open beads (passes --limit 0)', async () => {
    const issues = Array.from({ length: 55 }, (_, i) => ({
      id: `argus-${i + 1}`,
      status: 'open',
      labels: ['argus'],
      external_ref: `argus:disk:/m${i}`,
    }));
    writeFileSync(join(beadsDir, 'issues.jsonl'), issues.map((i) => `${JSON.stringify(i)}\n`).join(''));
    const listed = await make().list({ status: 'open', label: 'argus' });
    expect(listed.ok && listed.value.length).toBe(55);
  });

  it('returns errors as values: unknown id, failing bd, missing bd, hostile id', async () => {
    expect(await make().close('argus-99', 'x')).toMatchObject({ ok: false, code: 'not_found', missing: false });
    expect(await make({ BD_STANDIN_FAIL: '1' }).list({ status: 'open', label: 'argus' })).toMatchObject({
      ok: false,
      code: 'standin_fail',
      missing: false,
    });
    const missing = createBd({ exec: execFile, bin: '/nonexistent/bd' });
    expect(await missing.list({ status: 'open', label: 'argus' })).toMatchObject({
      ok: false,
      code: 'not_found',
      missing: true,
    });
    const calls = readFileSync(join(beadsDir, 'calls.jsonl'), 'utf8');
    expect(await make().comment('--help', 'x')).toMatchObject({ ok: false, code: 'invalid_id' });
    expect(readFileSync(join(beadsDir, 'calls.jsonl'), 'utf8')).toBe(calls); // never ran
  });

  it('uses BEADS_DIR, not the working directory', async () => {
    await make().create(input('x:y'));
    expect(existsSync(join(beadsDir, 'issues.jsonl'))).toBe(true);
    expect(existsSync(join(process.cwd(), '.beads', 'issues.jsonl'))).toBe(false);
  });
});

describe('interpret', () => {
  const result = execResult;
  it('reads errors from stderr, timeouts, and non-JSON output', () => {
    expect(
      interpret(result({ exitCode: 1, failed: true, stderr: '{"error":"database locked","code":"locked"}' })),
    ).toEqual({
      ok: false,
      error: 'database locked',
      code: 'locked',
      missing: false,
    });
    expect(interpret(result({ exitCode: 1, failed: true, stderr: 'Error: boom' }))).toMatchObject({
      ok: false,
      error: 'Error: boom',
      code: 'exit_1',
    });
    expect(interpret(result({ timedOut: true, failed: true }))).toMatchObject({ ok: false, code: 'timeout' });
    expect(interpret(result({ stdout: 'Comment added' }))).toEqual({ ok: true, value: 'Comment added' });
    expect(interpret(result({ stdout: '{"schema_version":1,"data":[{"id":"a-1"}]}' }))).toEqual({
      ok: true,
      value: [{ id: 'a-1' }],
    });
  });
});
