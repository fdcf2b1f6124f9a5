// restart_service's guard and execute logic against a scripted systemctl (no systemd needed): names, allowlist, states.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGate } from '../../../src/agents/executor/gate.js';
import { createRestartService, normalizeUnit } from '../../../src/agents/executor/actions/restart-service.js';
import type { ExecOptions, ExecResult } from '../../../src/host/port.js';
import { sandbox, type Sandbox } from './helpers.js';
import { snapshot } from '../../support/snapshot.js';

type Props = Record<string, string>;

/** A scripted `systemctl`: `show` answers from `units`, everything else is recorded and succeeds. */
function fakeSystemctl(units: Record<string, Props>) {
  const calls: string[][] = [];
  const ok = (stdout: string): ExecResult => ({
    exitCode: 0,
    signal: null,
    stdout,
    stderr: '',
    timedOut: false,
    durationMs: 1,
    failed: false,
    spawnError: null,
  });
  const exec = async (file: string, args: readonly string[], _options?: ExecOptions): Promise<ExecResult> => {
    calls.push([file, ...args]);
    if (file !== 'systemctl') return { ...ok(''), exitCode: 127, failed: true, spawnError: 'ENOENT' };
    const unit = args[args.length - 1] ?? '';
    if (args[0] === 'show') {
      const props = units[unit] ?? {
        LoadState: 'not-found',
        ActiveState: 'inactive',
        SubState: 'dead',
        Result: 'success',
      };
      return ok(
        Object.entries(props)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n') + '\n',
      );
    }
    if (args[0] === 'restart' || args[0] === 'reset-failed') {
      const u = units[unit];
      if (u && args[0] === 'restart')
        Object.assign(u, {
          ActiveState: 'active',
          SubState: 'running',
          Result: 'success',
          InvocationID: 'new',
          MainPID: '42',
        });
      return ok('');
    }
    return ok('');
  };
  return { exec, calls };
}

const failed = (): Props => ({
  LoadState: 'loaded',
  ActiveState: 'failed',
  SubState: 'failed',
  Result: 'signal',
  Type: 'simple',
  UnitFileState: 'static',
  MainPID: '0',
  InvocationID: 'old',
});

let sb: Sandbox | null = null;
afterEach(() => {
  sb?.cleanup();
  sb = null;
});

function setup(units: Record<string, Props>, allowlist = ['nginx', 'demo.service', 'app@1']) {
  const fake = fakeSystemctl(units);
  sb = sandbox({ config: { restartAllowlist: allowlist }, host: { exec: fake.exec } });
  const action = createRestartService({ pollMs: 1, settleMs: 0, verifyTimeoutMs: 2000 });
  const gate = createGate([action], { registry: sb.registry, now: () => sb!.ctx.host.now(), host: 'test' });
  const run = (service: unknown) =>
    gate.run({ action: 'restart_service', input: { service, reason: 'test' }, source: 'rule' }, sb!.ctx);
  return { ...fake, action, run, sb };
}

describe('normalizeUnit', () => {
  it.each([
    ['nginx', 'nginx.service'],
    ['nginx.service', 'nginx.service'],
    ['app@1', 'app@1.service'],
    ['user-1000:x_y.z', 'user-1000:x_y.z.service'],
  ])('%s → %s', (name, unit) => expect(normalizeUnit(name)).toBe(unit));

  it.each([
    '',
    '.service',
    '../nginx',
    'a/b',
    'nginx\0',
    'ngi nx',
    'nginx;reboot',
    '$(reboot)',
    '-H.service',
    '--host=x',
    'nginx.socket',
    'sshd.timer',
    'a..b',
    'x'.repeat(300),
  ])('refuses %j', (name) => expect(normalizeUnit(name)).toBeNull());
});

describe('restart_service guard (scripted systemctl)', () => {
  it.each([
    ['sshd.service', 'not on the restart allowlist'],
    ['sshd', 'not on the restart allowlist'],
    ['nginx.service.evil', 'not on the restart allowlist'],
    ['nginx.serviceX', 'not on the restart allowlist'],
    ['nginx2', 'not on the restart allowlist'],
    ['app@2', 'not on the restart allowlist'],
    ['../nginx', 'not a valid service unit name'],
    ['nginx\0', 'not a valid service unit name'],
    ['nginx; reboot', 'not a valid service unit name'],
    ['-H', 'not a valid service unit name'],
    ['nginx.socket', 'not a valid service unit name'],
  ])('refuses %j and runs no systemctl', async (service, reason) => {
    const t = setup({ 'nginx.service': failed(), 'sshd.service': failed() });
    const r = await t.run(service);
    expect(r.result).toBe('refused');
    expect(r.reason).toContain(reason);
    expect(t.calls).toEqual([]);
    expect(t.sb.records()).toHaveLength(1);
  });

  it('refuses a unit that does not exist', async () => {
    const t = setup({});
    const r = await t.run('nginx');
    expect(r).toMatchObject({ result: 'refused' });
    expect(r.reason).toContain('does not exist');
  });

  it('refuses an admin-stopped unit and a masked one, and never restarts them', async () => {
    const t = setup({
      'nginx.service': {
        LoadState: 'loaded',
        ActiveState: 'inactive',
        SubState: 'dead',
        Result: 'success',
        Type: 'simple',
      },
      'demo.service': {
        LoadState: 'masked',
        ActiveState: 'inactive',
        SubState: 'dead',
        Result: 'success',
        UnitFileState: 'masked',
      },
    });
    const a = await t.run('nginx');
    expect(a.result).toBe('refused');
    expect(a.reason).toContain('stopped by an administrator; Argus leaves it alone');
    const b = await t.run('demo');
    expect(b.result).toBe('refused');
    expect(b.reason).toContain('masked');
    expect(t.calls.filter((c) => c[1] === 'restart')).toEqual([]);
  });

  it('passes argument arrays with -- before the unit, resets a start-limit-hit unit first, and verifies', async () => {
    const t = setup({ 'nginx.service': { ...failed(), Result: 'start-limit-hit' } });
    const r = await t.run('nginx');
    expect(r.result).toBe('success');
    expect(r.details).toMatchObject({
      resetFailed: true,
      attempt: 1,
      escalate: false,
      after: { ActiveState: 'active' },
    });
    const verbs = t.calls.map((c) => c.slice(1).filter((a) => !a.startsWith('--property')));
    expect(verbs).toContainEqual(['reset-failed', '--', 'nginx.service']);
    expect(verbs).toContainEqual(['restart', '--', 'nginx.service']);
    expect(verbs.findIndex((v) => v[0] === 'reset-failed')).toBeLessThan(verbs.findIndex((v) => v[0] === 'restart'));
  });

  it('skips a unit that is already active at execute time (not an attempt)', async () => {
    const t = setup({
      'nginx.service': { ...failed(), ActiveState: 'active', SubState: 'running', Result: 'success' },
    });
    const r = await t.run('nginx');
    expect(r.result).toBe('skipped');
    expect(r.reason).toContain('already active');
    expect(t.calls.some((c) => c[1] === 'restart')).toBe(false);
  });

  describe('a running unit whose own health probe fails (failing_probe)', () => {
    const running = (): Props => ({
      ...failed(),
      ActiveState: 'active',
      SubState: 'running',
      Result: 'success',
      MainPID: '7',
      InvocationID: 'old',
    });
    const probes = [{ name: 'api-health', url: 'http://127.0.0.1:9/health', service: 'nginx' }];
    const probeSnap = (ok: boolean) =>
      snapshot({
        probes: [
          {
            name: 'api-health',
            url: 'http://127.0.0.1:9/health',
            ok,
            status: ok ? 200 : 503,
            expectStatus: 200,
            error: null,
            latencyMs: 3,
          },
        ],
      });
    function probeSetup(ok: boolean, probeList: unknown[] = probes) {
      const fake = fakeSystemctl({ 'nginx.service': running() });
      sb = sandbox({
        config: { restartAllowlist: ['nginx'], probes: probeList as never },
        host: { exec: fake.exec },
        snapshot: probeSnap(ok),
      });
      const gate = createGate([createRestartService({ pollMs: 1, settleMs: 0, verifyTimeoutMs: 2000 })], {
        registry: sb.registry,
        now: () => new Date(),
        host: 'test',
      });
      const run = (failing_probe: string) =>
        gate.run(
          { action: 'restart_service', input: { service: 'nginx', reason: 'probe', failing_probe }, source: 'rule' },
          sb!.ctx,
        );
      return { ...fake, run };
    }
    const restarted = (calls: string[][]) => calls.some((c) => c[1] === 'restart');

    it('is restarted when the probe is configured for it and the snapshot saw it failing', async () => {
      const t = probeSetup(false);
      const r = await t.run('api-health');
      expect(r.result).toBe('success');
      expect(restarted(t.calls)).toBe(true);
    });

    it.each([
      ['the probe passed in the snapshot', true, probes],
      ['the probe belongs to another unit', false, [{ ...probes[0], service: 'other' }]],
      ['the probe is not configured', false, []],
    ] as const)('is left alone when %s', async (_name, probeOk, list) => {
      const t = probeSetup(probeOk, list as unknown[]);
      const r = await t.run('api-health');
      expect(r.result).toBe('skipped');
      expect(restarted(t.calls)).toBe(false);
    });
  });

  it('reports failure when systemctl cannot answer', async () => {
    sb = sandbox({
      config: { restartAllowlist: ['nginx'] },
      host: {
        exec: async () => ({
          exitCode: null,
          signal: null,
          stdout: '',
          stderr: '',
          timedOut: false,
          durationMs: 0,
          failed: true,
          spawnError: 'ENOENT',
        }),
      },
    });
    const gate = createGate([createRestartService()], { registry: sb.registry, now: () => new Date(), host: 'test' });
    const r = await gate.run(
      { action: 'restart_service', input: { service: 'nginx', reason: 'x' }, source: 'mcp' },
      sb.ctx,
    );
    expect(r.result).toBe('refused');
    expect(r.reason).toContain('cannot read the state');
  });

  it('a restart that worked stays a success when restarts.json cannot be written', async () => {
    const t = setup({ 'nginx.service': failed() });
    const blocker = join(t.sb.dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    t.sb.ctx.paths = { ...t.sb.ctx.paths, restarts: join(blocker, 'restarts.json') };
    const r = await t.run('nginx');
    expect(r.result).toBe('success');
    expect(r.details).toMatchObject({ attempt: 1 });
  });

  it('dry-run records what would be done and restarts nothing', async () => {
    const t = setup({ 'nginx.service': failed() });
    t.sb.ctx.dryRun = true;
    const r = await t.run('nginx');
    expect(r.result).toBe('dry_run');
    expect(t.calls.some((c) => c[1] === 'restart')).toBe(false);
  });
});
