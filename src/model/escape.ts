// Escape at the sink: host text (process names, session names, log lines, unit names) meets a terminal, a markdown
// file and a Telegram message each through one function here. Secrets were already redacted at the source.

/** Bidirectional overrides and isolates: they reorder what a reader sees (an RTL override hides what follows). */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** C0 controls (tab and newline included), DEL and the C1 controls (\u009b is a one-byte CSI). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

const hex = (c: string): string => c.codePointAt(0)!.toString(16).padStart(2, '0');

/**
 * One line for a terminal: every control character (ESC of an escape sequence, a line break, a carriage return)
 * and every bidi override is shown as visible text (`\x1b`, `\n`, `\u202e`), never sent to the terminal; the text
 * around it is kept whole.
 */
export function terminalLine(text: string): string {
  return text
    .replace(CONTROL, (c) => (c === '\t' ? ' ' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\x${hex(c)}`))
    .replace(BIDI, (c) => `\\u${hex(c).padStart(4, '0')}`);
}

/** Lines for a terminal: each made safe on its own (our line breaks kept, host line breaks shown). */
export function terminalLines(lines: readonly string[]): string[] {
  return lines.map(terminalLine);
}

/** Host text inside one line of our own making: line breaks folded to spaces, controls and bidi overrides dropped. */
export function oneLine(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(CONTROL, '')
    .replace(BIDI, '');
}

/**
 * Inline markdown: one line (so it cannot start a heading, a list or a code fence), no pipe that would split a
 * table cell, no HTML comment markers (the human section uses them), no raw HTML tag.
 */
export function markdownInline(text: string): string {
  return oneLine(text)
    .replace(/\|/g, '\\|')
    .replace(/<!--|-->/g, '')
    .replace(/</g, '&lt;')
    .trim();
}

/**
 * A markdown code span that host text cannot close: its backticks become ' (a longer fence would do, but a fence of
 * three at the start of a line opens a code block).
 */
export function markdownCode(text: string): string {
  return `\`${oneLine(text).replace(/`/g, "'")}\``;
}

/** Telegram HTML text: escaped (&, <, >), controls and bidi overrides dropped. Line breaks are the caller's. */
export function telegramHtml(text: string): string {
  return text
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '')
    .replace(BIDI, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
