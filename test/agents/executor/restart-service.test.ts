// restart_service on a real systemd (a Debian container booted with systemd-nspawn): kill, admin stop, failure, backoff, start limit.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGate } from '../../../src/agents/executor/gate.js';
import { createRestartService } from '../../../src/agents/executor/actions/restart-service.js';
import type { ActionResult } from '../../../src/model/action.js';
import { bootContainer, systemdAvailable, type Container } from '../../support/systemd-container.js';
import { sandbox, type Sandbox } from './helpers.js';

const UNITS: Record<string, string> = {
  'demo.service':
    '[Unit]\nDescription=Argus test: a long-running service\n[Service]\nExecStart=/bin/sleep infinity\nRestart=no\n',
  'flaky.service':
    '[Unit]\nDescription=Argus test: a service that always fails\n[Service]\nExecStart=/bin/false\nRestart=no\n',
  // Loops (exit 0, Restart=always) until /run/argus-ok exists: systemd stops it with Result=start-limit-hit.
  'clean-loop.service': loopUnit('exit 0', 'always'),
  // Crash-loops until /run/argus-ok exists: the start limit is hit, but systemd 252 keeps Result=exit-code (the misleading case).
  'crash-loop.service': loopUnit('exit 1', 'on-failure'),
};

function loopUnit(exit: string, restart: string): string {
  return [
    '[Unit]',
    'StartLimitBurst=3',
    'StartLimitIntervalSec=1h',
    '[Service]',
    `ExecStart=/bin/sh -c "test -e /run/argus-ok && exec sleep infinity; ${exit}"`,
    `Restart=${restart}`,
    'RestartSec=50ms',
    '',
  ].join('\n');
}

describe.skipIf(!systemdAvailable())('restart_service on a real systemd', () => {
  let c: Container;
  let sb: Sandbox | null = null;
  let clock = new Date('2026-01-01T00:00:00Z');
  let cycle = 0;

  const sh = async (file: string, ...args: string[]) => {
    const r = await c.exec(file, args);
    if (r.failed) throw new Error(`${file} ${args.join(' ')}: ${r.stderr || r.exitCode}`);
    return r.stdout;
  };
  const prop = async (unit: string, name: string) =>
    (await sh('systemctl', 'show', `--property=${name}`, '--value', unit)).trim();
  /** Wait (bounded by the test timeout, not by a timed assertion) until the unit reaches a state. */
  const until = async (unit: string, state: string) => {
    while ((await prop(unit, 'ActiveState')) !== state) await new Promise((r) => setTimeout(r, 50));
  };

  function setup() {
    sb = sandbox({
      config: { restartAllowlist: ['demo', 'flaky', 'clean-loop.service', 'crash-loop'] },
      host: { exec: c.exec, now: () => clock },
    });
    const gate = createGate([createRestartService({ verifyTimeoutMs: 15_000 })], {
      registry: sb.registry,
      now: () => clock,
      host: 'argus-test',
    });
    const s = sb;
    return (service: string): Promise<ActionResult> => {
      s.ctx.cycleId = `cycle-${++cycle}`;
      return gate.run({ action: 'restart_service', input: { service, reason: 'test' }, source: 'rule' }, s.ctx);
    };
  }

  beforeAll(async () => {
    c = await bootContainer({ name: 'argus-restart' });
    for (const [name, text] of Object.entries(UNITS)) await c.writeFile(`/etc/systemd/system/${name}`, text);
    await sh('systemctl', 'daemon-reload');
  });
  afterAll(async () => {
    await c?.stop();
  });
  afterEach(() => {
    sb?.cleanup();
    sb = null;
  });

  it('restarts a unit killed with SIGKILL and verifies it is running', async () => {
    const run = setup();
    await sh('systemctl', 'start', 'demo');
    const pidBefore = await prop('demo', 'MainPID');
    await sh('systemctl', 'kill', '-s', 'SIGKILL', 'demo');
    await until('demo', 'failed');
    expect(await prop('demo', 'Result')).toBe('signal');

    const r = await run('demo');
    expect(r.reason).toContain('verified active');
    expect(r.result).toBe('success');
    expect(r.details).toMatchObject({
      attempt: 1,
      escalate: false,
      resetFailed: true,
      before: { ActiveState: 'failed' },
    });
    expect(await prop('demo', 'ActiveState')).toBe('active');
    expect(await prop('demo', 'SubState')).toBe('running');
    expect(await prop('demo', 'MainPID')).not.toBe(pidBefore);
    expect(sb!.records().map((x) => [x.action_taken, x.action_result])).toEqual([
      ['restart_service:demo.service', 'success'],
    ]);
  });

  it('leaves an admin-stopped unit alone', async () => {
    const run = setup();
    await sh('systemctl', 'start', 'demo');
    await sh('systemctl', 'stop', 'demo');
    const r = await run('demo.service');
    expect(r.result).toBe('refused');
    expect(r.reason).toContain('stopped by an administrator; Argus leaves it alone');
    expect(await prop('demo', 'ActiveState')).toBe('inactive');
  });

  it('refuses units off the allowlist or unknown to systemd, and skips an active one', async () => {
    const run = setup();
    expect((await run('systemd-journald')).reason).toContain('not on the restart allowlist');
    await sh('systemctl', 'start', 'demo');
    const r = await run('demo');
    expect(r.result).toBe('skipped');
    expect(r.reason).toContain('already active');
    sb!.ctx.config.restartAllowlist.push('ghost');
    expect((await run('ghost')).reason).toContain('does not exist');
  });

  it('reports a unit that does not come up as a failure', async () => {
    const run = setup();
    await c.exec('systemctl', ['start', 'flaky']);
    await until('flaky', 'failed');
    const r = await run('flaky');
    expect(r.result).toBe('failure');
    expect(r.reason).toContain('flaky.service');
    expect(r.details).toMatchObject({
      attempt: 1,
      escalate: false,
      after: { ActiveState: 'failed', Result: 'exit-code' },
    });
  });

  it('backs off on a real failing unit: 1 min, 5 min, then a 1 h hold with escalation, then tries again', async () => {
    const run = setup();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const at = (sec: number) => (clock = new Date(t0 + sec * 1000));
    const invocation = () => prop('flaky', 'InvocationID');

    at(0);
    expect(await run('flaky')).toMatchObject({ result: 'failure', details: { attempt: 1 } });
    const first = await invocation();

    at(30);
    const early = await run('flaky');
    expect(early.result).toBe('skipped');
    expect(early.reason).toContain('backoff');
    expect(await invocation()).toBe(first);

    at(61);
    expect(await run('flaky')).toMatchObject({ result: 'failure', details: { attempt: 2, escalate: false } });
    at(61 + 4 * 60);
    expect((await run('flaky')).result).toBe('skipped');
    at(61 + 5 * 60);
    const third = await run('flaky');
    expect(third).toMatchObject({ result: 'failure', details: { attempt: 3, escalate: true } });

    const holdEnd = new Date(t0 + (61 + 5 * 60 + 3600) * 1000).toISOString();
    at(61 + 35 * 60);
    const held = await run('flaky');
    expect(held.result).toBe('skipped');
    expect(held.reason).toContain(`next attempt allowed at ${holdEnd}`);

    at(61 + 5 * 60 + 3600);
    expect(await run('flaky')).toMatchObject({ result: 'failure', details: { attempt: 1, escalate: false } });
    expect(sb!.records().map((x) => x.action_result)).toEqual([
      'failure',
      'skipped',
      'failure',
      'skipped',
      'failure',
      'skipped',
      'failure',
    ]);
  });

  it.each([
    ['clean-loop', 'start-limit-hit'],
    ['crash-loop', 'exit-code'],
  ])('resets %s at its start limit (Result=%s), then starts it', async (unit, result) => {
    const run = setup();
    await c.exec('rm', ['-f', '/run/argus-ok']);
    await c.exec('systemctl', ['start', unit]);
    await until(unit, 'failed');
    expect(await prop(unit, 'Result')).toBe(result);
    await sh('touch', '/run/argus-ok');
    const plain = await c.exec('systemctl', ['restart', unit]);
    expect(plain.failed).toBe(true);

    const r = await run(unit);
    expect(r.result).toBe('success');
    expect(r.details).toMatchObject({ resetFailed: true, before: { ActiveState: 'failed', Result: result } });
    expect(await prop(unit, 'ActiveState')).toBe('active');
    expect(await prop(unit, 'SubState')).toBe('running');
  });
});
