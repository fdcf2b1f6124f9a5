// Bad configuration as an operator meets it (built CLI): exit 2, one line naming the key and the expected form, no
// stack trace, nothing created on disk.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { humanLine } from '../../src/log.js';
import { makeTmp } from '../support/tmp.js';

const CLI = join(resolve(__dirname, '../..'), 'dist/cli.js');
let tmp: ReturnType<typeof makeTmp> | undefined;
afterEach(() => {
  tmp?.cleanup();
  tmp = undefined;
});

function once(env: Record<string, string>, file: object | null, args: string[] = []) {
  tmp = makeTmp();
  if (file) writeFileSync(join(tmp.dir, 'argus.json'), JSON.stringify(file));
  const state = join(tmp.dir, 'state');
  const r = spawnSync(process.execPath, [CLI, 'once', '--dry-run', ...args], { cwd: tmp.dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp.dir, ARGUS_STATE_DIR: state, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, created: readdirSync(tmp.dir).filter((n) => n !== 'argus.json') };
}

describe.skipIf(!existsSync(CLI))('configuration errors (built CLI)', () => {
  it.each([
    ['ARGUS_LOG_LEVEL=bogus', { ARGUS_LOG_LEVEL: 'bogus' }, null, /ARGUS_LOG_LEVEL = "bogus"; expected one of fatal, error, warn, info/],
    ['a file:// Telegram API', { TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_CHAT_ID: '2' }, { telegram: { apiBase: 'file:///etc/passwd' } }, /telegram\.apiBase in .*; expected an https:\/\/ URL/],
    ['half a Telegram configuration', { TELEGRAM_BOT_TOKEN: '123:secret-token-value' }, null, /telegram\.chatId .*expected a value too/],
    ['loadPerCore clear above fire', {}, { thresholds: { loadPerCore: { fire: 1, clear: 3 } } }, /thresholds\.loadPerCore\.clear .*expected a number at most fire/],
    ['a blank model', { ARGUS_MODEL: ' ' }, null, /ARGUS_MODEL .*expected a non-empty text/],
  ] as const)('%s: exit 2, one line, no stack, nothing written', (_name, env, file, message) => {
    const r = once(env, file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at |node_modules|\.cjs:\d+/);
    expect(r.stderr).not.toContain('secret-token-value');
    expect(r.created).toEqual([]);
  });

  it('a missing --config file is named as --config', () => {
    const r = once({ ARGUS_CONFIG: 'other.json' }, null, ['--config', 'nope.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--config = ".*nope\.json"; expected a readable JSON file/);
  });
});

describe('log lines on a terminal', () => {
  it('read as words, not JSON', () => {
    expect(humanLine('{"level":40,"time":1,"pid":2,"hostname":"h","app":"argus","cycleId":"c1","msg":"collector gap: systemctl is not installed"}\n')).toBe(
      'argus: warning: collector gap: systemctl is not installed (cycleId=c1)\n',
    );
    expect(humanLine('not json\n')).toBe('not json\n');
  });
});
