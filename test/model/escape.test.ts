// One table of hostile host text through every sink: terminal, markdown, Telegram HTML, JSON.
import { describe, expect, it } from 'vitest';
import { bullets, code, table } from '../../src/agents/chronicler/markdown.js';
import { renderHealth } from '../../src/cli/report.js';
import { markdownCode, oneLine, telegramHtml, terminalLine } from '../../src/model/escape.js';
import { renderAlerts, splitLines, stripControl } from '../../src/notify/format.js';
import { decisionAlert } from '../../src/agents/incident/messages.js';
import { HOSTILE } from '../support/hostile-strings.js';
import { proc, processes, snapshot } from '../support/snapshot.js';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

describe.each(HOSTILE)('hostile host text: %s', (_name, text) => {
  it('terminal: one line, no control character or bidi override emitted, printable text kept', () => {
    const out = terminalLine(text);
    expect(out).not.toMatch(/[\n\r]/);
    expect(out).not.toMatch(CONTROL);
    expect(out).not.toMatch(BIDI);
    for (const word of text.split(/[\u0000-\u001f\u007f-\u009f\u202A-\u202E]+/).filter((w) => w.length > 2))
      expect(out).toContain(word);
    // Through the health report, as a process name.
    const lines = renderHealth(snapshot({ processes: processes({ topByRss: [proc({ comm: text, cmdline: text })] }) }));
    for (const l of lines) expect(l).not.toMatch(CONTROL);
    expect(lines.filter((l) => l.includes('top RSS'))).toHaveLength(1);
  });

  it('markdown: a table cell, a list item and a code span stay one line and cannot start a block', () => {
    const doc = `${table(['name', 'n'], [[text, '1']])}\n${bullets([`process ${text}`])}\n${code(text)}\n`;
    for (const line of doc.split('\n')) {
      expect(line).not.toMatch(/^#|^```|^<!--/);
      expect(line).not.toMatch(CONTROL);
    }
    const row = doc.split('\n')[2]!;
    expect(row.split(/(?<!\\)\|/).length).toBe(4); // | name | 1 |: the cell did not split
    const span = markdownCode(text);
    expect(span.slice(1, -1)).not.toContain('`');
  });

  it('Telegram: one escaped line per host text, no raw tag, no control character', () => {
    const decision = {
      finding: {
        identity: 'process:x',
        type: 'process',
        subject: 'x',
        severity: 'warning',
        description: `Process ${text} is leaking`,
        details: {},
        source: 'rule',
      },
      transition: 'opened',
    } as unknown as Parameters<typeof decisionAlert>[0];
    const alert = decisionAlert(decision, [`culprit ${text}`]);
    expect(alert.split('\n')).toHaveLength(2); // the head and one note, whatever the host text holds
    const chunks = splitLines(
      renderAlerts(
        'web-1',
        [{ id: 'a', ts: new Date().toISOString(), severity: 'warning', text: alert, identity: null }],
        new Date(),
      ),
    );
    for (const c of chunks) {
      expect(c.html).not.toMatch(/<(?!\/?b>)/); // only our own <b> tags
      expect(c.html).not.toMatch(CONTROL);
      expect(c.plain).not.toMatch(CONTROL);
    }
    expect(telegramHtml(text)).not.toMatch(/<|>|&(?!amp;|lt;|gt;)/);
    expect(oneLine(text)).not.toMatch(/[\n\r]/);
  });

  it('JSON: parses back to the same text', () => {
    expect(JSON.parse(JSON.stringify({ text })).text).toBe(text);
  });
});

describe('stripControl keeps real text', () => {
  it.each([
    ['\u001b[(pid 42)', '[(pid 42)'],
    ['\u001b[1;31mred\u001b[0m text', 'red text'],
    ['tab\tand\nline', 'tab\tand\nline'],
  ])('%j → %j', (input, expected) => expect(stripControl(input)).toBe(expected));
});
