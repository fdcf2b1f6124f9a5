import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
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
      env: { ARGUS_INTERVAL: '60', ARGUS_STATE_DIR: '/var/lib/argus', ARGUS_DEDUP_WINDOW: '900', TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_CHAT_ID: '42', ANTHROPIC_API_KEY: 'sk-ant-x', ARGUS_SERVICES: 'nginx, mcp-agent-mail.service' },
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
    writeFileSync(file, JSON.stringify({ services: ['openclaw-gateway'], thresholds: { disk: { fire: 85, clear: 75 } }, intervalSec: 120 }));
    const { config, configPath } = loadConfig({ env: { ARGUS_INTERVAL: '30' }, cwd: tmp.dir });
    expect(configPath).toBe(file);
    expect(config.services).toEqual(['openclaw-gateway']);
    expect(config.thresholds.disk).toEqual({ fire: 85, clear: 75 });
    expect(config.thresholds.memory).toEqual({ fire: 90, clear: 80 });
    expect(config.intervalSec).toBe(30);
  });

  const bad: Array<[string, Record<string, string>, object | null, RegExp]> = [
    ['non-numeric interval', { ARGUS_INTERVAL: 'soon' }, null, /ARGUS_INTERVAL = "soon"; expected a whole number/],
    ['interval too small', { ARGUS_INTERVAL: '1' }, null, /ARGUS_INTERVAL \(intervalSec\) = 1; expected/],
    ['bad dry-run flag', { ARGUS_DRY_RUN: 'maybe' }, null, /ARGUS_DRY_RUN = "maybe"; expected 1\/true\/yes/],
    ['threshold out of range', {}, { thresholds: { disk: { fire: 150, clear: 80 } } }, /thresholds\.disk\.fire in .*argus\.json = 150; expected/],
    ['clear above fire', {}, { thresholds: { memory: { fire: 80, clear: 90 } } }, /thresholds\.memory\.clear in .* = 90; expected a number at most fire/],
    ['loadPerCore clear above fire', {}, { thresholds: { loadPerCore: { fire: 1, clear: 3 } } }, /thresholds\.loadPerCore\.clear in .* = 3; expected a number at most fire/],
    ['a file:// Telegram API base', {}, { telegram: { apiBase: 'file:///etc/passwd', botToken: '1:a', chatId: '1' } }, /telegram\.apiBase in .* = "file:\/\/\/etc\/passwd"; expected an https:\/\/ URL/],
    ['a javascript: Telegram API base', { TELEGRAM_API_BASE: 'javascript:alert(1)' }, null, /TELEGRAM_API_BASE \(telegram\.apiBase\) = "javascript:alert\(1\)"; expected an https:\/\/ URL/],
    ['plain http off loopback', { TELEGRAM_API_BASE: 'http://api.example.com' }, null, /expected an https:\/\/ URL \(http:\/\/ only on 127\.0\.0\.1/],
    ['a Telegram token without chat id', { TELEGRAM_BOT_TOKEN: '123:abcdef' }, null, /telegram\.chatId .*expected a value too: telegram\.botToken is set/],
    ['a chat id without token', { TELEGRAM_CHAT_ID: '42' }, null, /telegram\.botToken .*= \(hidden: a secret\); expected a value too: telegram\.chatId is set/],
    ['a blank model name', { ARGUS_MODEL: '   ' }, null, /ARGUS_MODEL \(anthropic\.model\) = " {3}"; expected a non-empty text/],
    ['a hostname over 253 characters', { ARGUS_HOSTNAME: 'a'.repeat(300) }, null, /ARGUS_HOSTNAME \(hostname\) = .*; expected at most 253 characters/],
    ['a hostname with a space', { ARGUS_HOSTNAME: 'web 1' }, null, /ARGUS_HOSTNAME \(hostname\) = "web 1"; expected a host name/],
    ['stateMinFreeMB 0 (the message must be true)', {}, { thresholds: { stateMinFreeMB: 0 } }, /thresholds\.stateMinFreeMB in .* = 0; expected a number above 0$/],
    ['a 20-digit interval (no talk of items)', {}, { intervalSec: 1e20 }, /intervalSec in .*; expected a number at most 86400$/],
    ['a bogus log level', { ARGUS_LOG_LEVEL: 'bogus' }, null, /ARGUS_LOG_LEVEL = "bogus"; expected one of fatal, error, warn, info, debug, trace, silent/],
    ['unknown key', {}, { servcies: ['nginx'] }, /servcies in .*argus\.json = \["nginx"\]; expected no such key/],
    ['bad unit name', {}, { services: ['nginx; rm -rf /'] }, /services\.0 in .*= "nginx; rm -rf \/"; expected a systemd unit name/],
    ['probe url', {}, { probes: [{ name: 'gw', url: 'ftp://x' }] }, /probes\.0\.url/],
    ['wrong type', {}, { restartAllowlist: 'nginx' }, /restartAllowlist in .* = "nginx"; expected/],
  ];
  it.each(bad)('refuses %s with the key, the value and the expected form', (_name, env, file, message) => {
    tmp = makeTmp();
    if (file) writeFileSync(join(tmp.dir, 'argus.json'), JSON.stringify(file));
    let caught: unknown;
    try {
      loadConfig({ env, cwd: tmp.dir });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toMatch(message);
  });

  it('says so when the JSON file is not JSON', () => {
    tmp = makeTmp();
    writeFileSync(join(tmp.dir, 'argus.json'), '{ services: [nginx] }');
    expect(() => loadConfig({ env: {}, cwd: tmp.dir })).toThrow(/expected a JSON object/);
  });

  it('says so when ARGUS_CONFIG points at a missing file', () => {
    tmp = makeTmp();
    expect(() => loadConfig({ env: { ARGUS_CONFIG: 'nope.json' }, cwd: tmp.dir })).toThrow(/ARGUS_CONFIG = .*nope\.json.*expected a readable JSON file \(ENOENT\)/);
  });

  it('names a missing --config file as --config, even with ARGUS_CONFIG set', () => {
    tmp = makeTmp();
    expect(() => loadConfig({ env: { ARGUS_CONFIG: 'other.json' }, configPath: 'nope.json', cwd: tmp.dir })).toThrow(/^invalid configuration: --config = .*nope\.json.*expected a readable JSON file/);
  });

  it('accepts the loopback Bot API of a test and a whole Telegram configuration', () => {
    for (const apiBase of ['http://127.0.0.1:8081', 'http://localhost:9', 'http://[::1]:9', 'https://api.telegram.org']) {
      expect(loadConfig({ env: { TELEGRAM_API_BASE: apiBase, TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_CHAT_ID: '2' }, cwd: '/' }).config.telegram.apiBase).toBe(apiBase);
    }
  });
});
