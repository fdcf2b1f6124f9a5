// A Solicitor on a temp state dir, talking to the fake Bot API on loopback: the real runtime (gate, registry, lock),
// the real listener loop, real child processes to act on.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { statePaths } from '../../src/config/load.js';
import { ConfigSchema, type Config } from '../../src/config/schema.js';
import { silentLog } from '../../src/log.js';
import type { ProblemRecord } from '../../src/model/record.js';
import { createTelegramPacer } from '../../src/notify/pace.js';
import { createLinuxHost } from '../../src/host/linux.js';
import type { ExecResult } from '../../src/host/port.js';
import { execResult } from '../support/exec-result.js';
import { createRuntime } from '../../src/orchestrator/compose.js';
import type { Runtime } from '../../src/orchestrator/runtime.js';
import { ask, type AskRequest } from '../../src/solicitor/ask.js';
import { approvalStore, createSolicitor, solicitorContext } from '../../src/solicitor/compose.js';
import type { Listener } from '../../src/solicitor/listener.js';
import type { Approval } from '../../src/state/approvals.js';
import { readRecords } from '../support/records.js';
import { startLoopbackTelegram, type LoopbackTelegram, type TelegramUser } from '../support/telegram-server.js';
import { makeTmp } from '../support/tmp.js';
import { FIXTURES, procInfoOf } from '../agents/executor/helpers.js';

export const CHAT = '-100777';
export const ANN: TelegramUser = { id: 501, first_name: 'Ann' };
export const EVE: TelegramUser = { id: 666, first_name: 'Eve' };

/** A unit as a stand-in systemctl reports it (this machine has no systemd to restart units with). */
export interface FakeUnit {
  ActiveState: string;
  SubState: string;
  Result: string;
}

export interface Bench {
  dir: string;
  /** Units the stand-in `systemctl` knows (show / restart / reset-failed); every call is in `systemctl`. */
  units: Map<string, FakeUnit>;
  systemctl: string[][];
  tg: LoopbackTelegram;
  config: Config;
  rt: Runtime;
  listener: Listener;
  /** Start (or restart, as a new process would) the listener loop. */
  start(): void;
  /** Stop the loop and wait for it to end. */
  stop(): Promise<void>;
  records(): ProblemRecord[];
  ask(request: AskRequest): Promise<Approval>;
  /** A real `node` process to act on, and its facts as a cycle's snapshot would have them. */
  victim(): Promise<{ child: ChildProcess; pid: number; facts: Record<string, unknown> }>;
  cleanup(): Promise<void>;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function bench(over: Record<string, unknown> = {}): Promise<Bench> {
  const tmp = makeTmp('argus-solicitor-');
  const tg = await startLoopbackTelegram();
  const config = ConfigSchema.parse({
    stateDir: join(tmp.dir, 'state'),
    hostname: 'testhost',
    services: ['argus-test-unlisted.service'],
    telegram: { botToken: '123:TEST', chatId: CHAT, apiBase: tg.apiBase, approvers: [String(ANN.id)] },
    ...over,
  });
  const paths = statePaths(config);
  const units = new Map<string, FakeUnit>();
  const systemctl: string[][] = [];
  const real = createLinuxHost();
  const fakeSystemctl = (args: string[]): ExecResult => {
    systemctl.push(args);
    const unit = units.get(args.at(-1) ?? '');
    if (!unit)
      return execResult({ stdout: 'LoadState=not-found\nActiveState=inactive\nSubState=dead\nResult=success\n' });
    if (args[0] === 'restart') Object.assign(unit, { ActiveState: 'active', SubState: 'running', Result: 'success' });
    if (args[0] !== 'show') return execResult();
    const props = {
      LoadState: 'loaded',
      ...unit,
      UnitFileState: 'enabled',
      Type: 'simple',
      MainPID: '4321',
      InvocationID: 'inv-1',
    };
    return execResult({
      stdout:
        Object.entries(props)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n') + '\n',
    });
  };
  const host = createLinuxHost({
    exec: async (cmd, args, options) =>
      cmd === 'systemctl' ? fakeSystemctl([...args]) : real.exec(cmd, args, options),
  });
  const rt = await createRuntime(config, paths, { log: silentLog(), host });
  const children: ChildProcess[] = [];
  const b: Bench = {
    dir: tmp.dir,
    units,
    systemctl,
    tg,
    config,
    rt,
    listener: null as unknown as Listener,
    start() {
      b.listener = createSolicitor(rt, {
        pollTimeoutSec: 2,
        lockWaitMs: 3000,
        backoffMinMs: 50,
        backoffMaxMs: 400,
        pacer: createTelegramPacer({ chatIntervalMs: 1 }),
      });
      const controller = new AbortController();
      const done = b.listener.run(controller.signal);
      running = { controller, done };
    },
    async stop() {
      if (!running) return;
      running.controller.abort();
      await running.done;
      running = null;
    },
    records: () => readRecords(paths.registry),
    async ask(request) {
      const r = await ask(
        {
          store: approvalStore(rt),
          registry: rt.registry,
          ctx: solicitorContext(rt),
          now: () => new Date(),
          host: 'testhost',
          wake: () => b.listener?.wake(),
        },
        request,
      );
      if (r.status !== 'asked') throw new Error(`not asked: ${JSON.stringify(r)}`);
      return r.approval;
    },
    async victim() {
      const child = spawn(process.execPath, [join(FIXTURES, 'sleep.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      return { child, pid: child.pid!, facts: { process: procInfoOf(child.pid!) } };
    },
    async cleanup() {
      await b.stop();
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await tg.close();
      tmp.cleanup();
    },
  };
  let running: { controller: AbortController; done: Promise<void> } | null = null;
  return b;
}

/** An ask for killing a real process (a memory hog the playbook may not kill alone). */
export function killRequest(pid: number, facts: Record<string, unknown>): AskRequest {
  return {
    action: 'kill_pid',
    input: { pid, reason: `memory hog: node (PID ${pid})` },
    facts,
    summary: `node (PID ${pid}) holds 93 % of memory; automatic kills of memory hogs are off.`,
    identity: 'memory:host',
    incidentId: 'memory:host#20260301T100000Z',
    requestedBy: 'rule',
  };
}

/** The request message the listener sent for an approval. */
export function requestMessage(tg: LoopbackTelegram, approval: Approval) {
  return [...tg.messages.values()].find((m) => m.buttons.some((b) => b.callback_data.includes(approval.id)));
}
