// The chronicle timer writes node_exporter's textfile when ARGUS_TEXTFILE_DIR is set (hosts without `argus serve`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTmp } from '../support/tmp.js';

const CLI = join(resolve(__dirname, '../..'), 'dist/cli.js');
let tmp: ReturnType<typeof makeTmp> | undefined;
afterEach(() => {
  tmp?.cleanup();
  tmp = undefined;
});

const run = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [CLI, ...args], {
    cwd: tmp!.dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp!.dir, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe.skipIf(!existsSync(CLI))('chronicle and the textfile', () => {
  it('with ARGUS_TEXTFILE_DIR, a chronicle run writes argus.prom (the same metrics as /metrics); without it, none', () => {
    tmp = makeTmp();
    const env = { ARGUS_STATE_DIR: join(tmp.dir, 'state') };
    expect(run(['once', '--dry-run'], env).status).toBe(0);
    const textfiles = join(tmp.dir, 'textfiles');
    const r = run(['chronicle', '--no-publish', '--out', join(tmp.dir, 'docs')], {
      ...env,
      ARGUS_TEXTFILE_DIR: textfiles,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Metrics textfile: ${join(textfiles, 'argus.prom')}`);
    const text = readFileSync(join(textfiles, 'argus.prom'), 'utf8');
    expect(text).toMatch(/^argus_last_cycle_timestamp_seconds \d+/m);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (promtool.error === undefined) expect(promtool.status, promtool.stdout + promtool.stderr).toBe(0);
    const plain = run(['chronicle', '--no-publish', '--out', join(tmp.dir, 'docs')], env);
    expect(plain.stdout).not.toContain('Metrics textfile');
  });
});
