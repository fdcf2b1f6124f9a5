// When the fleet receiver tells someone (a pure function, read as a table), what it remembers (bounded), and the
// words it uses (receiver-text.ts).
import { describe, expect, it } from 'vitest';
import { pruneGroups, type GroupRecord } from '../../src/fleet/group-state.js';
import { groupIdentity, notificationFacts, planNotification } from '../../src/fleet/receiver-policy.js';
import { alertmanagerLink, groupMessage, LISTED_ALERTS } from '../../src/fleet/receiver-text.js';
import { WebhookSchema } from '../../src/fleet/webhook-schema.js';

const NOW = new Date('2026-12-03T09:00:00Z');
const KEY = '{}:{identity="disk:/"}';
type A = { fp: string; status: 'firing' | 'resolved' };
const facts = (status: 'firing' | 'resolved', alerts: A[]) =>
  notificationFacts({ groupKey: KEY, status, alerts: alerts.map((a) => ({ ...a, fingerprint: a.fp })) as never });
const f = (fp: string): A => ({ fp, status: 'firing' });
const r = (fp: string): A => ({ fp, status: 'resolved' });

const remembered = (status: 'firing' | 'resolved', alerts: A[]): GroupRecord => {
  const n = facts(status, alerts);
  const identity = groupIdentity(KEY);
  return {
    groupKey: KEY,
    identity,
    incidentId: `${identity}#2026-12-03T08:00:00.000Z`,
    status,
    firing: n.firing,
    lastKey: n.key,
    openedAt: '2026-12-03T08:00:00.000Z',
    updatedAt: '2026-12-03T08:30:00.000Z',
    resolvedAt: status === 'resolved' ? '2026-12-03T08:30:00.000Z' : null,
  };
};

describe('planNotification', () => {
  it.each<[string, GroupRecord | undefined, 'firing' | 'resolved', A[], string, boolean, string | null]>([
    // what it remembers             | this notification               | verdict    | message | bead
    ['nothing', undefined, 'firing', [f('a'), f('b')], 'act', true, 'open'],
    [
      'the same notification (a retry)',
      remembered('firing', [f('a'), f('b')]),
      'firing',
      [f('b'), f('a')],
      'duplicate',
      false,
      null,
    ],
    ['firing a; now a and b', remembered('firing', [f('a')]), 'firing', [f('a'), f('b')], 'act', true, 'comment'],
    [
      'firing a, b; now b resolved',
      remembered('firing', [f('a'), f('b')]),
      'firing',
      [f('a'), r('b')],
      'act',
      true,
      'comment',
    ],
    [
      'firing a, b resolved; b dropped',
      remembered('firing', [f('a'), r('b')]),
      'firing',
      [f('a')],
      'quiet',
      false,
      null,
    ],
    ['firing; now resolved', remembered('firing', [f('a')]), 'resolved', [r('a')], 'act', true, 'close'],
    ['resolved (a retry)', remembered('resolved', [r('a')]), 'resolved', [r('a')], 'duplicate', false, null],
    ['resolved; firing again', remembered('resolved', [r('a')]), 'firing', [f('a')], 'act', true, 'open'],
    ['nothing (forgotten); resolved', undefined, 'resolved', [r('a')], 'act', true, 'close'],
    [
      'resolved; resolved with other alerts',
      remembered('resolved', [r('a')]),
      'resolved',
      [r('a'), r('b')],
      'quiet',
      false,
      null,
    ],
  ])('remembering %s → %s', (_name, prev, status, alerts, verdict, message, bead) => {
    const plan = planNotification(prev, facts(status, alerts), NOW);
    expect({ verdict: plan.verdict, message: plan.message, bead: plan.bead }).toEqual({ verdict, message, bead });
    if (verdict !== 'duplicate')
      expect(plan.group).toMatchObject({ status, lastKey: facts(status, alerts).key, updatedAt: NOW.toISOString() });
  });

  it('a new incident gets its own id; a change keeps it', () => {
    const opened = planNotification(remembered('resolved', [r('a')]), facts('firing', [f('a')]), NOW).group;
    expect(opened.incidentId).toBe(`${groupIdentity(KEY)}#${NOW.toISOString()}`);
    expect(opened.openedAt).toBe(NOW.toISOString());
    const changed = planNotification(remembered('firing', [f('a')]), facts('firing', [f('a'), f('b')]), NOW).group;
    expect(changed.incidentId).toBe(`${groupIdentity(KEY)}#2026-12-03T08:00:00.000Z`);
  });

  it('the notification key depends on the group, the status and each alert with its status, not on their order', () => {
    const base = facts('firing', [f('a'), f('b')]).key;
    expect(facts('firing', [f('b'), f('a')]).key).toBe(base);
    expect(facts('resolved', [f('a'), f('b')]).key).not.toBe(base);
    expect(facts('firing', [f('a'), r('b')]).key).not.toBe(base);
    expect(facts('firing', [f('a')]).key).not.toBe(base);
    expect(
      notificationFacts({
        groupKey: `${KEY}x`,
        status: 'firing',
        alerts: [f('a'), f('b')].map((a) => ({ ...a, fingerprint: a.fp })) as never,
      }).key,
    ).not.toBe(base);
  });
});

describe('pruneGroups', () => {
  const at = (i: number, status: 'firing' | 'resolved', iso: string): [string, GroupRecord] => [
    `g${i}`,
    { ...remembered(status, [f('a')]), updatedAt: iso, resolvedAt: status === 'resolved' ? iso : null },
  ];

  it('forgets resolved groups after a day, keeps firing ones', () => {
    const file = {
      groups: Object.fromEntries([
        at(1, 'resolved', '2026-12-02T08:00:00Z'),
        at(2, 'resolved', '2026-12-03T08:00:00Z'),
        at(3, 'firing', '2026-11-01T00:00:00Z'),
      ]),
    };
    expect(Object.keys(pruneGroups(file, NOW).groups)).toEqual(['g2', 'g3']);
  });

  it('past the cap, the least recently updated resolved groups go first, then the oldest firing', () => {
    const file = {
      groups: Object.fromEntries([
        at(1, 'firing', '2026-12-03T01:00:00Z'),
        at(2, 'resolved', '2026-12-03T08:00:00Z'),
        at(3, 'firing', '2026-12-03T02:00:00Z'),
        at(4, 'resolved', '2026-12-03T07:00:00Z'),
      ]),
    };
    expect(Object.keys(pruneGroups(file, NOW, 24 * 3600_000, 3).groups).sort()).toEqual(['g1', 'g2', 'g3']);
    expect(Object.keys(pruneGroups(file, NOW, 24 * 3600_000, 1).groups)).toEqual(['g3']);
  });
});

describe('receiver text', () => {
  const hook = (n: number, extra: Record<string, unknown> = {}) =>
    WebhookSchema.parse({
      version: '4',
      groupKey: KEY,
      status: 'firing',
      receiver: 'argus-fleet',
      groupLabels: { identity: 'disk:/' },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://am:9093/',
      alerts: Array.from({ length: n }, (_, i) => ({
        status: 'firing',
        labels: { host: `h${i}`, identity: 'disk:/', severity: 'warning' },
        annotations: {},
        startsAt: '',
        endsAt: '',
        fingerprint: `f${i}`,
      })),
      ...extra,
    });

  it('lists at most LISTED_ALERTS alerts and counts the rest, with what Alertmanager truncated', () => {
    const text = groupMessage(hook(LISTED_ALERTS + 5, { truncatedAlerts: 3 }), remembered('firing', [f('a')]), NOW);
    expect(text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(LISTED_ALERTS);
    expect(text).toContain('… and 8 more alerts (see Alertmanager)');
    expect(text.split('\n')[0]).toBe(
      `🟠 FIRING fleet: disk:/ — ${LISTED_ALERTS + 5} alerts on ${LISTED_ALERTS + 5} hosts (${Array.from(
        { length: LISTED_ALERTS + 5 },
        (_, i) => `h${i}`,
      )
        .sort()
        .slice(0, 10)
        .join(', ')} +${LISTED_ALERTS - 5} more)`,
    );
  });

  it.each([
    ['http://am:9093/', 'http://am:9093/#/alerts?filter=%7Bidentity%3D%22disk%3A%2F%22%7D'],
    ['https://am.example/prefix/', 'https://am.example/prefix/#/alerts?filter=%7Bidentity%3D%22disk%3A%2F%22%7D'],
    ['javascript:alert(1)', null],
    ['file:///etc/passwd', null],
    ['not a url', null],
  ])('the Alertmanager link of %s is %s', (externalURL, link) => {
    expect(alertmanagerLink({ externalURL, groupLabels: { identity: 'disk:/' } })).toBe(link);
  });
});
