// Render alerts as Telegram HTML lines (each alert's text capped) and split them under the length limit without
// breaking a tag.
import type { Severity } from '../model/finding.js';
import type { AlertMessage } from './notifier.js';
import { telegramHtml } from '../model/escape.js';

/** Telegram's limit is 4096 UTF-16 units after entity parsing; stay safely under it. */
export const MESSAGE_LIMIT = 4000;

/**
 * One alert's text takes at most this many characters as sent (escaped): with its label and the message header it
 * always fits one message, so one alert can never fan out into several. The rest is in the registry.
 */
export const ALERT_TEXT_LIMIT = 3500;
/** A hostname longer than DNS allows is cut in the header (it must not push an alert out of its message). */
const HOST_LIMIT = 253;

const ICONS: Record<Severity, string> = { critical: '🔴', warning: '🟠', info: 'ℹ️' };
/** An alert text that already opens with an icon and an upper-case word: `🔴 CRITICAL …`, `✅ RESOLVED …`. */
const OWN_HEAD = /^(\p{Extended_Pictographic}\uFE0F?) ([A-Z][A-Z_-]{2,15})\b/u;

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

/** Characters a piece of text takes in the message as sent (escaped HTML). */
const sentLength = (text: string): number => escapeHtml(text).length;

/** A character that is sent as it is (the common case: no escaping regex run per character). */
const PLAIN_CHAR = /^[^&<>\u0000-\u001f\u007f-\u009f\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]+$/;
const IDENTITY_HINT_LIMIT = 120;
/** Safe unquoted in a shell and literal in an identity glob (only `*` is special there). */
const SHELL_SAFE = /^[A-Za-z0-9_.:/@%+=,-]+$/;

/**
 * The command that shows an alert's whole story from the registry: `argus problems --identity <identity>`, or the
 * last hour's records when the alert has no identity. Control characters and bidi overrides in a host-made identity
 * become `*` (they cannot be typed, and `*` still matches them); anything else a shell would touch is single-quoted.
 */
export function problemsCommand(identity: string | null): string {
  if (!identity) return 'argus problems --since 1h';
  const chars = Array.from(
    identity.replace(/[\u0000-\u001f\u007f-\u009f\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]+/g, '*'),
  );
  // A 10 KB process name must not make the hint itself overflow: a long identity becomes its prefix and `*`.
  const glob = chars.length > IDENTITY_HINT_LIMIT ? `${chars.slice(0, IDENTITY_HINT_LIMIT).join('')}*` : chars.join('');
  return `argus problems --identity ${SHELL_SAFE.test(glob) ? glob : `'${glob.replace(/'/g, `'\\''`)}'`}`;
}

/**
 * The one cap on an alert's text: at most `limit` characters as sent (escaped), cut at a line boundary (a first line
 * longer than that is cut inside, never inside a surrogate pair), the last line saying how much was cut and how to
 * see the rest (problemsCommand). Text within the limit is returned unchanged. Applied by renderAlerts, through
 * which every path to Telegram renders (the cycle's delivery, outbox replays, direct self-alerts).
 */
export function capAlertText(text: string, identity: string | null, limit = ALERT_TEXT_LIMIT): string {
  const lines = text.split('\n');
  const total = lines.reduce((sum, line) => sum + sentLength(line), lines.length - 1);
  if (total <= limit) return text;
  const tail = (cut: number): string =>
    `… ${cut.toLocaleString('en-US')} more characters: ${problemsCommand(identity)}`;
  // The tail's own length depends on the count; the longest count (every character cut) bounds it.
  const room = Math.max(0, limit - sentLength(tail(text.length)) - 1);
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = (kept.length > 0 ? 1 : 0) + sentLength(line);
    if (used + cost > room) break;
    kept.push(line);
    used += cost;
  }
  if (kept.length === 0) {
    let piece = '';
    let size = 0;
    for (const char of lines[0] ?? '') {
      const cost = PLAIN_CHAR.test(char) ? char.length : sentLength(char);
      if (size + cost > room) break;
      piece += char;
      size += cost;
    }
    kept.push(piece);
  }
  const keptText = kept.join('\n');
  return `${keptText}\n${tail(text.length - keptText.length)}`;
}

/**
 * Lines of the message for these alerts, with the alert ids each line completes; each alert's text is capped
 * (capAlertText). `total` is the count the header announces (a delivery that summarizes some alerts shows fewer).
 */
export function renderAlerts(
  hostname: string,
  alerts: readonly AlertMessage[],
  now: Date,
  total = alerts.length,
): Array<Line & { completes: string[] }> {
  const host = Array.from(stripControl(hostname).replace(/[\r\n\t]+/g, ' '))
    .slice(0, HOST_LIMIT)
    .join('');
  const plural = total === 1 ? 'alert' : 'alerts';
  const lines: Array<Line & { completes: string[] }> = [
    {
      html: `<b>[${escapeHtml(host)}]</b> Argus: ${total} ${plural}`,
      plain: `[${host}] Argus: ${total} ${plural}`,
      completes: [],
    },
  ];
  const cycleStart = now.getTime() - 15 * 60_000;
  for (const alert of alerts) {
    const icon = ICONS[alert.severity];
    const ts = Date.parse(alert.ts);
    const delayed =
      Number.isFinite(ts) && ts < cycleStart ? ` (delayed, ${alert.ts.slice(0, 16).replace('T', ' ')}Z)` : '';
    const label = alert.severity.toUpperCase();
    const textLines = capAlertText(stripControl(alert.text), alert.identity).split('\n');
    textLines.forEach((text, i) => {
      const last = i === textLines.length - 1;
      const completes = last ? [alert.id] : [];
      if (i === 0) {
        // Alert texts made by Argus start with their own icon and word (🔴 CRITICAL, ✅ RESOLVED, ⚠️ FLAPPING): that
        // word is made bold, not repeated; other texts get the severity's icon and label in front.
        const own = OWN_HEAD.exec(text);
        const [mark, word, rest] = own ? [own[1]!, own[2]!, text.slice(own[0].length)] : [icon, label, ` ${text}`];
        lines.push({
          html: `${mark} <b>${escapeHtml(word)}</b>${escapeHtml(delayed)}${escapeHtml(rest)}`,
          plain: `${mark} ${word}${delayed}${rest}`,
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
