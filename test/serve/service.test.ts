// argus-serve.service on a real systemd (container): `argus install --serve` enables it, the hardened unit serves
// /healthz, /metrics and the page from the state a real cycle wrote, cannot write that state, and doctor sees it.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR, bootContainer, systemdAvailable, type Container } from '../support/systemd-container.js';

const built = existsSync(join(PROJECT_DIR, 'dist/cli/commands/serve.js'));
if (!built) console.warn('[argus-serve.service tests skipped] dist/ has no serve command: run `npm run build` first');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!systemdAvailable() || !built)('argus-serve.service (real systemd in a container)', () => {
  let c: Container;
  let port: number;
  const sh = async (file: string, ...args: string[]) => {
    const r = await c.exec(file, args, { timeoutMs: 120_000 });
    if (r.failed) throw new Error(`${file} ${args.join(' ')} → ${r.exitCode}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const prop = async (name: string) =>
    (await sh('systemctl', 'show', `--property=${name}`, '--value', 'argus-serve.service')).trim();
  /** The container shares the host's network: its loopback is ours. */
  const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5000) });

  beforeAll(async () => {
    c = await bootContainer({ name: 'argus-serve' });
    port = await freePort();
    // A free port instead of 8787 (the network is the host's): the drop-in an operator would write with `systemctl edit`.
    await sh('mkdir', '-p', '/etc/systemd/system/argus-serve.service.d');
    await c.writeFile(
      '/etc/systemd/system/argus-serve.service.d/port.conf',
      `[Service]\nExecStart=\nExecStart=/usr/local/bin/node --max-semi-space-size=1 ${PROJECT_DIR}/dist/cli.js serve --read-only --port ${port}\n`,
    );
  });
  afterAll(async () => {
    await c?.stop();
  });

  it('`argus install --serve` enables and starts it; a cycle later, /healthz is 200 and /metrics has the cycle', async () => {
    const out = await sh('node', `${PROJECT_DIR}/dist/cli.js`, 'install', '--prefix', PROJECT_DIR, '--serve');
    expect(out).toContain('create /etc/systemd/system/argus-serve.service');
    expect(out).toContain('systemctl enable --now argus.timer argus-chronicle.timer argus-serve.service');
    await sh('systemctl', 'start', 'argus.service');
    let health = 0;
    for (let i = 0; i < 50 && health !== 200; i++) {
      health = await get('/healthz').then(
        (r) => r.status,
        () => 0,
      );
      if (health !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    const journal =
      health === 200
        ? ''
        : (await c.exec('journalctl', ['-u', 'argus-serve.service', '-n', '30', '--no-pager'])).stdout;
    expect({ health, journal }).toEqual({ health: 200, journal: '' });
    expect(await prop('ActiveState')).toBe('active');
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/^argus_last_cycle_timestamp_seconds \d+(\.\d+)?$/m);
    expect(metrics).toMatch(/^argus_cycles_total 1$/m);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-mode="served"');
  });

  it('scores ≤ 2.6 with systemd-analyze security, and its state is read-only to it', async () => {
    const r = await c.exec('systemd-analyze', ['security', '--no-pager', 'argus-serve.service']);
    const score = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout)?.[1]);
    console.log(`argus-serve.service: systemd-analyze security ${score}`);
    expect(score, r.stdout.slice(-2500)).toBeLessThanOrEqual(2.6);
    // Inside the running service's own mount namespace: the state is there to read, and refuses a write.
    const pid = await prop('MainPID');
    const probe = await c.exec('nsenter', [
      '-t',
      pid,
      '-m',
      '--',
      '/bin/sh',
      '-c',
      'cat /var/lib/argus/cycle_state.json >/dev/null && echo read-ok; touch /var/lib/argus/x 2>/dev/null && echo write-ok || echo write-refused',
    ]);
    expect(probe.stdout.trim().split('\n'), probe.stderr).toEqual(['read-ok', 'write-refused']);
    expect(await prop('ReadOnlyPaths')).toContain('/var/lib/argus');
    expect(await prop('CapabilityBoundingSet')).toBe('');
  });

  it('doctor reports it enabled and serving', async () => {
    const r = await c.exec('node', [`${PROJECT_DIR}/dist/cli.js`, 'doctor', '--offline'], { timeoutMs: 60_000 });
    expect(r.stdout).toMatch(/argus-serve\.service\s+enabled, serving/);
  });
});
