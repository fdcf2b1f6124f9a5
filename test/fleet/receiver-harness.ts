// The fleet receiver in a started `argus serve` app on loopback: the real gate, registry, notifier and bead keeper on
// a temp state dir; a fake Telegram API on loopback and the bd stand-in; webhooks built as Alertmanager sends them.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { statePaths } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { fleetGroupsPath } from '../../src/fleet/group-state.js';
import { composeReceiverPorts } from '../../src/orchestrator/fleet-receiver.js';
import { createAlertmanagerReceiver, type AlertmanagerReceiver } from '../../src/fleet/receiver.js';
import { execFile } from '../../src/host/exec.js';
import { createLinuxHost } from '../../src/host/linux.js';
import { silentLog } from '../../src/log.js';
import type { ProblemRecord } from '../../src/model/record.js';
import { createServeApp } from '../../src/serve/app.js';
import { bdFixture, type BdFixture } from '../support/bd-standin/fixture.js';
import { BD_STANDIN } from '../support/bd-standin/paths.js';
import { startLoopbackTelegram, type LoopbackTelegram } from '../support/telegram-server.js';
import { makeTmp } from '../support/tmp.js';

export const TOKEN = 'fleet-receiver-token-0123456789';

export interface ReceiverRig {
  url: string;
  port: number;
  telegram: LoopbackTelegram;
  bd: BdFixture;
  receiver: AlertmanagerReceiver;
  statePath: string;
  stateDir: string;
  outboxPath: string;
  /** Records the gate and the receiver wrote, in order. */
  records(): ProblemRecord[];
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface RigOptions {
  /** The address the app is built for (it always listens on 127.0.0.1; a test sends that Host header). */
  host?: string;
  token?: string | null;
  readOnly?: boolean;
  /** Telegram's API base (default: the fake's). */
  apiBase?: string;
  dryRun?: boolean;
  /** The first N compositions of the receiver's ports fail (a broken runtime). */
  composeFailures?: number;
}

export async function startReceiver(o: RigOptions = {}): Promise<ReceiverRig> {
  const tmp = makeTmp('argus-fleet-rx-');
  const telegram = await startLoopbackTelegram();
  const bd = await bdFixture();
  const stateDir = join(tmp.dir, 'state');
  const config = ConfigSchema.parse({
    stateDir,
    hostname: 'fleet-hub',
    dryRun: o.dryRun ?? false,
    telegram: { botToken: '123456:fleet-test-token', chatId: '-100777', apiBase: o.apiBase ?? telegram.apiBase },
  });
  const paths = statePaths(config);
  // bd is the stand-in; nothing else is run (a receiver's actions are alert and create_bead).
  const host = createLinuxHost({
    hostname: () => 'fleet-hub',
    exec: (file, args, options) => execFile(file === 'bd' ? BD_STANDIN : file, args, options),
  });
  const statePath = fleetGroupsPath(stateDir);
  let failures = o.composeFailures ?? 0;
  const receiver = createAlertmanagerReceiver({
    statePath,
    readOnly: o.readOnly ?? false,
    ports: async () => {
      if (failures-- > 0) throw new Error('composition failed (test)');
      return composeReceiverPorts(config, paths, { log: silentLog(), host, beadsDir: bd.beadsDir });
    },
    now: () => new Date(),
    log: silentLog(),
  });
  const app = createServeApp({
    host: o.host ?? '127.0.0.1',
    port: 0,
    token: o.token ?? null,
    paths,
    intervalSec: 300,
    makeMcpServer: null,
    log: silentLog(),
    alertmanager: receiver,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/alertmanager`;
  return {
    url,
    port,
    telegram,
    bd,
    receiver,
    statePath,
    stateDir,
    outboxPath: paths.outbox,
    records: () =>
      existsSync(paths.registry)
        ? readFileSync(paths.registry, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as ProblemRecord)
        : [],
    async post(body, headers = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await receiver.idle();
      await telegram.close();
      bd.cleanup();
      tmp.cleanup();
    },
  };
}

export interface FakeAlert {
  host: string;
  identity: string;
  severity?: string;
  summary?: string;
  status?: 'firing' | 'resolved';
}

/** Alertmanager's fingerprint stands in as a hash of the labels (the receiver only compares them). */
const fingerprint = (labels: Record<string, string>): string =>
  createHash('sha256')
    .update(JSON.stringify(Object.entries(labels).sort()))
    .digest('hex')
    .slice(0, 16);

/** A version-4 webhook as Alertmanager sends it for a group `group_by: [alertname, identity]`. */
export function webhook(
  alerts: FakeAlert[],
  o: { status?: 'firing' | 'resolved'; identity?: string; externalURL?: string } = {},
): Record<string, unknown> {
  const identity = o.identity ?? alerts[0]?.identity ?? 'disk:/';
  const groupLabels = { alertname: 'ArgusIncident', identity };
  const status = o.status ?? (alerts.some((a) => (a.status ?? 'firing') === 'firing') ? 'firing' : 'resolved');
  return {
    version: '4',
    groupKey: `{}/{alertname=~"^(?:Argus.*)$"}:{alertname="ArgusIncident", identity="${identity}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'argus-fleet',
    groupLabels,
    commonLabels: groupLabels,
    commonAnnotations: {},
    externalURL: o.externalURL ?? 'http://am.example:9093',
    alerts: alerts.map((a) => {
      const labels = {
        alertname: 'ArgusIncident',
        host: a.host,
        identity: a.identity,
        severity: a.severity ?? 'critical',
      };
      return {
        status: a.status ?? 'firing',
        labels,
        annotations: { summary: a.summary ?? `${a.identity} on ${a.host}` },
        startsAt: '2020-01-01T08:00:00Z',
        endsAt: a.status === 'resolved' ? '2020-01-01T08:10:00Z' : '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: fingerprint(labels),
      };
    }),
  };
}

/** Poll until `check` holds (or fail with what it last saw). */
export async function until<T>(what: string, probe: () => T, check: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
