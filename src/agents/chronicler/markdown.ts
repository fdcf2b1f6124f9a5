// Markdown building blocks shared by the templates: escaping, tables, the preserved human section.
import { markdownCode, markdownInline, oneLine } from '../../model/escape.js';

export const HUMAN_START = '<!-- argus:human:start -->';
export const HUMAN_END = '<!-- argus:human:end -->';
const HUMAN_DEFAULT = '_Notes written here are kept when this file is regenerated._';

/** Text safe inside a table cell or a line (the one markdown rule: src/model/escape.ts). */
export const cell = markdownInline;

/** A code span host text cannot close. */
export const code = markdownCode;

export function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '_None in this window._\n';
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n') + '\n';
}

/** A list; an item holding a line break (host text) stays one item: the break cannot start a heading or a fence. */
export function bullets(items: string[]): string {
  return items.length ? items.map((i) => `- ${oneLine(i)}`).join('\n') + '\n' : '_None._\n';
}

/** The human section block, with its default text. */
export function humanBlock(): string {
  return `${HUMAN_START}\n${HUMAN_DEFAULT}\n${HUMAN_END}`;
}

/** The human section of an existing document (markers included), or null if it has none. */
export function extractHuman(doc: string): string | null {
  const start = doc.indexOf(HUMAN_START);
  if (start < 0) return null;
  const end = doc.indexOf(HUMAN_END, start);
  if (end < 0) return null;
  return doc.slice(start, end + HUMAN_END.length);
}

/** Put the human section of `previous` (if any) into `generated` in place of its default block. */
export function mergeHuman(generated: string, previous: string | null): string {
  const kept = previous === null ? null : extractHuman(previous);
  const fresh = extractHuman(generated);
  if (kept === null || fresh === null) return generated;
  return generated.replace(fresh, () => kept);
}

/** A document without its human section and HTML comments: what the facts check reads. */
export function generatedPart(doc: string): string {
  const human = extractHuman(doc);
  const text = human ? doc.replace(human, '') : doc;
  return text.replace(/<!--[\s\S]*?-->/g, '');
}
