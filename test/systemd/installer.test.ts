// `argus install` / `argus uninstall` against a temp root: the plan, idempotency, the env file never overwritten, modes.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import install from '../../src/cli/commands/install.js';
import uninstall from '../../src/cli/commands/uninstall.js';
import type { CommandIO } from '../../src/cli/command.js';
import { applyPlan } from '../../src/install/apply.js';
import { planInstall, planUninstall } from '../../src/install/plan.js';
import { serviceEnvironment } from '../../src/install/service-env.js';
import { PACKAGE_DIR, UNIT_NAMES, checkUnitPath, readTemplate } from '../../src/install/units.js';
import type { ExecResult } from '../../src/host/port.js';

const hasSystemctl = spawnSync('systemctl', ['--version']).status === 0;
const vars = { node: '/usr/bin/node', argusDir: '/opt/argus' };

let root: string | null = null;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = null;
});
function tempRoot(): string {
  root = mkdtempSync(join(tmpdir(), 'argus-'));
  return root;
}
function io(cwd = '/'): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd };
}
/** A systemctl stand-in that records its argument arrays. */
function recorder() {
  const calls: string[][] = [];
  const exec = async (file: string, args: readonly string[]): Promise<ExecResult> => {
    calls.push([file, ...args]);
    return {
      exitCode: 0,
      signal: null,
      stdout: '',
      stderr: '',
      timedOut: false,
      durationMs: 0,
      failed: false,
      spawnError: null,
    };
  };
  return { calls, exec };
}
const mode = (path: string) => statSync(path).mode & 0o777;

describe('the shipped units', () => {
  it('every unit template carries the install marker and placeholders only install fills', () => {
    for (const name of UNIT_NAMES) {
      const text = readTemplate(name);
      expect(text).toContain('Installed by `argus install`');
      expect(text).not.toMatch(/@(?!NODE@|ARGUS_DIR@)[A-Z_]+@/);
    }
  });

  it('the three services share one hardening block, with PrivateTmp off and the state dir writable', () => {
    const block = (name: string) => {
      const text = readTemplate(name as (typeof UNIT_NAMES)[number]);
      return text.slice(text.indexOf('# --- configuration ---'), text.indexOf('# --- resources ---'));
    };
    const main = block('argus.service');
    expect(block('argus-chronicle.service')).toBe(main);
    expect(block('argus-run.service')).toBe(main);
    for (const line of [
      'ProtectSystem=strict',
      'StateDirectory=argus',
      'LogsDirectory=argus',
      'PrivateTmp=false',
      'NoNewPrivileges=true',
      'EnvironmentFile=-/etc/argus/argus.env',
    ]) {
      expect(main.split('\n')).toContain(line);
    }
    expect(readTemplate('argus.service')).toMatch(/^MemoryMax=1G$/m);
    expect(readTemplate('argus.timer')).toMatch(/^OnUnitActiveSec=5min$/m);
    expect(readTemplate('argus.timer')).toMatch(/^AccuracySec=1s$/m);
  });

  it.each(['relative/path', '/opt/my argus', '/opt/%h', '/opt/$HOME', '/opt/"x"', '/opt/a;b'])(
    'refuses the unit path %j',
    (path) => {
      expect(checkUnitPath(path)).not.toBeNull();
    },
  );
});

describe('argus install on a temp root', () => {
  it('plans units, the env file and enabling the timers (offline systemctl under --root)', () => {
    const r = tempRoot();
    const steps = planInstall({ root: r, vars, mode: 'timer', start: false });
    const writes = steps.filter((s) => s.kind === 'write').map((s) => s.path.slice(r.length));
    expect(writes).toEqual([...UNIT_NAMES.map((n) => `/etc/systemd/system/${n}`), '/etc/argus/argus.env']);
    expect(steps.at(-1)).toEqual({
      kind: 'systemctl',
      args: [`--root=${r}`, 'enable', '--', 'argus.timer', 'argus-chronicle.timer'],
    });
    expect(steps.some((s) => s.kind === 'systemctl' && s.args.includes('daemon-reload'))).toBe(false);
  });

  it('on the live system it reloads and enables --now; --mode run swaps the timer for argus-run.service', () => {
    // Plans only (nothing applied): the systemctl steps for the live system.
    const live = planInstall({ root: '/', vars, mode: 'run', start: true, sourceDir: join(PACKAGE_DIR, 'systemd') });
    const cmds = live.filter((s) => s.kind === 'systemctl').map((s) => (s as { args: string[] }).args.join(' '));
    expect(cmds).toContain('disable --now -- argus.timer');
    expect(cmds).toContain('enable --now -- argus-run.service argus-chronicle.timer');
    const serve = planInstall({
      root: '/',
      vars,
      mode: 'timer',
      start: true,
      sourceDir: join(PACKAGE_DIR, 'systemd'),
      serve: true,
    });
    expect(serve.filter((s) => s.kind === 'systemctl').map((s) => (s as { args: string[] }).args.join(' '))).toContain(
      'enable --now -- argus.timer argus-chronicle.timer argus-serve.service',
    );
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const r = tempRoot();
    const t = io();
    expect(await install(['--dry-run', '--root', r, '--prefix', PACKAGE_DIR], t)).toBe(0);
    const text = t.out.join('');
    expect(text).toContain(`would create ${r}/etc/systemd/system/argus.service (mode 0644)`);
    expect(text).toContain(`would create ${r}/etc/argus/argus.env (mode 0600)`);
    expect(text).toContain('Dry run: nothing changed.');
    expect(readdirSync(r)).toEqual([]);
  });

  it('writes rendered units (0644) and the env template (0600 in a 0700 dir); a second run changes nothing', async () => {
    const r = tempRoot();
    const rec = recorder();
    const first = await applyPlan(planInstall({ root: r, vars, mode: 'timer', start: false }), rec.exec);
    expect(first.every((x) => x.ok)).toBe(true);
    const unit = readFileSync(join(r, 'etc/systemd/system/argus.service'), 'utf8');
    expect(unit).toContain('ExecStart=/usr/bin/node /opt/argus/dist/cli.js once');
    expect(unit).not.toContain('@NODE@');
    expect(mode(join(r, 'etc/systemd/system/argus.service'))).toBe(0o644);
    expect(mode(join(r, 'etc/argus'))).toBe(0o700);
    expect(mode(join(r, 'etc/argus/argus.env'))).toBe(0o600);
    expect(readFileSync(join(r, 'etc/argus/argus.env'), 'utf8')).toBe(readTemplate('argus.env.example'));
    expect(rec.calls).toEqual([['systemctl', `--root=${r}`, 'enable', '--', 'argus.timer', 'argus-chronicle.timer']]);

    const again = planInstall({ root: r, vars, mode: 'timer', start: false });
    expect(again.filter((s) => s.kind === 'write' || s.kind === 'mkdir' || s.kind === 'chmod')).toEqual([]);
    expect(again.filter((s) => s.kind === 'keep')).toHaveLength(UNIT_NAMES.length + 1);
  });

  it('never overwrites an existing env file, but tightens its mode', async () => {
    const r = tempRoot();
    mkdirSync(join(r, 'etc/argus'), { recursive: true });
    writeFileSync(join(r, 'etc/argus/argus.env'), 'TELEGRAM_BOT_TOKEN=secret\n');
    chmodSync(join(r, 'etc/argus/argus.env'), 0o644);
    const steps = planInstall({ root: r, vars, mode: 'timer', start: false });
    expect(steps).toContainEqual({
      kind: 'keep',
      path: join(r, 'etc/argus/argus.env'),
      why: 'exists; never overwritten',
    });
    await applyPlan(steps, recorder().exec);
    expect(readFileSync(join(r, 'etc/argus/argus.env'), 'utf8')).toBe('TELEGRAM_BOT_TOKEN=secret\n');
    expect(mode(join(r, 'etc/argus/argus.env'))).toBe(0o600);
  });

  it('an updated template rewrites the unit ("update"), a foreign unit file is left by uninstall', async () => {
    const r = tempRoot();
    await applyPlan(planInstall({ root: r, vars, mode: 'timer', start: false }), recorder().exec);
    writeFileSync(join(r, 'etc/systemd/system/argus.timer'), '[Timer]\nOnUnitActiveSec=1h\n# hand-written\n');
    const steps = planInstall({ root: r, vars, mode: 'timer', start: false });
    expect(steps).toContainEqual(
      expect.objectContaining({ kind: 'write', path: join(r, 'etc/systemd/system/argus.timer'), change: 'update' }),
    );

    const un = planUninstall({ root: r });
    expect(un).toContainEqual({
      kind: 'keep',
      path: join(r, 'etc/systemd/system/argus.timer'),
      why: 'not written by argus install; left alone',
    });
    const rec = recorder();
    await applyPlan(un, rec.exec);
    expect(existsSync(join(r, 'etc/systemd/system/argus.service'))).toBe(false);
    expect(existsSync(join(r, 'etc/systemd/system/argus.timer'))).toBe(true);
    expect(existsSync(join(r, 'etc/argus/argus.env'))).toBe(true);
    expect(rec.calls).toEqual([
      [
        'systemctl',
        `--root=${r}`,
        'disable',
        '--',
        'argus-run.service',
        'argus-serve.service',
        'argus-solicitor.service',
        'argus-chronicle.timer',
      ],
    ]);
  });

  it.skipIf(!hasSystemctl)('install then uninstall through the CLI with a real offline systemctl', async () => {
    const r = tempRoot();
    const t = io();
    expect(await install(['--root', r, '--prefix', PACKAGE_DIR], t)).toBe(0);
    expect(t.err.join('')).toBe('');
    const wants = join(r, 'etc/systemd/system/timers.target.wants');
    expect(readdirSync(wants).sort()).toEqual(['argus-chronicle.timer', 'argus.timer']);
    const t2 = io();
    expect(await install(['--root', r, '--prefix', PACKAGE_DIR], t2)).toBe(0);
    expect(t2.out.join('')).toContain(`keep ${r}/etc/systemd/system/argus.service (unchanged)`);

    const t3 = io();
    expect(await uninstall(['--root', r], t3)).toBe(0);
    expect(existsSync(join(wants, 'argus.timer'))).toBe(false);
    expect(UNIT_NAMES.some((n) => existsSync(join(r, 'etc/systemd/system', n)))).toBe(false);
    expect(existsSync(join(r, 'etc/argus/argus.env'))).toBe(true);
  });

  it('refuses a bad --mode and a prefix without dist/cli.js', async () => {
    const r = tempRoot();
    const a = io();
    expect(await install(['--mode', 'cron', '--root', r], a)).toBe(2);
    const b = io();
    expect(await install(['--root', r, '--prefix', r], b)).toBe(1);
    expect(b.err.join('')).toContain('dist/cli.js not found');
    expect(readdirSync(r)).toEqual([]);
  });
});

describe('recovery drop-ins for watched units', () => {
  const kinds = (steps: ReturnType<typeof planInstall>) =>
    steps.map((s) => `${s.kind} ${'path' in s ? s.path.replace(root!, '') : s.args.join(' ')}`);

  it('timer mode: one drop-in per watched unit, starting argus.service on failure; run mode: none', async () => {
    const r = tempRoot();
    const steps = planInstall({ root: r, vars, mode: 'timer', start: false, watched: ['nginx.service', 'db.service'] });
    expect(kinds(steps)).toEqual(
      expect.arrayContaining([
        'write /etc/systemd/system/nginx.service.d/argus-recover.conf',
        'write /etc/systemd/system/db.service.d/argus-recover.conf',
      ]),
    );
    const drop = steps.find((s) => s.kind === 'write' && s.path.endsWith('nginx.service.d/argus-recover.conf'));
    expect(drop && 'text' in drop && drop.text).toMatch(/^\[Unit\]\nOnFailure=argus\.service\n$/m);
    const run = planInstall({ root: r, vars, mode: 'run', start: false, watched: ['nginx.service'] });
    expect(kinds(run).filter((k) => k.includes('argus-recover'))).toEqual([]);
  });

  it('idempotent; a unit no longer watched loses its drop-in; uninstall removes ours and leaves others alone', async () => {
    const r = tempRoot();
    await applyPlan(
      planInstall({ root: r, vars, mode: 'timer', start: false, watched: ['nginx.service', 'db.service'] }),
      recorder().exec,
    );
    const foreign = join(r, 'etc/systemd/system/nginx.service.d/override.conf');
    writeFileSync(foreign, '[Service]\nRestart=always\n');
    const again = planInstall({ root: r, vars, mode: 'timer', start: false, watched: ['nginx.service'] });
    expect(kinds(again).filter((k) => k.includes('argus-recover'))).toEqual([
      'keep /etc/systemd/system/nginx.service.d/argus-recover.conf',
      'remove /etc/systemd/system/db.service.d/argus-recover.conf',
    ]);
    await applyPlan(again, recorder().exec);
    await applyPlan(planUninstall({ root: r, start: false }), recorder().exec);
    expect(existsSync(join(r, 'etc/systemd/system/nginx.service.d/argus-recover.conf'))).toBe(false);
    expect(readFileSync(foreign, 'utf8')).toBe('[Service]\nRestart=always\n');
  });

  it('`argus install` reads the watched units from the installed env file', async () => {
    const r = tempRoot();
    mkdirSync(join(r, 'etc/argus'), { recursive: true });
    writeFileSync(join(r, 'etc/argus/argus.env'), '# settings\nARGUS_SERVICES=openclaw-gateway,mcp-agent-mail\n', {
      mode: 0o600,
    });
    const out = io();
    expect(await install(['--dry-run', '--root', r, '--prefix', PACKAGE_DIR], out)).toBe(0);
    expect(out.out.join('')).toContain(
      `would create ${r}/etc/systemd/system/openclaw-gateway.service.d/argus-recover.conf`,
    );
    expect(out.out.join('')).toContain(
      `would create ${r}/etc/systemd/system/mcp-agent-mail.service.d/argus-recover.conf`,
    );
  });
});

describe("the installed service's environment (what an operator's command sees)", () => {
  it('reads Environment= and EnvironmentFile= of the installed unit; the file overrides, as in systemd', async () => {
    const r = tempRoot();
    await applyPlan(planInstall({ root: r, vars, mode: 'timer', start: false }), recorder().exec);
    writeFileSync(
      join(r, 'etc/argus/argus.env'),
      '# x\nTELEGRAM_CHAT_ID="-100123"\nARGUS_SERVICES=a,b\n; comment\nexport ARGUS_LOG_LEVEL=warn\n',
    );
    const svc = serviceEnvironment(r);
    expect(svc?.env).toMatchObject({
      ARGUS_STATE_DIR: '/var/lib/argus',
      ARGUS_LOG_DIR: '/var/log/argus',
      TELEGRAM_CHAT_ID: '-100123',
      ARGUS_SERVICES: 'a,b',
      ARGUS_LOG_LEVEL: 'warn',
    });
    expect(svc?.unreadable).toEqual([]);
  });
  it('no installed unit (a plain checkout), or a unit not written by argus install: null', () => {
    const r = tempRoot();
    expect(serviceEnvironment(r)).toBeNull();
    mkdirSync(join(r, 'etc/systemd/system'), { recursive: true });
    writeFileSync(join(r, 'etc/systemd/system/argus.service'), '[Service]\nEnvironment=ARGUS_STATE_DIR=/elsewhere\n');
    expect(serviceEnvironment(r)).toBeNull();
  });
});
