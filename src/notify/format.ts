// Render alerts as one Telegram HTML message and split it under the length limit without breaking a tag.
import type { Severity } from '../model/finding.js';
import type { AlertMessage } from './notifier.js';
import { telegramHtml } from '../model/escape.js';

/** Telegram's limit is 4096 UTF-16 units after entity parsing; stay safely under it. */
export const MESSAGE_LIMIT = 4000;

const ICONS: Record<Severity, string> = { critical: '🔴', warning: '🟠', info: 'ℹ️' };

/** One rendered line: its HTML form (self-contained: every tag it opens it closes) and its plain form. */
export interface Line {
  html: string;
  plain: string;
}

/** One Telegram message: HTML (parse_mode HTML) and the same content as plain text (the fallback). */
export interface Chunk {
  html: string;
  plain: string;
  /** Ids of the alerts whose last line is in this chunk: delivered once this chunk is. */
  completes: string[];
}

/** The one Telegram HTML rule (src/model/escape.ts): escaped, controls and bidi overrides dropped. */
export const escapeHtml = telegramHtml;

/**
 * Colour sequences (ESC [ digits/semicolons letter) go whole; any other control character and any bidi override is
 * dropped on its own, so the printable text after it stays: the old pattern also took intermediate bytes and ate
 * real text (`ESC[(pid` lost "(p"). Line breaks and tabs of our own lines are kept.
 */
export function stripControl(text: string): string {
  return text
    .replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '');
}

/** Lines of the message for these alerts, with the alert ids each line completes. */
export function renderAlerts(
  hostname: string,
  alerts: readonly AlertMessage[],
  now: Date,
): Array<Line & { completes: string[] }> {
  const host = stripControl(hostname);
  const plural = alerts.length === 1 ? 'alert' : 'alerts';
  const lines: Array<Line & { completes: string[] }> = [
    {
      html: `<b>[${escapeHtml(host)}]</b> Argus: ${alerts.length} ${plural}`,
      plain: `[${host}] Argus: ${alerts.length} ${plural}`,
      completes: [],
    },
  ];
  const cycleStart = now.getTime() - 15 * 60_000;
  for (const alert of alerts) {
    const icon = ICONS[alert.severity];
    const ts = Date.parse(alert.ts);
    const delayed = Number.isFinite(ts) && ts < cycleStart ? ` (delayed, ${alert.ts.slice(0, 16).replace('T', ' ')}Z)` : '';
    const label = alert.severity.toUpperCase();
    const textLines = stripControl(alert.text).split('\n');
    textLines.forEach((text, i) => {
      const last = i === textLines.length - 1;
      const completes = last ? [alert.id] : [];
      if (i === 0) {
        lines.push({
          html: `${icon} <b>${label}</b>${escapeHtml(delayed)} ${escapeHtml(text)}`,
          plain: `${icon} ${label}${delayed} ${text}`,
          completes,
        });
      } else {
        lines.push({ html: escapeHtml(text), plain: text, completes });
      }
    });
  }
  return lines;
}

/**
 * Pack lines into chunks of at most `limit` characters, breaking only between lines. A single line longer
 * than the limit is hard-split from its plain form into escaped pieces with no tags at all.
 */
export function splitLines(lines: ReadonlyArray<Line & { completes: string[] }>, limit = MESSAGE_LIMIT): Chunk[] {
  const chunks: Chunk[] = [];
  let html: string[] = [];
  let plain: string[] = [];
  let completes: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (html.length === 0) return;
    chunks.push({ html: html.join('\n'), plain: plain.join('\n'), completes });
    html = [];
    plain = [];
    completes = [];
    size = 0;
  };
  for (const line of lines) {
    if (line.html.length > limit) {
      flush();
      const pieces = hardSplit(line.plain, limit);
      pieces.forEach((piece, i) => {
        const last = i === pieces.length - 1;
        chunks.push({ html: escapeHtml(piece), plain: piece, completes: last ? [...line.completes] : [] });
      });
      continue;
    }
    const added = (html.length > 0 ? 1 : 0) + line.html.length;
    if (size + added > limit) flush();
    size += (html.length > 0 ? 1 : 0) + line.html.length;
    html.push(line.html);
    plain.push(line.plain);
    completes.push(...line.completes);
  }
  flush();
  return chunks;
}

/** Split plain text so each piece's escaped form fits `limit`, never inside a surrogate pair. */
function hardSplit(plain: string, limit: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let size = 0;
  for (const char of plain) {
    const cost = escapeHtml(char).length;
    if (size + cost > limit) {
      pieces.push(piece);
      piece = '';
      size = 0;
    }
    piece += char;
    size += cost;
  }
  if (piece) pieces.push(piece);
  return pieces;
}
