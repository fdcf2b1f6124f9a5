// Test helper: a temp BEADS_DIR initialised by the bd stand-in, and bd ports on it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBd, type Bd, type BdIssue } from '../../../src/host/bd.js';
import { execFile } from '../../../src/host/exec.js';
import { BD_STANDIN } from './paths.js';

export interface BdFixture {
  dir: string;
  beadsDir: string;
  bd(env?: Record<string, string>): Bd;
  missingBd(): Bd;
  issues(): Array<BdIssue & { comments: Array<{ text: string }> }>;
  /** The bd subcommands run so far (create, list, …). */
  commands(): string[];
  cleanup(): void;
}

export async function bdFixture(): Promise<BdFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'argus-'));
  const beadsDir = join(dir, '.beads');
  const bd = (env: Record<string, string> = {}) =>
    createBd({ exec: execFile, beadsDir, bin: BD_STANDIN, timeoutMs: 20_000, env: { ...process.env, ...env } });
  const init = await bd().init('argus');
  if (!init.ok) throw new Error(init.error);
  const lines = (file: string) => {
    try {
      return readFileSync(join(beadsDir, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
    } catch {
      return [];
    }
  };
  return {
    dir,
    beadsDir,
    bd,
    missingBd: () => createBd({ exec: execFile, beadsDir, bin: '/nonexistent/bd' }),
    issues: () => lines('issues.jsonl') as ReturnType<BdFixture['issues']>,
    commands: () => (lines('calls.jsonl') as string[][]).map((argv) => argv[0] ?? ''),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
