// A full state filesystem: a real tmpfs (mounted here when root), left with 4 KB … 1 MB free, under the built CLI.
// Every state file parses after every cycle, no temp file survives, open incidents are remembered after space returns,
// and the operator gets exactly one message for the episode, then one when it is over.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackTelegram, type LoopbackTelegram } from '../support/telegram-server.js';
import { makeTmp } from '../support/tmp.js';

const CLI = resolve(__dirname, '../../dist/cli.js');
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('[full-disk tests skipped] not root: mounting a tmpfs needs root');

function argus(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ARGUS_DRY_RUN: '1', ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code, stderr }));
  });
}

/** Every file under dir: JSON files parse, JSONL files parse line by line; returns the names of temp files found. */
function checkState(dir: string): { invalid: string[]; temps: string[] } {
  const invalid: string[] = [];
  const temps: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (/\.tmp$/.test(entry.name)) temps.push(entry.name);
    const text = readFileSync(path, 'utf8');
    try {
      if (entry.name.endsWith('.json')) JSON.parse(text);
      if (entry.name.endsWith('.jsonl')) for (const line of text.split('\n').filter(Boolean)) JSON.parse(line);
    } catch {
      invalid.push(`${entry.name}: ${text.slice(0, 60)}`);
    }
  }
  return { invalid, temps };
}

const openIncidents = (state: string): Record<string, string> => {
  const file = JSON.parse(readFileSync(join(state, 'incidents.json'), 'utf8')) as { incidents: Record<string, { id?: string; incidentId?: string; openedAt?: string }> };
  return Object.fromEntries(Object.entries(file.incidents).map(([k, v]) => [k, String(v.openedAt)]));
};

describe.skipIf(!isRoot)('a full state filesystem (real tmpfs)', () => {
  let tmp: ReturnType<typeof makeTmp>;
  let telegram: LoopbackTelegram;
  const mounts: string[] = [];
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build`');
    tmp = makeTmp();
    telegram = await startLoopbackTelegram();
    // Every real disk crosses 1 %: disk incidents open (dry-run: nothing is done about them, no alert is sent).
    writeFileSync(join(tmp.dir, 'argus.json'), JSON.stringify({ thresholds: { disk: { fire: 1, clear: 1 }, stateMinFreeMB: 2 } }));
  });
  afterEach(() => {
    for (const m of mounts.splice(0)) spawnSync('umount', ['-l', m]);
  });
  afterAll(async () => {
    await telegram?.close();
    tmp?.cleanup();
  });

  it.each([4 * 1024, 16 * 1024, 64 * 1024, 1024 * 1024])(
    'left with %i bytes free',
    async (free) => {
      const state = join(tmp.dir, `state-${free}`);
      spawnSync('mkdir', ['-p', state]);
      const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', state], { encoding: 'utf8' });
      expect(mount.status, mount.stderr).toBe(0);
      mounts.push(state);
      const env = { ARGUS_STATE_DIR: state, TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_CHAT_ID: '42', TELEGRAM_API_BASE: telegram.apiBase };
      const before = telegram.accepted.length;

      for (let i = 0; i < 2; i++) expect((await argus(['once'], env, tmp.dir)).code).toBe(0);
      const incidents = openIncidents(state);
      expect(Object.keys(incidents).length).toBeGreaterThan(0);

      const s = statfsSync(state);
      const filler = join(state, 'filler.bin');
      writeFileSync(filler, Buffer.alloc(Math.max(0, s.bavail * s.bsize - free)));
      const stderrs: string[] = [];
      const codes: Array<number | null> = [];
      for (let i = 0; i < 4; i++) {
        const r = await argus(['once'], env, tmp.dir);
        stderrs.push(r.stderr);
        codes.push(r.code);
        // A clear line, never a raw stack: either the cycle worked (minimal) or it failed saying why.
        if (r.code !== 0) expect(r.stderr.split('\n').filter((l) => l.startsWith('argus:'))).toEqual([expect.stringMatching(/^argus: cycle failed \(\d+ in a row\): /)]);
        expect(r.stderr).not.toMatch(/^\s+at /m);
        expect(checkState(state)).toEqual({ invalid: [], temps: [] });
      }
      console.info(`[full disk] ${free} bytes free: exit codes ${codes.join(',')}`);
      const during = telegram.accepted.slice(before);
      expect(during, stderrs.join('\n---\n').slice(0, 3000)).toHaveLength(1);
      expect(during[0]).toMatch(/Argus itself cannot watch this host properly/);
      expect(during[0]).toMatch(/free|cannot write/);

      rmSync(filler);
      const back = await argus(['once'], env, tmp.dir);
      expect(back.code).toBe(0);
      expect(checkState(state)).toEqual({ invalid: [], temps: [] });
      // Every incident open before the disk filled is still open, since the same time.
      expect(openIncidents(state)).toMatchObject(incidents);
      const after = telegram.accepted.slice(before);
      expect(after).toHaveLength(2);
      expect(after[1]).toMatch(/recovered/);
    },
    60_000,
  );
});
