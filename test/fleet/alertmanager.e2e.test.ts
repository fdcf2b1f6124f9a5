// Fleet mode against a real Alertmanager on loopback (Debian's prometheus-alertmanager): a host's incident is posted
// with the labels the shipped routes use, re-posted while open, ended when it resolves; Alertmanager down never fails
// a cycle and the resolution waits in the outbox until it is back.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { statePaths } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { createLinuxHost } from '../../src/host/linux.js';
import type { ExecResult } from '../../src/host/port.js';
import { silentLog } from '../../src/log.js';
import { createRuntime } from '../../src/orchestrator/compose.js';
import { runGuardedCycle } from '../../src/orchestrator/once.js';
import { makeProcTree } from '../support/proc-tree.js';
import { makeTmp } from '../support/tmp.js';

const BIN = ['prometheus-alertmanager', 'alertmanager'].find((b) => spawnSync(b, ['--version']).status === 0) ?? null;
const noTool: ExecResult = {
  exitCode: 1,
  signal: null,
  stdout: '',
  stderr: 'not here',
  timedOut: false,
  durationMs: 0,
  failed: true,
  spawnError: 'ENOENT',
};

let tmp: ReturnType<typeof makeTmp> | undefined;
let am: ChildProcess | null = null;
afterEach(() => {
  am?.kill('SIGKILL');
  am = null;
  tmp?.cleanup();
  tmp = undefined;
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startAlertmanager(dir: string, port: number): Promise<void> {
  writeFileSync(join(dir, 'am.yml'), 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n');
  am = spawn(
    BIN!,
    [
      `--config.file=${join(dir, 'am.yml')}`,
      `--storage.path=${join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('alertmanager did not start');
}

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string };
  endsAt: string;
}
const alerts = async (port: number): Promise<AmAlert[]> =>
  (await fetch(`http://127.0.0.1:${port}/api/v2/alerts`)).json() as Promise<AmAlert[]>;

/** A host on a fixture /proc whose memory we set; the real clock (Alertmanager judges endsAt by it). */
async function fleetHost(dir: string, amUrl: string) {
  const root = join(dir, 'root');
  mkdirSync(root, { recursive: true });
  makeProcTree(root, { processes: 20, memTotalKb: 8_000_000, memAvailableKb: 4_000_000 });
  const setAvailable = (kb: number) => {
    const p = join(root, 'proc', 'meminfo');
    writeFileSync(p, readFileSync(p, 'utf8').replace(/MemAvailable:\s+\d+ kB/, `MemAvailable:   ${kb} kB`));
  };
  // A minute a cycle, ending before the real now: Alertmanager compares endsAt with its own clock.
  const clock = { t: Date.now() - 6 * 60_000 };
  const host = createLinuxHost({
    root,
    exec: async () => noTool,
    statfs: async () => ({
      blockSize: 4096,
      blocks: 1_000_000,
      blocksFree: 500_000,
      blocksAvail: 480_000,
      files: 100_000,
      filesFree: 90_000,
    }),
    now: () => new Date(clock.t),
    hostname: () => 'web-7',
  });
  // Not a dry run (fleet posts are skipped in one): memory has no action here (killMemoryHogs off), nothing is touched.
  const config = ConfigSchema.parse({
    stateDir: join(dir, 'state'),
    alertmanagerUrl: amUrl,
    confirmCycles: { memory: 1 },
  });
  const rt = await createRuntime(config, statePaths(config), { log: silentLog(), host, beadsDir: join(dir, 'beads') });
  const cycle = async () => {
    const o = await runGuardedCycle(rt);
    clock.t += 60_000;
    if (o.status !== 'ok') throw new Error(`cycle ${o.status}`);
    return o.report;
  };
  return { cycle, setAvailable, paths: statePaths(config) };
}

describe.skipIf(BIN === null)('fleet: incidents in Alertmanager', () => {
  it('an open incident is posted with its labels, re-posted while open, and ended when it resolves', async () => {
    tmp = makeTmp();
    const port = await freePort();
    await startAlertmanager(tmp.dir, port);
    const h = await fleetHost(tmp.dir, `http://127.0.0.1:${port}`);
    h.setAvailable(400_000); // 95 % used
    const first = await h.cycle();
    expect(first.warnings.filter((w) => w.startsWith('alertmanager'))).toEqual([]);
    const firing = await alerts(port);
    expect(firing).toHaveLength(1);
    expect(firing[0]!.labels).toMatchObject({
      alertname: 'ArgusIncident',
      host: 'web-7',
      identity: 'memory:host',
      severity: 'critical',
    });
    expect(firing[0]!.labels.incident).toMatch(/^memory:host#/);
    expect(firing[0]!.status.state).toBe('active');
    const endsAt = Date.parse(firing[0]!.endsAt);
    await h.cycle();
    expect(Date.parse((await alerts(port))[0]!.endsAt)).toBeGreaterThan(endsAt); // re-posted: held further
    h.setAvailable(6_000_000);
    await h.cycle();
    const resolved = await h.cycle();
    expect(resolved.resolved.map((r) => r.identity)).toEqual(['memory:host']);
    const after = await alerts(port);
    expect(after.every((a) => Date.parse(a.endsAt) <= Date.now())).toBe(true);
  });

  it('Alertmanager down: the cycle completes with a warning, the resolution waits and is delivered when it is back', async () => {
    tmp = makeTmp();
    const port = await freePort();
    await startAlertmanager(tmp.dir, port);
    const h = await fleetHost(tmp.dir, `http://127.0.0.1:${port}`);
    h.setAvailable(400_000);
    await h.cycle();
    expect(await alerts(port)).toHaveLength(1);
    am!.kill('SIGKILL');
    am = null;
    h.setAvailable(6_000_000);
    await h.cycle();
    const down = await h.cycle();
    expect(down.resolved).toHaveLength(1);
    expect(
      down.warnings.some((w) => /alertmanager: Alertmanager unreachable/.test(w) && /1 resolutions kept/.test(w)),
    ).toBe(true);
    expect(JSON.parse(readFileSync(h.paths.alertmanagerOutbox, 'utf8')).resolved).toHaveLength(1);
    await startAlertmanager(tmp.dir, port);
    // Alertmanager restarted with its stored state: the alert is still firing until the outbox delivers the end.
    const back = await h.cycle();
    expect(back.warnings.filter((w) => w.startsWith('alertmanager'))).toEqual([]);
    expect(JSON.parse(readFileSync(h.paths.alertmanagerOutbox, 'utf8')).resolved).toEqual([]);
    expect((await alerts(port)).every((a) => Date.parse(a.endsAt) <= Date.now())).toBe(true);
  });
});
