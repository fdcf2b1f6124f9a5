import { describe, expect, it } from 'vitest';
import { escapeHtml, MESSAGE_LIMIT, renderAlerts, splitLines, stripControl } from '../../src/notify/format.js';
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

  it('marks alerts from an earlier cycle as delayed', () => {
    const old = { ...alert('o', 'old one'), ts: '2026-05-01T08:00:00Z' };
    const [, line] = renderAlerts('h', [old], NOW);
    expect(line?.plain).toContain('delayed, 2026-05-01 08:00Z');
  });

  it('splits under the limit at line boundaries with every chunk balanced', () => {
    const alerts = Array.from({ length: 300 }, (_, i) => alert(`a${i}`, `service ${i} <down> & out ${'x'.repeat(i % 40)}`, i % 2 ? 'critical' : 'info'));
    const chunks = splitLines(renderAlerts('host', alerts, NOW));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(htmlProblems(chunk.html)).toEqual([]);
    }
    // Nothing lost, nothing repeated, in order.
    expect(chunks.flatMap((c) => c.completes)).toEqual(alerts.map((a) => a.id));
    expect(chunks.map((c) => c.html).join('\n')).toBe(renderAlerts('host', alerts, NOW).map((l) => l.html).join('\n'));
  });

  it('hard-splits one over-long line into tag-free escaped pieces, never inside an entity', () => {
    const text = '<&>'.repeat(3000) + '😀'.repeat(2000);
    const chunks = splitLines(renderAlerts('h', [alert('long', text)], NOW));
    const pieces = chunks.slice(1);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      expect(piece.html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(piece.html).not.toMatch(/<[a-z/]/);
      expect(htmlProblems(piece.html)).toEqual([]);
      expect(piece.html).toBe(escapeHtml(piece.plain));
      expect(piece.plain).not.toMatch(/[\ud800-\udbff]$/); // no split surrogate pair
    }
    expect(pieces.map((p) => p.plain).join('')).toContain(text);
    expect(chunks.at(-1)?.completes).toEqual(['long']);
    expect(chunks.slice(0, -1).flatMap((c) => c.completes)).toEqual([]);
  });
});
