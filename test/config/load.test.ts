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
    ['clear above fire', {}, { thresholds: { memory: { fire: 80, clear: 90 } } }, /thresholds\.memory.*clear must be <= fire/],
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
});
