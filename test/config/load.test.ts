import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, statePaths } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { makeTmp } from '../support/tmp.js';

let tmp: ReturnType<typeof makeTmp>;
afterEach(() => tmp?.cleanup());

describe('loadConfig', () => {
  it('gives the documented defaults with an empty environment', () => {
    tmp = makeTmp();
    const { config, configPath } = loadConfig({ env: {}, cwd: tmp.dir });
    expect(configPath).toBeNull();
    expect(config.intervalSec).toBe(300);
    expect(config.dedupWindowSec).toBe(14_400);
    expect(config.stateDir).toBe(join(tmp.dir, 'state'));
    expect(config.thresholds.disk).toEqual({ fire: 90, clear: 80 });
    expect(config.thresholds.memory.fire).toBe(90);
    expect(config.killPatterns).toEqual(['node', 'claude', 'codex']);
    expect(config.orphanPattern).toBe('node --test');
  });

  it('reads the first Argus environment variables', () => {
    tmp = makeTmp();
    const { config } = loadConfig({
      env: {
        ARGUS_INTERVAL: '60',
        ARGUS_STATE_DIR: '/var/lib/argus',
        ARGUS_DEDUP_WINDOW: '900',
        TELEGRAM_BOT_TOKEN: '1:abc',
        TELEGRAM_CHAT_ID: '42',
        ANTHROPIC_API_KEY: 'sk-ant-x',
        ARGUS_SERVICES: 'nginx, mcp-agent-mail.service',
      },
      cwd: tmp.dir,
    });
    expect(config.intervalSec).toBe(60);
    expect(config.stateDir).toBe('/var/lib/argus');
    expect(config.dedupWindowSec).toBe(900);
    expect(config.telegram).toMatchObject({ botToken: '1:abc', chatId: '42' });
    expect(config.anthropic.apiKey).toBe('sk-ant-x');
    expect(config.services).toEqual(['nginx', 'mcp-agent-mail.service']);
  });

  it('merges a JSON file, environment overriding it', () => {
    tmp = makeTmp();
    const file = join(tmp.dir, 'argus.json');
    writeFileSync(
      file,
      JSON.stringify({
        services: ['openclaw-gateway'],
        thresholds: { disk: { fire: 85, clear: 75 } },
        intervalSec: 120,
      }),
    );
    const { config, configPath } = loadConfig({ env: { ARGUS_INTERVAL: '30' }, cwd: tmp.dir });
    expect(configPath).toBe(file);
    expect(config.services).toEqual(['openclaw-gateway']);
    expect(config.thresholds.disk).toEqual({ fire: 85, clear: 75 });
    expect(config.thresholds.memory).toEqual({ fire: 90, clear: 80 });
    expect(config.intervalSec).toBe(30);
  });

  const TOKEN = '123456:AAE-secretTokenValue_0123456789abcd'; // the shape @BotFather gives: 35 characters after the colon
  const bad: Array<[string, Record<string, string>, object | string | null, RegExp]> = [
    [
      'non-numeric interval',
      { ARGUS_INTERVAL: 'soon' },
      null,
      /ARGUS_INTERVAL = "soon"; expected a whole number from 10 to 86400$/,
    ],
    [
      'interval too small',
      { ARGUS_INTERVAL: '1' },
      null,
      /ARGUS_INTERVAL \(intervalSec\) = "1"; expected a whole number from 10 to 86400$/,
    ],
    ['bad dry-run flag', { ARGUS_DRY_RUN: 'maybe' }, null, /ARGUS_DRY_RUN = "maybe"; expected 1\/true\/yes/],
    [
      'a negative daily cap',
      { ARGUS_LLM_DAILY_USD: '-1' },
      null,
      /ARGUS_LLM_DAILY_USD \(anthropic\.dailyUsd\) = "-1"; expected a number at least 0$/,
    ],
    [
      'threshold out of range',
      {},
      { thresholds: { disk: { fire: 150, clear: 80 } } },
      /thresholds\.disk\.fire in .*argus\.json = 150; expected a number from 1 to 100$/,
    ],
    [
      'half a band',
      {},
      { thresholds: { disk: { clear: 70 } } },
      /thresholds\.disk\.fire in .* = \(missing\); expected a number from 1 to 100 \(required\)$/,
    ],
    [
      'a threshold as text',
      {},
      { thresholds: { disk: { fire: '90', clear: 80 } } },
      /thresholds\.disk\.fire in .* = "90"; expected a number from 1 to 100$/,
    ],
    [
      'stateMinFreeMB 0 (the message must be true)',
      {},
      { thresholds: { stateMinFreeMB: 0 } },
      /thresholds\.stateMinFreeMB in .* = 0; expected a number above 0$/,
    ],
    [
      'a 20-digit interval (no talk of items)',
      {},
      '{ "intervalSec": 12345678901234567890 }',
      /intervalSec in .* = 12345678901234567000; expected a whole number from 10 to 86400$/,
    ],
    [
      'a 20-digit interval from the environment (shown as typed)',
      { ARGUS_INTERVAL: '12345678901234567890' },
      null,
      /ARGUS_INTERVAL \(intervalSec\) = "12345678901234567890"; expected a whole number from 10 to 86400$/,
    ],
    [
      'an interval of 1e400 (shown as written, not null)',
      {},
      '{"intervalSec": 1e400}',
      /intervalSec in .* = Infinity; expected a whole number from 10 to 86400$/,
    ],
    [
      'a huge orphan age (no safe-integer talk)',
      {},
      { orphanMinAgeSec: 1e300 },
      /orphanMinAgeSec in .* = 1e\+300; expected a whole number from 0 to \d+$/,
    ],
    [
      'a bogus log level',
      { ARGUS_LOG_LEVEL: 'bogus' },
      null,
      /^invalid configuration: ARGUS_LOG_LEVEL = "bogus"; expected one of fatal, error, warn, info, debug, trace, silent$/,
    ],
    [
      'unknown key',
      {},
      { servcies: ['nginx'] },
      /servcies in .*argus\.json = \(unknown key\); expected a key Argus knows: did you mean "services"\?$/,
    ],
    [
      'unknown nested key',
      {},
      { thresholds: { dsik: { fire: 90, clear: 80 } } },
      /dsik under thresholds in .* = \(unknown key\); expected a key Argus knows: did you mean "disk"\?$/,
    ],
    [
      'bad unit name',
      {},
      { services: ['nginx; rm -rf /'] },
      /services\.0 in .*= "nginx; rm -rf \/"; expected a systemd unit name/,
    ],
    [
      'probe url',
      {},
      { probes: [{ name: 'gw', url: 'ftp://x' }] },
      /probes\.0\.url in .* = "ftp:\/\/x"; expected an http:\/\/ or https:\/\/ URL$/,
    ],
    [
      'a probe without url',
      {},
      { probes: [{ name: 'gw' }] },
      /probes\.0\.url in .* = \(missing\); expected an http:\/\/ or https:\/\/ URL \(required\)$/,
    ],
    [
      'wrong type',
      {},
      { restartAllowlist: 'nginx' },
      /restartAllowlist in .* = "nginx"; expected a JSON array, each a systemd unit name/,
    ],
    [
      'an approver id with a fraction (no "Invalid input")',
      {},
      { telegram: { approvers: [1.5] } },
      /telegram\.approvers\.0 in .* = 1\.5; expected a Telegram user id \(digits\)$/,
    ],
    [
      'a file:// model endpoint',
      { ANTHROPIC_BASE_URL: 'file:///etc/passwd' },
      null,
      /ANTHROPIC_BASE_URL \(anthropic\.baseUrl\) = "file:\/\/\/etc\/passwd"; expected an http:\/\/ or https:\/\/ URL$/,
    ],

    // Threshold pairs: a condition fires at `fire` and clears below `clear`; clear above fire would do both at once.
    ...(['disk', 'inodes', 'memory', 'swap', 'cpu'] as const).map(
      (band): [string, Record<string, string>, object, RegExp] => [
        `${band} clear above fire`,
        {},
        { thresholds: { [band]: { fire: 70, clear: 75 } } },
        new RegExp(
          `thresholds\\.${band}\\.clear in .* = 75; expected a number at most thresholds\\.${band}\\.fire \\(70\\)`,
        ),
      ],
    ),
    [
      'loadPerCore clear above fire',
      {},
      { thresholds: { loadPerCore: { fire: 1, clear: 3 } } },
      /thresholds\.loadPerCore\.clear in .* = 3; expected a number at most thresholds\.loadPerCore\.fire \(1\)/,
    ],

    // Telegram: where the token goes, and the two halves.
    [
      'a file:// Telegram API base',
      {},
      { telegram: { apiBase: 'file:///etc/passwd', botToken: '1:a', chatId: '1' } },
      /telegram\.apiBase in .* = "file:\/\/\/etc\/passwd"; expected an https:\/\/ URL/,
    ],
    [
      'a javascript: Telegram API base',
      { TELEGRAM_API_BASE: 'javascript:alert(1)' },
      null,
      /TELEGRAM_API_BASE \(telegram\.apiBase\) = "javascript:alert\(1\)"; expected an https:\/\/ URL/,
    ],
    [
      'a Telegram API base that is no URL at all',
      { TELEGRAM_API_BASE: 'junk' },
      null,
      /TELEGRAM_API_BASE \(telegram\.apiBase\) = "junk"; expected an https:\/\/ URL/,
    ],
    [
      'an empty Telegram API base in the file',
      {},
      { telegram: { apiBase: '' } },
      /telegram\.apiBase in .* = ""; expected an https:\/\/ URL/,
    ],
    [
      'plain http off loopback',
      { TELEGRAM_API_BASE: 'http://api.example.com' },
      null,
      /expected an https:\/\/ URL \(http:\/\/ only on loopback: 127\.0\.0\.0\/8, ::1 or localhost\)/,
    ],
    [
      'plain http on a look-alike of loopback',
      { TELEGRAM_API_BASE: 'http://127.0.0.1.evil.example' },
      null,
      /TELEGRAM_API_BASE .*expected an https:\/\/ URL/,
    ],
    [
      'an API base with a query (the token would land in it)',
      { TELEGRAM_API_BASE: 'https://api.telegram.org/?x=' },
      null,
      /TELEGRAM_API_BASE .*expected an https:\/\/ URL .*without \? or #/,
    ],
    [
      'a Telegram token without chat id',
      { TELEGRAM_BOT_TOKEN: '123:abcdef' },
      null,
      /telegram\.chatId = \(missing\); expected a chat id too: telegram\.botToken \(TELEGRAM_BOT_TOKEN\) is set/,
    ],
    [
      'a chat id without token',
      { TELEGRAM_CHAT_ID: '42' },
      null,
      /telegram\.botToken = \(hidden: a secret\); expected a bot token too: telegram\.chatId \(TELEGRAM_CHAT_ID\) is set/,
    ],
    [
      'a blank token with a chat id',
      {},
      { telegram: { botToken: '', chatId: '42' } },
      /telegram\.botToken in .* = \(hidden: a secret\); expected a bot token as @BotFather gives it/,
    ],
    [
      'a token that is two blanks',
      {},
      { telegram: { botToken: ' ', chatId: ' ' } },
      /telegram\.botToken in .* = \(hidden: a secret\); expected a bot token/,
    ],
    [
      'a token that would change the URL',
      { TELEGRAM_BOT_TOKEN: '1:a/../../x', TELEGRAM_CHAT_ID: '42' },
      null,
      /TELEGRAM_BOT_TOKEN \(telegram\.botToken\) = \(hidden: a secret\); expected a bot token/,
    ],
    [
      'a chat id that is no chat id',
      { TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_CHAT_ID: 'hello world' },
      null,
      /TELEGRAM_CHAT_ID \(telegram\.chatId\) = "hello world"; expected a chat id \(digits, -100… for a group\) or @channelname$/,
    ],

    // The model and the host name.
    [
      'a blank model name',
      { ARGUS_MODEL: '   ' },
      null,
      /ARGUS_MODEL \(anthropic\.model\) = " {3}"; expected a non-empty text/,
    ],
    [
      'an empty model name in the file',
      {},
      { anthropic: { model: '' } },
      /anthropic\.model in .* = ""; expected a non-empty text/,
    ],
    [
      'a model name with a newline',
      { ARGUS_MODEL: 'claude\nhaiku' },
      null,
      /ARGUS_MODEL \(anthropic\.model\) = "claude\\nhaiku"; expected a model id like claude-haiku-4-5/,
    ],
    [
      'a 5,000-character model name',
      { ARGUS_MODEL: 'x'.repeat(5000) },
      null,
      /ARGUS_MODEL \(anthropic\.model\) = "x+\.\.\.; expected at most 200 characters$/,
    ],
    [
      'a hostname over 253 characters',
      { ARGUS_HOSTNAME: 'a'.repeat(300) },
      null,
      /ARGUS_HOSTNAME \(hostname\) = .*; expected at most 253 characters/,
    ],
    [
      'a 254-character hostname of valid labels',
      { ARGUS_HOSTNAME: `${'a'.repeat(63)}.`.repeat(3) + 'a'.repeat(62) },
      null,
      /ARGUS_HOSTNAME \(hostname\) = .*; expected at most 253 characters/,
    ],
    [
      'a hostname with a space',
      { ARGUS_HOSTNAME: 'web 1' },
      null,
      /ARGUS_HOSTNAME \(hostname\) = "web 1"; expected a host name: letters, digits, - and \./,
    ],
    [
      'a hostname with an underscore (the message says letters, digits, - and .)',
      { ARGUS_HOSTNAME: 'web_1' },
      null,
      /ARGUS_HOSTNAME \(hostname\) = "web_1"; expected a host name/,
    ],
    [
      'a hostname label of 64 characters',
      { ARGUS_HOSTNAME: 'a'.repeat(64) },
      null,
      /ARGUS_HOSTNAME \(hostname\) = "a+"; expected a host name/,
    ],
  ];
  it.each(bad)('refuses %s with the key, the value and the expected form', (_name, env, file, message) => {
    tmp = makeTmp();
    if (file) writeFileSync(join(tmp.dir, 'argus.json'), typeof file === 'string' ? file : JSON.stringify(file));
    let caught: unknown;
    try {
      loadConfig({ env, cwd: tmp.dir });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const text = (caught as Error).message;
    expect(text).toMatch(message);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).not.toMatch(/Invalid input|received|items|9007199254740991/);
  });

  it.each([
    ['a JSON file that breaks on the token line', `{ "telegram": { "chatId": "42", "botToken": "${TOKEN}", } }`],
    ['a JSON file with the token unquoted', `{ "telegram": { "botToken": ${TOKEN} } }`],
    [
      'a JSON file with a bare word for a secret (V8 quotes the text around it)',
      '{ "telegram": { "botToken": AAE-secretTokenValue_0123456789abcd } }',
    ],
    ['an unknown key holding a key', JSON.stringify({ anthropic: { key: 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz' } })],
    ['an unknown key holding a token', JSON.stringify({ telegram: { bot: TOKEN, chatId: '42' } })],
    ['telegram given as the token itself', JSON.stringify({ telegram: TOKEN })],
  ])('never echoes a secret: %s', (_name, text) => {
    tmp = makeTmp();
    writeFileSync(join(tmp.dir, 'argus.json'), text);
    let caught: unknown;
    try {
      loadConfig({ env: {}, cwd: tmp.dir });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).not.toMatch(/secretTokenValue|abcdefghijklmnop|AAE-/);
    expect(message).toMatch(/^invalid configuration: .*argus\.json/);
  });

  it('reads a file saved with a byte-order mark', () => {
    tmp = makeTmp();
    writeFileSync(join(tmp.dir, 'argus.json'), '\uFEFF{ "services": ["nginx"] }');
    expect(loadConfig({ env: {}, cwd: tmp.dir }).config.services).toEqual(['nginx']);
  });

  it('says so when the JSON file is not JSON', () => {
    tmp = makeTmp();
    writeFileSync(join(tmp.dir, 'argus.json'), '{ services: [nginx] }');
    expect(() => loadConfig({ env: {}, cwd: tmp.dir })).toThrow(
      /argus\.json = not JSON \(line 1, column 3: Expected property name or '\}'\); expected a JSON object$/,
    );
  });

  it('says so when ARGUS_CONFIG points at a missing file', () => {
    tmp = makeTmp();
    expect(() => loadConfig({ env: { ARGUS_CONFIG: 'nope.json' }, cwd: tmp.dir })).toThrow(
      /^invalid configuration: ARGUS_CONFIG = ".*nope\.json"; expected a readable JSON file \(no such file\)$/,
    );
  });

  it('names a missing --config file as --config, even with ARGUS_CONFIG set', () => {
    tmp = makeTmp();
    expect(() => loadConfig({ env: { ARGUS_CONFIG: 'other.json' }, configPath: 'nope.json', cwd: tmp.dir })).toThrow(
      /^invalid configuration: --config = ".*nope\.json"; expected a readable JSON file \(no such file\)$/,
    );
  });

  it('refuses an empty --config rather than falling back to ./argus.json', () => {
    tmp = makeTmp();
    writeFileSync(join(tmp.dir, 'argus.json'), '{}');
    expect(() => loadConfig({ env: {}, configPath: '', cwd: tmp.dir })).toThrow(
      /^invalid configuration: --config = ""; expected a path to a JSON file$/,
    );
  });

  it('names a directory given as the file', () => {
    tmp = makeTmp();
    expect(() => loadConfig({ env: { ARGUS_CONFIG: tmp.dir }, cwd: tmp.dir })).toThrow(
      /ARGUS_CONFIG = .*; expected a readable JSON file \(a directory\)$/,
    );
  });

  it('accepts the loopback Bot API of a test and a whole Telegram configuration', () => {
    for (const apiBase of [
      'http://127.0.0.1:8081',
      'http://127.0.0.2:9',
      'http://127.255.1.3/',
      'http://localhost:9',
      'http://[::1]:9',
      'https://api.telegram.org',
      'https://tg.example.com/proxy/',
    ]) {
      expect(
        loadConfig({ env: { TELEGRAM_API_BASE: apiBase, TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_CHAT_ID: '2' }, cwd: '/' })
          .config.telegram.apiBase,
      ).toBe(apiBase);
    }
    for (const chatId of ['42', '-100123456789', '@argus_alerts']) {
      expect(
        loadConfig({ env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_CHAT_ID: chatId }, cwd: '/' }).config.telegram.chatId,
      ).toBe(chatId);
    }
  });

  it('accepts the model ids of the API, Bedrock and Vertex, and a host name of 253 characters', () => {
    for (const model of [
      'claude-haiku-4-5',
      'claude-3-5-haiku-20241022',
      'anthropic.claude-3-haiku-20240307-v1:0',
      'claude-3-5-haiku@20241022',
    ]) {
      expect(loadConfig({ env: { ARGUS_MODEL: model }, cwd: '/' }).config.anthropic.model).toBe(model);
    }
    const host = `${'a'.repeat(63)}.`.repeat(3) + 'a'.repeat(61);
    expect(host).toHaveLength(253);
    expect(loadConfig({ env: { ARGUS_HOSTNAME: host }, cwd: '/' }).config.hostname).toBe(host);
    expect(loadConfig({ env: {}, cwd: '/' }).config.thresholds.loadPerCore).toEqual({ fire: 2, clear: 1.5 });
  });
});

describe('where the docs go', () => {
  it('ARGUS_DOCS_DIR (relative to where Argus stands), else <state>/docs', () => {
    const home = loadConfig({ env: { ARGUS_STATE_DIR: '/var/lib/argus' }, cwd: '/' }).config;
    expect(statePaths(home).docs).toBe('/var/lib/argus/docs');
    const set = loadConfig({
      env: { ARGUS_STATE_DIR: '/var/lib/argus', ARGUS_DOCS_DIR: 'shared/docs' },
      cwd: '/srv',
    }).config;
    expect(statePaths(set).docs).toBe('/srv/shared/docs');
  });
});
