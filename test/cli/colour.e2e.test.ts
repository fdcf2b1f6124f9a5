// Colour on a terminal only (built CLI under a real pseudo-terminal from `script`): marks painted on a TTY, plain
// text on a pipe, with NO_COLOR, with --no-color and for --json.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { colourise, colourWanted } from '../../src/cli/colour.js';
import { makeTmp } from '../support/tmp.js';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const ESC = '\u001b[';
const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

let tmp: ReturnType<typeof makeTmp> | undefined;
afterEach(() => {
  tmp?.cleanup();
  tmp = undefined;
});

/** Run the CLI with its stdout on a pseudo-terminal (`script` allocates one), or on a pipe. */
function run(args: string[], env: Record<string, string>, tty: boolean): string {
  tmp ??= makeTmp();
  const base = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: tmp.dir,
    TERM: 'xterm',
    ARGUS_STATE_DIR: join(tmp.dir, 'state'),
    ...env,
  };
  const argv = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
  const r = tty
    ? spawnSync('script', ['-qec', argv, '/dev/null'], { cwd: tmp.dir, env: base, encoding: 'utf8', timeout: 30_000 })
    : spawnSync(process.execPath, [CLI, ...args], { cwd: tmp.dir, env: base, encoding: 'utf8', timeout: 30_000 });
  return r.stdout;
}

describe('colour', () => {
  it('decides from the terminal, NO_COLOR, TERM=dumb, --no-color and --json', () => {
    expect(colourWanted(true, {}, ['doctor'])).toBe(true);
    expect(colourWanted(false, {}, ['doctor'])).toBe(false);
    expect(colourWanted(true, { NO_COLOR: '1' }, ['doctor'])).toBe(false);
    expect(colourWanted(true, { NO_COLOR: '' }, ['doctor'])).toBe(true);
    expect(colourWanted(true, { TERM: 'dumb' }, ['doctor'])).toBe(false);
    expect(colourWanted(true, {}, ['doctor', '--no-color'])).toBe(false);
    expect(colourWanted(true, {}, ['problems', '--json'])).toBe(false);
  });

  it('paints marks and severities at the start of a line, nothing inside host text', () => {
    expect(colourise('✓ state ok\n✗ telegram unreachable\n  CRITICAL disk:/ — CRITICAL inside')).toBe(
      `${ESC}32m✓${ESC}0m state ok\n${ESC}1;31m✗${ESC}0m telegram unreachable\n  ${ESC}1;31mCRITICAL${ESC}0m disk:/ — CRITICAL inside`,
    );
    expect(colourise('process my✓thing')).toBe('process my✓thing');
  });

  it.skipIf(!existsSync(CLI) || !haveScript)(
    'doctor on a terminal is coloured; on a pipe, with NO_COLOR or --no-color it is plain',
    () => {
      expect(run(['doctor', '--offline'], {}, true)).toContain(`${ESC}32m✓${ESC}0m`);
      for (const [args, env, tty] of [
        [['doctor', '--offline'], {}, false],
        [['doctor', '--offline'], { NO_COLOR: '1' }, true],
        [['doctor', '--offline', '--no-color'], {}, true],
      ] as const) {
        const out = run([...args], env, tty);
        expect(out).toMatch(/✓ configuration/);
        expect(out).not.toContain(ESC);
      }
    },
  );
});
