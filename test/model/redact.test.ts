import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/model/redact.js';
import { childEnv, execFile } from '../../src/host/exec.js';
import { ConfigError } from '../../src/errors.js';

describe('redaction at the source: one rule for every shape', () => {
  it.each([
    ['token=supersecretvalue123', 'supersecretvalue123'],
    ['--token=abc123def456', 'abc123def456'],
    ['--token abc123def456', 'abc123def456'],
    ['--password hunter2', 'hunter2'],
    ['DB_PASSWORD=pw123456', 'pw123456'],
    ['MY_API_KEY=apikeyvalue987', 'apikeyvalue987'],
    ['X_AUTH=authvalue555', 'authvalue555'],
    ['AWS_CREDENTIALS=credval12345', 'credval12345'],
    ['CLIENT_SECRET: s3cr3tval', 's3cr3tval'],
    ['Authorization: Bearer abcdef123456789token', 'abcdef123456789token'],
    ['https://admin:p4ssw0rdXYZ@db.internal/app', 'p4ssw0rdXYZ'],
    ['key sk-ant-api03-AAAAbbbbCCCCdddd1234', 'sk-ant-api03-AAAAbbbbCCCCdddd1234'],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['xoxb-1234567890-abcdefghijkl', 'xoxb-1234567890-abcdefghijkl'],
    ['AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    ['glpat-abcdefghij1234567890', 'glpat-abcdefghij1234567890'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N', 'dozjgNryP4J3jVmNHl0w5N'],
    ['{"api_key": "jsonsecret99"}', 'jsonsecret99'],
  ])('%s', (text, secret) => {
    const out = redactSecrets(`node app.js ${text} --port 8080`);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
    expect(out).toContain('--port 8080');
    expect(redactSecrets(out)).toBe(out); // idempotent
  });

  it('leaves ordinary command lines alone', () => {
    for (const text of [
      'node --max-old-space-size=4096 server.js',
      'tmux new -s agent-1',
      'python3 -m http.server 8000',
      'sleep 300',
    ])
      expect(redactSecrets(text)).toBe(text);
  });
});

describe("Argus's own secrets stay in Argus", () => {
  it('child processes get no TELEGRAM_BOT_TOKEN, ANTHROPIC_API_KEY or ARGUS_MCP_TOKEN', async () => {
    const env = {
      PATH: process.env.PATH,
      TELEGRAM_BOT_TOKEN: 't',
      ANTHROPIC_API_KEY: 'a',
      ARGUS_MCP_TOKEN: 'm',
      KEEP_ME: 'yes',
    };
    expect(childEnv(env)).toEqual({ PATH: process.env.PATH, KEEP_ME: 'yes' });
    const r = await execFile('env', [], { env });
    expect(r.stdout).toContain('KEEP_ME=yes');
    expect(r.stdout).not.toMatch(/TELEGRAM_BOT_TOKEN|ANTHROPIC_API_KEY|ARGUS_MCP_TOKEN/);
  });

  it.each([
    ['TELEGRAM_BOT_TOKEN', '123:secretbotvalue'],
    ['anthropic.apiKey', 'sk-ant-xyz-secret'],
    ['ARGUS_MCP_TOKEN', 'short'],
  ])('a configuration error about %s names the key, never the value', (key, value) => {
    const e = new ConfigError(key, value, 'something else');
    expect(e.message).toContain(key);
    expect(e.message).not.toContain(value);
  });
});
