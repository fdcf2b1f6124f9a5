// Where the listener runs: argus-solicitor.service, written by `argus install`, enabled when someone can answer it,
// disabled by uninstall, hardened like argus.service; `argus doctor` says whether anyone listens.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { planInstall, planUninstall } from '../../src/install/plan.js';
import { applyPlan } from '../../src/install/apply.js';
import { execResult } from '../support/exec-result.js';
import { solicitorCheck } from '../../src/solicitor/doctor.js';
import { COMMAND_HELP } from '../../src/cli/help.js';

const vars = { node: '/usr/bin/node', argusDir: '/opt/argus' };
const enables = (steps: ReturnType<typeof planInstall>) =>
  steps.filter((s) => s.kind === 'systemctl').map((s) => (s as { args: string[] }).args.join(' '));

describe('argus-solicitor.service', () => {
  it('is written with the other units and enabled only when asked to (Telegram and approvers configured)', () => {
    const root = mkdtempSync(join(tmpdir(), 'argus-root-'));
    try {
      const without = planInstall({ root, vars, mode: 'timer', start: false });
      expect(without).toContainEqual(
        expect.objectContaining({ kind: 'write', path: join(root, 'etc/systemd/system/argus-solicitor.service') }),
      );
      expect(enables(without).join('\n')).not.toContain('argus-solicitor.service');
      expect(enables(planInstall({ root, vars, mode: 'timer', start: false, solicitor: true })).join('\n')).toMatch(
        /enable .*argus-solicitor\.service/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('runs `argus solicit` with the cycle’s privileges and no more, and uninstall disables it', async () => {
    const unit = readFileSync(new URL('../../systemd/argus-solicitor.service', import.meta.url), 'utf8');
    expect(unit).toMatch(/^ExecStart=@NODE@ .*@ARGUS_DIR@\/dist\/cli\.js solicit$/m);
    const caps = (text: string) => /^CapabilityBoundingSet=(.*)$/m.exec(text)?.[1];
    expect(caps(unit)).toBe(caps(readFileSync(new URL('../../systemd/argus.service', import.meta.url), 'utf8')));
    expect(unit).toMatch(/^OnFailure=argus-failure@%n\.service$/m);
    const root = mkdtempSync(join(tmpdir(), 'argus-root-'));
    try {
      await applyPlan(planInstall({ root, vars, mode: 'timer', start: false, solicitor: true }), async () =>
        execResult(),
      );
      const un = planUninstall({ root });
      expect(enables(un)[0]).toMatch(/disable -- .*argus-solicitor\.service/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('is a command with its own help', () => {
    expect(COMMAND_HELP.solicit!.flags.map((f) => f.name)).toEqual(['dry-run', 'poll-timeout']);
  });
});

describe('doctor: is anyone listening?', () => {
  const tg = { botToken: '1:x', chatId: '42', approvers: ['7'] };
  const up = { installed: true, enabled: 'enabled', active: 'active' };
  it.each([
    ['configured and running', { telegram: tg }, up, 0, 'ok', /listening for 1 approver/],
    [
      'configured, not installed',
      { telegram: tg },
      { installed: false, enabled: '', active: '' },
      2,
      'warn',
      /run `argus install`.*2 approval request/,
    ],
    ['configured, disabled', { telegram: tg }, { ...up, enabled: 'disabled' }, 0, 'warn', /enable --now/],
    ['configured, crashed', { telegram: tg }, { ...up, active: 'failed' }, 0, 'warn', /enabled but failed/],
    ['approvers without Telegram', { telegram: { approvers: ['7'] } }, up, 0, 'warn', /Telegram is not configured/],
    ['enabled without approvers', { telegram: { ...tg, approvers: [] } }, up, 0, 'warn', /nothing to do/],
  ])('%s → %s', (_what, cfg, unit, pending, level, detail) => {
    const c = solicitorCheck(ConfigSchema.parse(cfg), unit, pending);
    expect(c?.level).toBe(level);
    expect(c?.detail).toMatch(detail);
  });

  it('says nothing when the Solicitor is neither configured nor installed', () => {
    expect(solicitorCheck(ConfigSchema.parse({}), { installed: false, enabled: '', active: '' }, 0)).toBeNull();
  });
});
