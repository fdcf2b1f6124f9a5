// The Solicitor's policy, as a table an operator can read: what may be put to a person, as which kind, and what an
// approval lifts. Hard limits never become approvable: the gate's own guards are run with the rule lifted.
import { describe, expect, it } from 'vitest';
import { ConfigSchema, type Config } from '../../src/config/schema.js';
import { approvalPolicy, liftedConfig, liftsOf } from '../../src/solicitor/policy.js';
import { preflight } from '../../src/solicitor/preflight.js';
import { procInfoOf, sandbox, spawnNode } from '../agents/executor/helpers.js';

const telegram = { botToken: '1:x', chatId: '42', approvers: ['7'] };
const base = (over: Record<string, unknown> = {}): Config =>
  ConfigSchema.parse({ services: ['nginx', 'db.service', 'web'], restartAllowlist: ['web'], telegram, ...over });

describe('approvalPolicy', () => {
  it.each([
    ['a watched unit off the allowlist', 'restart_service', { service: 'nginx', reason: 'r' }, {}, 'restart_unlisted'],
    ['the same with .service', 'restart_service', { service: 'db.service', reason: 'r' }, {}, 'restart_unlisted'],
    [
      'an allowlisted unit whose backoff is exhausted',
      'restart_service',
      { service: 'web', reason: 'r' },
      { backoffExhausted: true },
      'retry_restart',
    ],
    ['a memory hog', 'kill_pid', { pid: 4100, reason: 'r' }, {}, 'kill_process'],
    ['a runaway tmux session', 'kill_tmux', { session: 'agent-1', reason: 'r' }, {}, 'kill_tmux'],
    ['clean_disk now', 'clean_disk', { reason: 'r' }, {}, 'clean_disk'],
  ])('%s is approvable as %s', (_what, action, input, situation, kind) => {
    const v = approvalPolicy(action, input, base(), situation);
    expect(v).toMatchObject({ approvable: true, kind });
  });

  it.each([
    ['a unit that is not watched', 'restart_service', { service: 'sshd', reason: 'r' }, {}, /not a watched unit/],
    [
      'a look-alike of a watched unit',
      'restart_service',
      { service: 'nginx.service.evil', reason: 'r' },
      {},
      /not a watched unit/,
    ],
    ['a path as a unit', 'restart_service', { service: '../nginx', reason: 'r' }, {}, /not a valid service unit/],
    ['another unit type', 'restart_service', { service: 'nginx.socket', reason: 'r' }, {}, /not a valid service unit/],
    [
      'an allowlisted unit with attempts left',
      'restart_service',
      { service: 'web', reason: 'r' },
      {},
      /without asking/,
    ],
    [
      'a restart for a failing probe',
      'restart_service',
      { service: 'nginx', reason: 'r', failing_probe: 'p' },
      {},
      /probe/,
    ],
    ['an alert', 'alert', { message: 'x' }, {}, /never put to a person/],
    ['create_bead', 'create_bead', { title: 't', description: 'd' }, {}, /never put to a person/],
    ['an unknown action', 'rm_rf', {}, {}, /never put to a person/],
  ])('%s is never approvable', (_what, action, input, situation, reason) => {
    const v = approvalPolicy(action, input as Record<string, unknown>, base(), situation);
    expect(v.approvable).toBe(false);
    expect(!v.approvable && v.reason).toMatch(reason);
  });

  it.each([
    ['no approvers', { telegram: { ...telegram, approvers: [] } }],
    ['no Telegram', { telegram: {} }],
    ['the kind switched off', { approval: { actions: ['clean_disk'] } }],
  ])('nothing is approvable with %s', (_what, over) => {
    expect(approvalPolicy('kill_pid', { pid: 4100, reason: 'r' }, base(over)).approvable).toBe(false);
  });

  it('reads approvers given as numbers or digit strings, and refuses anything else', () => {
    expect(ConfigSchema.parse({ telegram: { ...telegram, approvers: [123, '456'] } }).telegram.approvers).toEqual([
      '123',
      '456',
    ]);
    expect(ConfigSchema.safeParse({ telegram: { ...telegram, approvers: ['@bob'] } }).success).toBe(false);
    expect(ConfigSchema.safeParse({ approval: { actions: ['reboot'] } }).success).toBe(false);
    expect(ConfigSchema.parse({}).approval).toEqual({
      actions: ['restart_unlisted', 'retry_restart', 'kill_process', 'kill_tmux', 'clean_disk'],
      ttlMinutes: 30,
    });
  });

  it('lifts one rule for one request: the named unit joins the allowlist, nothing else does', () => {
    const lifted = liftedConfig(base(), liftsOf('restart_unlisted', { service: 'nginx' }));
    expect(lifted.restartAllowlist).toEqual(['web', 'nginx.service']);
    expect(base().restartAllowlist).toEqual(['web']);
    expect(liftsOf('retry_restart', { service: 'web' })).toEqual({ allowUnit: null, liftBackoff: true });
    expect(liftsOf('kill_process', { pid: 1 })).toEqual({ allowUnit: null, liftBackoff: false });
  });
});

describe('preflight: the gate’s hard limits hold under an approval', () => {
  const none = { allowUnit: null, liftBackoff: false };

  it.each([
    ['PID 1', 1, /PID 1/],
    ['a PID that does not exist', 4_000_000, /no process/],
    ['a negative PID', -5, /positive integer/],
  ])('kill_pid of %s is refused before anyone is asked', async (_what, pid, reason) => {
    const sb = sandbox();
    try {
      expect(await preflight('kill_pid', { pid, reason: 'r' }, {}, none, sb.ctx)).toMatch(reason);
    } finally {
      sb.cleanup();
    }
  });

  it('refuses Argus itself and its parent, and a command off the kill list', async () => {
    const sb = sandbox({ config: { killPatterns: ['codex'] } });
    try {
      expect(await preflight('kill_pid', { pid: process.pid, reason: 'r' }, {}, none, sb.ctx)).toMatch(/Argus itself/);
      expect(await preflight('kill_pid', { pid: process.ppid, reason: 'r' }, {}, none, sb.ctx)).toMatch(
        /ancestor of Argus/,
      );
      const { child } = await spawnNode(sb, 'sleep.mjs');
      const facts = { process: procInfoOf(child.pid!) };
      expect(await preflight('kill_pid', { pid: child.pid!, reason: 'r' }, facts, none, sb.ctx)).toMatch(
        /not on the kill list/,
      );
    } finally {
      sb.cleanup();
    }
  });

  it('accepts a live allowlisted process when its facts carry its start time, and refuses a reused PID', async () => {
    const sb = sandbox();
    try {
      const { child } = await spawnNode(sb, 'sleep.mjs');
      const info = procInfoOf(child.pid!);
      expect(await preflight('kill_pid', { pid: child.pid!, reason: 'r' }, { process: info }, none, sb.ctx)).toBeNull();
      expect(
        await preflight(
          'kill_pid',
          { pid: child.pid!, reason: 'r' },
          { process: { ...info, startTicks: info.startTicks - 1 } },
          none,
          sb.ctx,
        ),
      ).toMatch(/PID reused/);
    } finally {
      sb.cleanup();
    }
  });

  it('refuses a tmux session name the gate refuses', async () => {
    const sb = sandbox();
    try {
      expect(await preflight('kill_tmux', { session: 'a;rm -rf /', reason: 'r' }, {}, none, sb.ctx)).toMatch(
        /not allowed/,
      );
    } finally {
      sb.cleanup();
    }
  });
});
