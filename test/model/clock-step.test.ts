import { describe, expect, it } from 'vitest';
import { shiftRouterState } from '../../src/agents/router/route.js';
import { backwardStepMs, shiftIso } from '../../src/model/clock-step.js';

describe('a wall clock set back between cycles', () => {
  const now = new Date('2026-03-02T10:00:00Z');
  it.each([
    ['no previous cycle', null, 0],
    ['the previous cycle 5 min ago (normal)', '2026-03-02T09:55:00Z', 0],
    ['the previous cycle 6 h ago (a suspend: time passed)', '2026-03-02T04:00:00Z', 0],
    [
      'the previous cycle "3 h in the future": moved back 3 h + one interval',
      '2026-03-02T13:00:00Z',
      3 * 3_600_000 + 300_000,
    ],
    ['an unreadable time', 'yesterday', 0],
  ] as const)('%s', (_n, prev, ms) => {
    expect(backwardStepMs(prev, now, 300)).toBe(ms);
  });

  it('stored times move back by the step, keeping the elapsed time the router measured', () => {
    const inc = {
      incidentId: 'x#1',
      identity: 'memory:host',
      type: 'memory',
      openedAt: '2026-03-02T12:50:00.000Z',
      severity: 'warning' as const,
      lastNotifiedAt: '2026-03-02T12:50:00.000Z',
      lastNotifiedDescription: null,
      reminders: 0,
      notices: [],
      notified: true,
      healthyStreak: 0,
      lastFinding: {
        identity: 'memory:host',
        type: 'memory' as const,
        subject: 'host',
        severity: 'warning' as const,
        description: '',
        source: 'rule' as const,
        details: {},
      },
    };
    const out = shiftRouterState({ incidents: { 'memory:host': inc }, flaps: {} }, 3 * 3_600_000);
    expect(out.incidents['memory:host']).toMatchObject({
      openedAt: '2026-03-02T09:50:00.000Z',
      lastNotifiedAt: '2026-03-02T09:50:00.000Z',
    });
    expect(shiftIso('not a time', 1000)).toBe('not a time');
  });
});
