import { describe, expect, it } from 'vitest';
import {
  ALERT_TEXT_LIMIT,
  capAlertText,
  escapeHtml,
  MESSAGE_LIMIT,
  problemsCommand,
  renderAlerts,
  splitLines,
  stripControl,
} from '../../src/notify/format.js';
import { HOSTILE } from '../support/hostile-strings.js';
import type { AlertMessage } from '../../src/notify/notifier.js';
import { htmlProblems } from './html-check.js';

const NOW = new Date('2026-05-01T12:00:00Z');
const alert = (id: string, text: string, severity: AlertMessage['severity'] = 'warning'): AlertMessage => ({
  id,
  ts: NOW.toISOString(),
  severity,
  text,
  identity: null,
});

describe('format', () => {
  it('escapes <, > and & in host and model text, keeping only its own <b> tags', () => {
    const lines = renderAlerts('web<1>&', [alert('a', '<script>alert(1)</script> & <b>bold</b>')], NOW);
    const html = lines.map((l) => l.html).join('\n');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('<b>[web&lt;1&gt;&amp;]</b>');
    expect(htmlProblems(html)).toEqual([]);
    expect(html.match(/<b>/g)).toHaveLength(2); // header + severity label, nothing from the text
    const plain = lines.map((l) => l.plain).join('\n');
    expect(plain).toContain('<script>alert(1)</script> & <b>bold</b>');
  });

  it('strips control characters but keeps newlines and tabs', () => {
    expect(stripControl('a\u0000b\u001bc\n\td\u007f')).toBe('abc\n\td');
    expect(stripControl('\u001b[1;31mred\u001b[0m text')).toBe('red text');
  });

  it('says the severity once: an alert that opens with its own icon and word gets that word bold, not a second label', () => {
    const [, own] = renderAlerts('h', [alert('c', '🔴 CRITICAL Service api.service failed', 'critical')], NOW);
    expect(own?.html).toBe('🔴 <b>CRITICAL</b> Service api.service failed');
    const [, resolved] = renderAlerts('h', [alert('r', '✅ RESOLVED service:api.service after 10m', 'info')], NOW);
    expect(resolved?.plain).toBe('✅ RESOLVED service:api.service after 10m');
    const [, flap] = renderAlerts('h', [alert('f', '⚠️ FLAPPING service:x: changing state often', 'warning')], NOW);
    expect(flap?.html).toBe('⚠️ <b>FLAPPING</b> service:x: changing state often');
    const [, bare] = renderAlerts('h', [alert('b', 'disk nearly full', 'warning')], NOW);
    expect(bare?.html).toBe('🟠 <b>WARNING</b> disk nearly full');
    const [, late] = renderAlerts(
      'h',
      [{ ...alert('l', '🔴 CRITICAL Disk / at 97%', 'critical'), ts: '2026-05-01T08:00:00Z' }],
      NOW,
    );
    expect(late?.plain).toBe('🔴 CRITICAL (delayed, 2026-05-01 08:00Z) Disk / at 97%');
  });

  it('marks alerts from an earlier cycle as delayed', () => {
    const old = { ...alert('o', 'old one'), ts: '2026-05-01T08:00:00Z' };
    const [, line] = renderAlerts('h', [old], NOW);
    expect(line?.plain).toContain('delayed, 2026-05-01 08:00Z');
  });

  it('splits under the limit at line boundaries with every chunk balanced', () => {
    const alerts = Array.from({ length: 300 }, (_, i) =>
      alert(`a${i}`, `service ${i} <down> & out ${'x'.repeat(i % 40)}`, i % 2 ? 'critical' : 'info'),
    );
    const chunks = splitLines(renderAlerts('host', alerts, NOW));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(htmlProblems(chunk.html)).toEqual([]);
    }
    // Nothing lost, nothing repeated, in order.
    expect(chunks.flatMap((c) => c.completes)).toEqual(alerts.map((a) => a.id));
    expect(chunks.map((c) => c.html).join('\n')).toBe(
      renderAlerts('host', alerts, NOW)
        .map((l) => l.html)
        .join('\n'),
    );
  });

  it('hard-splits one over-long line into tag-free escaped pieces, never inside an entity', () => {
    // renderAlerts caps every alert, so only a line made elsewhere can be this long: splitLines still copes.
    const text = '<&>'.repeat(3000) + '😀'.repeat(2000);
    const chunks = splitLines([{ html: escapeHtml(text), plain: text, completes: ['long'] }]);
    expect(chunks.length).toBeGreaterThan(2);
    for (const piece of chunks) {
      expect(piece.html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(piece.html).not.toMatch(/<[a-z/]/);
      expect(htmlProblems(piece.html)).toEqual([]);
      expect(piece.html).toBe(escapeHtml(piece.plain));
      expect(piece.plain).not.toMatch(/[\ud800-\udbff]$/); // no split surrogate pair
    }
    expect(chunks.map((p) => p.plain).join('')).toBe(text);
    expect(chunks.at(-1)?.completes).toEqual(['long']);
    expect(chunks.slice(0, -1).flatMap((c) => c.completes)).toEqual([]);
  });
});

describe('one alert is capped (one rule for every path to Telegram)', () => {
  const lines = (n: number, width = 59) =>
    Array.from({ length: n }, (_, i) => `line ${String(i).padStart(4, '0')} ${'.'.repeat(width - 10)}`).join('\n');

  it.each([
    ['short text', 'disk / at 93%', 'disk:/', false],
    ['exactly the limit', 'x'.repeat(ALERT_TEXT_LIMIT), null, false],
    ['one over the limit', 'x'.repeat(ALERT_TEXT_LIMIT + 1), null, true],
    ['6,000 characters in 100 lines', lines(100), 'service:nginx.service', true],
    ['6,000 characters on one line', 'y'.repeat(6000), 'disk:/', true],
    ['emoji on one line (never a split surrogate pair)', '😀'.repeat(3000), null, true],
    ['& and < that escaping makes five and four times longer', '&<'.repeat(1000), 'process:a&b', true],
    ['a short first line, then one huge line', `head\n${'z'.repeat(5000)}`, 'memory:host', true],
  ])('%s', (_name, text, identity, cut) => {
    const capped = capAlertText(text, identity);
    expect(escapeHtml(capped).length).toBeLessThanOrEqual(ALERT_TEXT_LIMIT);
    if (!cut) return expect(capped).toBe(text);
    const last = capped.split('\n').at(-1)!;
    expect(last).toMatch(/^… [\d,]+ more characters: argus problems /);
    expect(last.endsWith(problemsCommand(identity))).toBe(true);
    expect(capped).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    const kept = capped.split('\n').slice(0, -1);
    // Cut at a line boundary: whole lines of the original, except a first line too long alone (then its start).
    const original = text.split('\n');
    expect(original[0]!.startsWith(kept[0]!)).toBe(true);
    kept.slice(1).forEach((line, i) => expect(line).toBe(original[i + 1]));
    if (kept.length > 1) expect(kept[0]).toBe(original[0]);
    const cutCount = Number(/… ([\d,]+) more/.exec(last)![1]!.replace(/,/g, ''));
    expect(cutCount).toBe(text.length - kept.join('\n').length);
  });

  it.each([
    [null, 'argus problems --since 1h'],
    ['disk:/', 'argus problems --identity disk:/'],
    ['service:nginx.service', 'argus problems --identity service:nginx.service'],
    ['tmux:my session', "argus problems --identity 'tmux:my session'"],
    ["process:it's", "argus problems --identity 'process:it'\\''s'"],
    ['process:x\n# INJECTED', "argus problems --identity 'process:x*# INJECTED'"],
    ['process:$(rm -rf /)', "argus problems --identity 'process:$(rm -rf /)'"],
    ['process:\u202eevil', "argus problems --identity 'process:*evil'"], // quoted: the shell must not expand the `*`
  ])('the hint for identity %j is %s', (identity, command) => expect(problemsCommand(identity)).toBe(command));

  it('a 10 KB identity does not make the hint overflow: its prefix and a glob', () => {
    const hint = problemsCommand(`process:${'n'.repeat(10_000)}`);
    expect(hint.length).toBeLessThan(200);
    expect(hint).toMatch(/^argus problems --identity 'process:n+\*'$/);
  });

  it.each(HOSTILE)('hostile text %s in a long alert: one message, controls gone, only our tags', (_name, hostile) => {
    const text = `${hostile}\n${lines(100)}\n${hostile}`;
    const chunks = splitLines(renderAlerts('web-1', [{ ...alert('h', text), identity: `process:${hostile}` }], NOW));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(htmlProblems(chunks[0]!.html)).toEqual([]);
    expect(chunks[0]!.html).not.toMatch(/<(?!\/?b>)/);
    expect(chunks[0]!.plain).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  });
});
