// Argus as a hardened systemd service on a real systemd (container): installer, verify, security score, timer,
// restart of a killed service, admin stop respected, tmux of another user visible, SIGTERM mid-cycle leaves state valid.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNIT_NAMES, SERVICE_UNITS } from '../../src/install/units.js';
import { PROJECT_DIR, bootContainer, systemdAvailable, type Container } from '../support/systemd-container.js';
import { startLoopbackTelegram } from '../support/telegram-server.js';

const built = existsSync(join(PROJECT_DIR, 'dist/cli/commands/install.js'));
if (!built) console.warn('[systemd service tests skipped] dist/ has no install command: run `npm run build` first');
const ENV = [
  'ARGUS_SERVICES=demo',
  'ARGUS_RESTART_ALLOWLIST=demo',
  'ARGUS_TMUX_SOCKETS=/tmp/tmux-1000/default',
  'ARGUS_CONFIG=/etc/argus/argus.json',
  '',
].join('\n');

describe.skipIf(!systemdAvailable() || !built)('Argus as a systemd service (real systemd in a container)', () => {
  let c: Container;
  const sh = async (file: string, ...args: string[]) => {
    const r = await c.exec(file, args, { timeoutMs: 120_000 });
    if (r.failed) throw new Error(`${file} ${args.join(' ')} → ${r.exitCode}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const prop = async (unit: string, name: string) =>
    (await sh('systemctl', 'show', `--property=${name}`, '--value', unit)).trim();
  const pause = () => new Promise((r) => setTimeout(r, 100));
  /** One cycle by hand: `systemctl start` of a oneshot returns when the cycle has finished. */
  const cycle = async () => {
    const r = await c.exec('systemctl', ['start', 'argus.service'], { timeoutMs: 120_000 });
    const journal = r.failed
      ? (await c.exec('journalctl', ['-u', 'argus.service', '-n', '40', '--no-pager'])).stdout
      : '';
    expect({ failed: r.failed, result: await prop('argus.service', 'Result'), journal }).toEqual({
      failed: false,
      result: 'success',
      journal: '',
    });
  };
  const records = async () =>
    (await sh('cat', '/var/lib/argus/problems.jsonl'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { action_taken: string | null; action_result: string | null });

  beforeAll(async () => {
    c = await bootContainer({ name: 'argus-service' });
    await sh('useradd', '--create-home', '--uid', '1000', 'watcher');
    await c.writeFile('/etc/systemd/system/demo.service', '[Service]\nExecStart=/bin/sleep infinity\nRestart=no\n');
    await sh('systemctl', 'daemon-reload');
    await sh('systemctl', 'start', 'demo.service');
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('installs with `argus install` (env file 0600, timers enabled) and is idempotent', async () => {
    const out = await sh('node', `${PROJECT_DIR}/dist/cli.js`, 'install', '--prefix', PROJECT_DIR);
    expect(out).toContain('create /etc/systemd/system/argus.service');
    expect(out).toContain('systemctl enable --now argus.timer argus-chronicle.timer');
    expect((await sh('stat', '-c', '%a %U', '/etc/argus/argus.env')).trim()).toBe('600 root');
    expect(await prop('argus.timer', 'UnitFileState')).toBe('enabled');
    expect(await prop('argus-chronicle.timer', 'ActiveState')).toBe('active');

    await c.writeFile('/etc/argus/argus.env', ENV, 0o600);
    await c.writeFile('/etc/argus/argus.json', '{}\n', 0o600);
    const again = await sh('node', `${PROJECT_DIR}/dist/cli.js`, 'install', '--prefix', PROJECT_DIR);
    expect(again).toContain('keep /etc/systemd/system/argus.service (unchanged)');
    expect(again).toContain('keep /etc/argus/argus.env (exists; never overwritten)');
    expect(await sh('cat', '/etc/argus/argus.env')).toBe(ENV);
  });

  it('systemd-analyze verify passes for every unit', async () => {
    const r = await c.exec('systemd-analyze', ['verify', ...UNIT_NAMES.map((n) => `/etc/systemd/system/${n}`)]);
    expect(r.stderr.split('\n').filter((l) => /argus/.test(l))).toEqual([]);
    expect(r.exitCode).toBe(0);
  });

  it.each([...SERVICE_UNITS])('%s scores ≤ 3.0 with systemd-analyze security --offline', async (unit) => {
    const r = await c.exec('systemd-analyze', [
      'security',
      '--offline=true',
      '--no-pager',
      `/etc/systemd/system/${unit}`,
    ]);
    const score = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout)?.[1]);
    expect(score).toBeLessThanOrEqual(3.0);
  });

  it('the timer fires a cycle, and the hardened unit writes its state under /var/lib/argus', async () => {
    await c.writeFile('/etc/systemd/system/argus.timer.d/test.conf', '[Timer]\nOnActiveSec=1s\n');
    await sh('systemctl', 'daemon-reload');
    await sh('systemctl', 'restart', 'argus.timer');
    while ((await prop('argus.service', 'ExecMainExitTimestampMonotonic')) === '0') await pause();
    while ((await prop('argus.service', 'ActiveState')) !== 'inactive') await pause();
    expect(await prop('argus.timer', 'LastTriggerUSec')).toMatch(/\d{4}-\d\d-\d\d/);
    expect(await prop('argus.service', 'Result')).toBe('success');
    const state = JSON.parse(await sh('cat', '/var/lib/argus/cycle_state.json')) as Record<string, unknown>;
    expect(state).toBeTypeOf('object');
    expect((await sh('stat', '-c', '%a', '/var/lib/argus')).trim()).toBe('700');
    await c.exec('rm', ['-rf', '/etc/systemd/system/argus.timer.d']);
    await sh('systemctl', 'daemon-reload');
  });

  it('restarts a watched service killed with SIGKILL, verified active', async () => {
    const before = await prop('demo.service', 'MainPID');
    await sh('systemctl', 'kill', '-s', 'SIGKILL', 'demo.service');
    while (
      (await prop('demo.service', 'ActiveState')) !== 'failed' &&
      (await prop('demo.service', 'MainPID')) === before
    )
      await pause();
    await cycle();
    expect(await prop('demo.service', 'ActiveState')).toBe('active');
    expect(await prop('demo.service', 'MainPID')).not.toBe(before);
    expect(
      (await records()).filter((r) => r.action_taken === 'restart_service:demo.service').map((r) => r.action_result),
    ).toContain('success');
  });

  it('leaves an admin-stopped service alone', async () => {
    const restarts = async () =>
      (await records()).filter(
        (r) => r.action_taken === 'restart_service:demo.service' && r.action_result === 'success',
      ).length;
    const n = await restarts();
    await sh('systemctl', 'stop', 'demo.service');
    await cycle();
    expect(await prop('demo.service', 'ActiveState')).toBe('inactive');
    expect(await restarts()).toBe(n);
    await sh('systemctl', 'start', 'demo.service');
  });

  it("sees the watched user's tmux sessions through the hardened unit (PrivateTmp off)", async () => {
    await sh('runuser', '-u', 'watcher', '--', 'tmux', 'new-session', '-d', '-s', 'work', 'sleep', '3600');
    await cycle();
    const snap = JSON.parse(await sh('cat', '/var/lib/argus/snapshot.json')) as {
      snapshot?: { tmux?: Array<{ name: string }> };
      tmux?: Array<{ name: string }>;
    };
    const tmux = snap.tmux ?? snap.snapshot?.tmux ?? [];
    expect(tmux.map((s) => s.name)).toContain('work');
  });

  it('SIGTERM in the middle of a cycle leaves every state file valid, and the next cycle runs', async () => {
    // A probe to a loopback server that never answers keeps the cycle busy long enough to be stopped mid-way
    // (the container shares this machine's loopback; no traffic leaves the machine).
    const held: import('node:http').ServerResponse[] = [];
    const slow = createServer((_req, res) => void held.push(res));
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const port = (slow.address() as import('node:net').AddressInfo).port;
    await c.writeFile(
      '/etc/argus/argus.json',
      JSON.stringify({ probes: [{ name: 'slow', url: `http://127.0.0.1:${port}/`, timeoutMs: 5000 }] }),
      0o600,
    );
    const previous = await prop('argus.service', 'InvocationID');
    await sh('systemctl', 'start', '--no-block', 'argus.service');
    while ((await prop('argus.service', 'InvocationID')) === previous) await pause();
    await sh('systemctl', 'stop', 'argus.service');
    const files = (await sh('find', '/var/lib/argus', '-maxdepth', '1', '-type', 'f')).split('\n').filter(Boolean);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of files) {
      const text = await sh('cat', f);
      if (f.endsWith('.json')) expect(() => JSON.parse(text), f).not.toThrow();
      if (f.endsWith('.jsonl'))
        for (const line of text.split('\n').filter(Boolean))
          expect(() => JSON.parse(line), `${f}: ${line.slice(0, 80)}`).not.toThrow();
    }
    await c.writeFile('/etc/argus/argus.json', '{}\n', 0o600);
    for (const res of held) res.destroy();
    slow.close();
    await cycle();
  });

  it('OnFailure=: a failing argus.service makes argus-failure@ send one Telegram message straight away, at most one an hour', async () => {
    const telegram = await startLoopbackTelegram();
    try {
      // The unit fails before any cycle can run (invalid configuration): only systemd can tell anyone.
      const broken = `${ENV}TELEGRAM_BOT_TOKEN=123:abc\nTELEGRAM_CHAT_ID=42\nTELEGRAM_API_BASE=${telegram.apiBase}\nARGUS_INTERVAL=often\n`;
      await c.writeFile('/etc/argus/argus.env', broken, 0o600);
      for (let attempt = 0; attempt < 2; attempt++) {
        await c.exec('systemctl', ['reset-failed', 'argus.service']);
        const r = await c.exec('systemctl', ['start', 'argus.service'], { timeoutMs: 120_000 });
        expect(r.failed).toBe(true);
        const deadline = Date.now() + 20_000;
        while (
          Date.now() < deadline &&
          (await prop('argus-failure@argus.service.service', 'ActiveState')) !== 'inactive'
        )
          await pause();
        while (Date.now() < deadline && telegram.accepted.length === 0) await pause();
      }
      const failureLog = (
        await c.exec('journalctl', ['-u', 'argus-failure@argus.service.service', '--no-pager', '-n', '30'])
      ).stdout;
      expect(telegram.accepted, failureLog).toHaveLength(1);
      expect(telegram.accepted[0]).toMatch(/Argus unit argus\.service failed \(result exit-code, exit status 2\)/);
      expect(telegram.accepted[0]).toMatch(/journalctl -u argus\.service/);
      const journal = (await c.exec('journalctl', ['-u', 'argus-failure@argus.service.service', '--no-pager'])).stdout;
      expect(journal).toMatch(/at most one an hour/);
    } finally {
      await c.writeFile('/etc/argus/argus.env', ENV, 0o600);
      await c.exec('systemctl', ['reset-failed']);
      await telegram.close();
    }
    await cycle();
  }, 120_000);

  it('recovery in seconds: a watched unit that fails starts a cycle at once (install drop-in), restarted and verified in < 10 s', async () => {
    await c.writeFile('/etc/systemd/system/quick.service', '[Service]\nExecStart=/bin/sleep infinity\nRestart=no\n');
    const env = `${ENV.replace('ARGUS_SERVICES=demo', 'ARGUS_SERVICES=demo,quick').replace('ARGUS_RESTART_ALLOWLIST=demo', 'ARGUS_RESTART_ALLOWLIST=demo,quick')}`;
    await c.writeFile('/etc/argus/argus.env', env, 0o600);
    try {
      const out = await sh('node', `${PROJECT_DIR}/dist/cli.js`, 'install', '--prefix', PROJECT_DIR);
      expect(out).toContain('create /etc/systemd/system/quick.service.d/argus-recover.conf');
      expect(await sh('cat', '/etc/systemd/system/quick.service.d/argus-recover.conf')).toContain(
        'OnFailure=argus.service',
      );
      await sh('systemctl', 'start', 'quick.service');
      const before = await prop('quick.service', 'MainPID');
      const killedAt = Date.now();
      await sh('systemctl', 'kill', '--signal=KILL', 'quick.service');
      let pid = before;
      let state = '';
      while (Date.now() - killedAt < 20_000) {
        state = await prop('quick.service', 'ActiveState');
        pid = await prop('quick.service', 'MainPID');
        if (state === 'active' && pid !== before && pid !== '0') break;
        await pause();
      }
      const seconds = (Date.now() - killedAt) / 1000;
      console.info(
        `[recovery] quick.service killed → restarted by Argus and active again in ${seconds.toFixed(1)} s (timer alone: up to 300 s)`,
      );
      expect({ state, restarted: pid !== before }).toEqual({ state: 'active', restarted: true });
      expect(seconds).toBeLessThan(10);
      // The cycle that restarted it finishes its records.
      while (Date.now() - killedAt < 60_000 && (await prop('argus.service', 'ActiveState')) === 'activating')
        await pause();
      const restart = (await records()).filter((r) => r.action_taken === 'restart_service:quick.service');
      expect(restart.at(-1)?.action_result).toBe('success');

      // An operator's command from anywhere sees the service's state, not ./state of where they stand.
      const status = await c.exec('node', [`${PROJECT_DIR}/dist/cli.js`, 'status'], { cwd: '/tmp' });
      expect(status.stdout, status.stderr).toContain(
        'State: /var/lib/argus (from the installed service (/etc/systemd/system/argus.service))',
      );
    } finally {
      await c.writeFile('/etc/argus/argus.env', ENV, 0o600);
      await sh('node', `${PROJECT_DIR}/dist/cli.js`, 'install', '--prefix', PROJECT_DIR);
    }
    expect(
      await c.exec('test', ['-e', '/etc/systemd/system/quick.service.d/argus-recover.conf']).then((r) => r.failed),
    ).toBe(true);
  }, 120_000);

  it('ARG-006 on real systemd: a unit that will not start gets attempt 2 a minute later within the same cycle, and no bead before the third failed attempt', async () => {
    await c.writeFile('/etc/systemd/system/broken.service', '[Service]\nExecStart=/bin/false\n');
    await sh('systemctl', 'daemon-reload');
    await c.exec('systemctl', ['start', 'broken.service']);
    const env = `${ENV.replace('ARGUS_SERVICES=demo', 'ARGUS_SERVICES=demo,broken').replace('ARGUS_RESTART_ALLOWLIST=demo', 'ARGUS_RESTART_ALLOWLIST=demo,broken')}`;
    await c.writeFile('/etc/argus/argus.env', env, 0o600);
    try {
      await cycle();
      const attempts = (await sh('cat', '/var/lib/argus/problems.jsonl'))
        .split('\n')
        .filter(Boolean)
        .map(
          (l) =>
            JSON.parse(l) as {
              ts: string;
              action_taken: string | null;
              action_result: string | null;
              identity: string | null;
            },
        )
        .filter((r) => r.identity === 'service:broken.service');
      const restarts = attempts.filter((r) => r.action_taken === 'restart_service:broken.service');
      expect(restarts.map((r) => r.action_result)).toEqual(['failure', 'failure']);
      const gap = (Date.parse(restarts[1]!.ts) - Date.parse(restarts[0]!.ts)) / 1000;
      console.info(`[ARG-006] broken.service: attempts 1 and 2 in one cycle, ${gap.toFixed(0)} s apart`);
      expect(gap).toBeGreaterThanOrEqual(55);
      expect(gap).toBeLessThan(90);
      expect(attempts.some((r) => r.action_taken?.startsWith('create_bead'))).toBe(false);
      const restartsState = JSON.parse(await sh('cat', '/var/lib/argus/restarts.json')) as {
        units: Record<string, { attempts: number }>;
      };
      expect(restartsState.units['broken.service']?.attempts).toBe(2);
    } finally {
      await c.writeFile('/etc/argus/argus.env', ENV, 0o600);
      await c.exec('systemctl', ['reset-failed']);
    }
  }, 240_000);
});
