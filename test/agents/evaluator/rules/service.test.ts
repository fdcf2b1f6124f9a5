import { describe, expect, it } from 'vitest';
import { classifyService, normalizeUnit } from '../../../../src/agents/evaluator/rules/service.js';
import type { Service } from '../../../../src/model/snapshot.js';
import { service, snapshot } from '../../../support/snapshot.js';
import { runCycles } from '../helpers.js';

describe('service rule', () => {
  it.each<[string, Partial<Service>, string | null]>([
    ['active running is healthy', {}, null],
    [
      'admin-stopped (inactive, Result=success) is not down',
      { activeState: 'inactive', subState: 'dead', result: 'success' },
      null,
    ],
    ['failed is down, critical', { activeState: 'failed', subState: 'failed', result: 'exit-code' }, 'critical'],
    ['inactive after a signal is down', { activeState: 'inactive', subState: 'dead', result: 'signal' }, 'critical'],
    [
      'crash loop (activating auto-restart) is down',
      { activeState: 'activating', subState: 'auto-restart', result: 'exit-code', nRestarts: 7 },
      'critical',
    ],
    ['start-limit-hit is down', { activeState: 'failed', subState: 'failed', result: 'start-limit-hit' }, 'critical'],
    ['activating start (not auto-restart) is not down', { activeState: 'activating', subState: 'start' }, null],
    [
      'not-found is a warning (a configuration problem a person must hear of, once)',
      { loadState: 'not-found', activeState: 'inactive', subState: 'dead', result: 'success' },
      'warning',
    ],
    ['reloading is healthy', { activeState: 'reloading', subState: 'reload' }, null],
  ])('%s', (_name, over, severity) => {
    const { perCycle } = runCycles([snapshot({ services: [service('nginx.service', over)] })]);
    const got = perCycle[0]?.find((f) => f.identity === 'service:nginx.service');
    expect(got?.severity ?? null).toBe(severity);
  });

  it('fires on the first cycle, whatever confirmCycles says, and clears at once', () => {
    const down = snapshot({ services: [service('nginx.service', { activeState: 'failed', result: 'exit-code' })] });
    const up = snapshot();
    const { perCycle } = runCycles([down, up, down]);
    expect(perCycle.map((fs) => fs.filter((f) => f.type === 'service').length)).toEqual([1, 0, 1]);
  });

  it('normalises the unit name in the identity and carries the systemd fields', () => {
    const { perCycle } = runCycles([
      snapshot({ services: [service('nginx', { activeState: 'failed', result: 'exit-code', nRestarts: 3 })] }),
    ]);
    const f = perCycle[0]?.[0];
    expect(f?.identity).toBe('service:nginx.service');
    expect(f?.details).toMatchObject({ unit: 'nginx.service', condition: 'failed', result: 'exit-code', nRestarts: 3 });
    expect(f?.description).toContain('nginx.service failed');
  });

  it('not-found says "unit not found"', () => {
    const { perCycle } = runCycles([
      snapshot({ services: [service('nope.service', { loadState: 'not-found', activeState: 'inactive' })] }),
    ]);
    expect(perCycle[0]?.[0]?.description).toContain('unit not found');
  });

  it('a services gap yields no finding', () => {
    expect(runCycles([snapshot({ services: null })]).perCycle[0]).toEqual([]);
  });

  it.each([
    ['nginx', 'nginx.service'],
    ['nginx.service', 'nginx.service'],
    ['backup.timer', 'backup.timer'],
    ['getty@tty1', 'getty@tty1.service'],
    ['my.app', 'my.app.service'],
  ])('normalizeUnit(%s) = %s', (input, out) => {
    expect(normalizeUnit(input)).toBe(out);
  });

  it('classifyService names the condition', () => {
    expect(classifyService(service('a', { activeState: 'activating', subState: 'auto-restart' }))).toBe('crash-loop');
  });
});
