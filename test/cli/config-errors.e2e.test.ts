// Bad configuration as an operator meets it (built CLI): exit 2, one line naming the key and the expected form, no
// stack trace, no secret, nothing created on disk (no state/, no logs/).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { humanLine } from '../../src/log.js';
import { makeTmp } from '../support/tmp.js';

const CLI = join(resolve(__dirname, '../..'), 'dist/cli.js');
const TOKEN = '123456:AAE-secretTokenValue_0123456789abcd';
let tmp: ReturnType<typeof makeTmp> | undefined;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build`');
});
afterEach(() => {
  tmp?.cleanup();
  tmp = undefined;
});

type File = object | string | null;

function argus(args: string[], env: Record<string, string>, file: File) {
  tmp = makeTmp();
  if (file !== null) writeFileSync(join(tmp.dir, 'argus.json'), typeof file === 'string' ? file : JSON.stringify(file));
  const state = join(tmp.dir, 'state');
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: tmp.dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp.dir, ARGUS_STATE_DIR: state, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    created: readdirSync(tmp.dir).filter((n) => n !== 'argus.json'),
  };
}

/** What an operator checks: exit 2, one line that says what to fix, nothing else. */
function expectRefused(r: ReturnType<typeof argus>, message: RegExp): void {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^argus: invalid configuration: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |node_modules|\.c?js:\d+|Error:|Invalid input|received|items/);
  expect(r.stderr).not.toMatch(/secretTokenValue|secret-token-value/);
  expect(r.created).toEqual([]);
}

const bands = ['disk', 'inodes', 'memory', 'swap', 'cpu'] as const;

describe('configuration errors (built CLI)', () => {
  it.each([
    // 1. Where the bot token may go.
    [
      'a file:// Telegram API',
      { TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_CHAT_ID: '2' },
      { telegram: { apiBase: 'file:///etc/passwd' } },
      /telegram\.apiBase in .* = "file:\/\/\/etc\/passwd"; expected an https:\/\/ URL \(http:\/\/ only on loopback/,
    ],
    [
      'a javascript: Telegram API',
      { TELEGRAM_API_BASE: 'javascript:alert(1)' },
      null,
      /TELEGRAM_API_BASE \(telegram\.apiBase\) = "javascript:alert\(1\)"; expected an https:\/\/ URL/,
    ],
    [
      'a Telegram API that is no URL (a stack trace before)',
      { TELEGRAM_API_BASE: 'junk' },
      null,
      /TELEGRAM_API_BASE \(telegram\.apiBase\) = "junk"; expected an https:\/\/ URL/,
    ],
    [
      'plain http to another host',
      { TELEGRAM_API_BASE: 'http://api.telegram.org' },
      null,
      /TELEGRAM_API_BASE .*expected an https:\/\/ URL \(http:\/\/ only on loopback: 127\.0\.0\.0\/8, ::1 or localhost\)/,
    ],
    // 2. Threshold pairs: clear above fire, both keys named.
    ...bands.map((b): [string, Record<string, string>, File, RegExp] => [
      `${b} clear above fire`,
      {},
      { thresholds: { [b]: { fire: 70, clear: 75 } } },
      new RegExp(`thresholds\\.${b}\\.clear in .* = 75; expected a number at most thresholds\\.${b}\\.fire \\(70\\)`),
    ]),
    [
      'loadPerCore clear above fire',
      {},
      { thresholds: { loadPerCore: { fire: 1, clear: 3 } } },
      /thresholds\.loadPerCore\.clear in .* = 3; expected a number at most thresholds\.loadPerCore\.fire \(1\)/,
    ],
    // 3. The model.
    [
      'a blank model',
      { ARGUS_MODEL: ' ' },
      null,
      /ARGUS_MODEL \(anthropic\.model\) = " "; expected a non-empty text$/m,
    ],
    [
      'a model name with a newline',
      { ARGUS_MODEL: 'claude\nhaiku' },
      null,
      /ARGUS_MODEL \(anthropic\.model\) = "claude\\nhaiku"; expected a model id like claude-haiku-4-5/,
    ],
    // 4. The host name.
    [
      'a hostname of 300 characters',
      { ARGUS_HOSTNAME: 'h'.repeat(300) },
      null,
      /ARGUS_HOSTNAME \(hostname\) = "h+\.\.\.; expected at most 253 characters$/m,
    ],
    [
      'a hostname that is no host name',
      { ARGUS_HOSTNAME: 'web_1;reboot' },
      null,
      /ARGUS_HOSTNAME \(hostname\) = "web_1;reboot"; expected a host name: letters, digits, - and \./,
    ],
    // 5. The log level (also across commands, below).
    [
      'ARGUS_LOG_LEVEL=bogus',
      { ARGUS_LOG_LEVEL: 'bogus' },
      null,
      /^argus: invalid configuration: ARGUS_LOG_LEVEL = "bogus"; expected one of fatal, error, warn, info, debug, trace, silent$/m,
    ],
    // 6. Half a Telegram configuration.
    [
      'a bot token without chat id',
      { TELEGRAM_BOT_TOKEN: '123:secret-token-value' },
      null,
      /telegram\.chatId = \(missing\); expected a chat id too: telegram\.botToken \(TELEGRAM_BOT_TOKEN\) is set/,
    ],
    [
      'a chat id without bot token',
      { TELEGRAM_CHAT_ID: '42' },
      null,
      /telegram\.botToken = \(hidden: a secret\); expected a bot token too: telegram\.chatId \(TELEGRAM_CHAT_ID\) is set/,
    ],
    [
      'an empty bot token beside a chat id',
      {},
      { telegram: { botToken: '', chatId: '42' } },
      /telegram\.botToken in .* = \(hidden: a secret\); expected a bot token as @BotFather gives it/,
    ],
    // 7. Messages that are true.
    [
      'stateMinFreeMB 0',
      {},
      { thresholds: { stateMinFreeMB: 0 } },
      /thresholds\.stateMinFreeMB in .* = 0; expected a number above 0$/m,
    ],
    [
      'a 20-digit interval in the environment',
      { ARGUS_INTERVAL: '12345678901234567890' },
      null,
      /ARGUS_INTERVAL \(intervalSec\) = "12345678901234567890"; expected a whole number from 10 to 86400$/m,
    ],
    [
      'a 20-digit interval in the file',
      {},
      '{ "intervalSec": 12345678901234567890 }',
      /intervalSec in .* = 12345678901234567000; expected a whole number from 10 to 86400$/m,
    ],
    [
      'an approver id with a fraction',
      {},
      { telegram: { approvers: [1.5] } },
      /telegram\.approvers\.0 in .* = 1\.5; expected a Telegram user id \(digits\)$/m,
    ],
    [
      'a file that is not JSON, with the token in it',
      {},
      `{ "telegram": { "chatId": "42", "botToken": "${TOKEN}", } }`,
      /argus\.json = not JSON \(line 1, column \d+: .*\); expected a JSON object$/m,
    ],
    [
      'a misspelt key',
      {},
      { servcies: ['nginx'] },
      /servcies in .* = \(unknown key\); expected a key Argus knows: did you mean "services"\?$/m,
    ],
  ] as Array<[string, Record<string, string>, File, RegExp]>)(
    '%s: exit 2, one line, no stack, nothing written',
    (_name, env, file, message) => {
      expectRefused(argus(['once', '--dry-run'], env, file), message);
    },
  );

  it.each([
    [
      '--config names a missing file as --config, even with ARGUS_CONFIG set',
      { ARGUS_CONFIG: 'other.json' },
      ['--config', 'nope.json'],
      /--config = ".*\/nope\.json"; expected a readable JSON file \(no such file\)$/m,
    ],
    [
      'ARGUS_CONFIG names a missing file as ARGUS_CONFIG',
      { ARGUS_CONFIG: 'nope.json' },
      [],
      /ARGUS_CONFIG = ".*\/nope\.json"; expected a readable JSON file \(no such file\)$/m,
    ],
    [
      'an empty --config is refused, not read as "no file"',
      {},
      ['--config', ''],
      /--config = ""; expected a path to a JSON file$/m,
    ],
  ] as Array<[string, Record<string, string>, string[], RegExp]>)('%s', (_name, env, args, message) => {
    expectRefused(argus(['once', '--dry-run', ...args], env, null), message);
  });

  it.each([
    ['run', '--cycles', '1'],
    ['status'],
    ['problems'],
    ['stats'],
    ['doctor'],
    ['chronicle', '--dry-run'],
    ['silence', '--list'],
    ['dashboard'],
    ['mcp'],
    ['serve'],
    ['solicit'],
  ])('ARGUS_LOG_LEVEL=bogus stops `argus %s` before anything is created', (...args) => {
    expectRefused(
      argus(args, { ARGUS_LOG_LEVEL: 'bogus' }, null),
      /ARGUS_LOG_LEVEL = "bogus"; expected one of fatal, error, warn, info, debug, trace, silent$/m,
    );
  });
});

describe('log lines on a terminal', () => {
  it('read as words, not JSON', () => {
    expect(
      humanLine(
        '{"level":40,"time":1,"pid":2,"hostname":"h","app":"argus","cycleId":"c1","msg":"collector gap: systemctl is not installed"}\n',
      ),
    ).toBe('argus: warning: collector gap: systemctl is not installed (cycleId=c1)\n');
    expect(humanLine('not json\n')).toBe('not json\n');
  });
});
