import { describe, expect, it } from 'vitest';
import { MESSAGE_LIMIT } from '../../src/notify/format.js';
import type { AlertMessage } from '../../src/notify/notifier.js';
import { OUTBOX_LIMIT } from '../../src/notify/outbox.js';
import { MAX_MESSAGES, planMessages, sinceFor } from '../../src/notify/plan.js';
import { htmlProblems } from './html-check.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const alert = (
  i: number,
  text: string,
  severity: AlertMessage['severity'] = 'warning',
  ts = NOW.toISOString(),
): AlertMessage => ({
  id: `a${i}`,
  ts,
  severity,
  text,
  identity: `service:unit-${String(i).padStart(3, '0')}.service`,
});
const many = (n: number, width: number, severity: (i: number) => AlertMessage['severity'] = () => 'warning') =>
  Array.from({ length: n }, (_, i) =>
    alert(i, `unit-${String(i).padStart(3, '0')} failed ${'x'.repeat(width)}`, severity(i)),
  );

/** Every id completed exactly once over the chunks, and each chunk valid and under the limit. */
function checkComplete(chunks: ReturnType<typeof planMessages>, alerts: readonly AlertMessage[]): void {
  expect(chunks.flatMap((c) => c.completes).sort()).toEqual(alerts.map((a) => a.id).sort());
  for (const c of chunks) {
    expect(c.html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(htmlProblems(c.html)).toEqual([]);
  }
}

describe('planMessages: a delivery is at most two messages per chat', () => {
  it.each([
    ['one short alert', 1, false, many(1, 20)],
    ['30 short alerts (fit in one message)', 1, false, many(30, 20)],
    ['50 alerts that need two messages', 2, false, many(50, 60)],
    ['30 alerts of 400 characters', 2, true, many(30, 400)],
    ['300 alerts', 2, true, many(300, 100)],
    ['the full outbox of capped alerts (500 × 6,000 characters)', 2, true, many(OUTBOX_LIMIT, 6000)],
  ])('%s → %i message(s), summary: %s', (_name, messages, summary, alerts) => {
    const chunks = planMessages('web-1', alerts, NOW);
    expect(chunks).toHaveLength(messages);
    checkComplete(chunks, alerts);
    expect(chunks.at(-1)!.plain.includes(' more alert')).toBe(summary);
    expect(chunks[0]!.plain.split('\n')[0]).toBe(
      `[web-1] Argus: ${alerts.length} ${alerts.length === 1 ? 'alert' : 'alerts'}`,
    );
  });

  it('shows the most severe in full first, keeps delivery order, summarizes the rest by severity with the command', () => {
    const alerts = many(40, 400, (i) => (i === 39 ? 'critical' : i % 10 === 0 ? 'info' : 'warning'));
    const chunks = planMessages('web-1', alerts, NOW);
    expect(chunks).toHaveLength(MAX_MESSAGES);
    const text = chunks.map((c) => c.plain).join('\n');
    expect(text).toContain('unit-039 failed'); // the last one, but critical
    const shown = alerts.filter((a) => text.includes(`unit-${a.id.slice(1).padStart(3, '0')} failed`));
    const positions = shown.map((a) => text.indexOf(`unit-${a.id.slice(1).padStart(3, '0')} failed`));
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    const summary = text.split('\n').at(-1)!;
    const rest = alerts.length - shown.length;
    expect(summary).toMatch(
      new RegExp(`^\\+${rest} more alerts \\(\\d+ warning, 4 info\\): service:unit-\\d{3}\\.service, `),
    );
    expect(summary.endsWith(' — argus problems --since 10m')).toBe(true);
    for (const a of alerts) if (!shown.includes(a)) expect(summary).toContain(a.identity);
  });

  it('one alert on the direct path is always one message', () => {
    const [chunk, ...none] = planMessages('web-1', [alert(1, 'z'.repeat(20_000), 'critical')], NOW, { maxMessages: 1 });
    expect(none).toEqual([]);
    expect(chunk!.completes).toEqual(['a1']);
    expect(chunk!.plain).toMatch(/argus problems --identity service:unit-001\.service$/);
  });

  it('a 500-alert backlog plans quickly', () => {
    const alerts = many(OUTBOX_LIMIT, 3000);
    const started = performance.now();
    planMessages('web-1', alerts, NOW);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each([
    [0, '10m'],
    [9 * 60_000, '10m'],
    [45 * 60_000, '46m'],
    [3 * 3_600_000, '4h'], // rounded up
    [3 * 86_400_000, '4d'], // rounded up: the command must reach the oldest
    [Number.NaN, '10m'],
  ])('--since reaching back %d ms is %s', (ago, since) => expect(sinceFor(NOW.getTime() - ago, NOW)).toBe(since));
});
