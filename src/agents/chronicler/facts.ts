// The "no invented facts" check: every number, time, PID and name in a generated document must come from the data.
import { generatedPart } from './markdown.js';

export interface FactsResult {
  ok: boolean;
  /** Tokens of the document found nowhere in the sources, sorted and unique. */
  unknown: string[];
}

export const TIMESTAMP = /\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:\.\d+)?)?Z?)?/g;
export const CLOCK = /\b(\d{2}:\d{2})(?::\d{2})?\b/g;
export const CODE_SPAN = /`([^`\n]+)`/g;
/** Names: words joined by `.`, `:`, `/` or `@` (units, paths, identities, `comm:pid`), with at least one letter. */
export const NAME = /\/?[A-Za-z0-9][\w@-]*(?:[.:/@][A-Za-z0-9][\w@-]*)+/g;
export const NUMBER = /\d+(?:\.\d+)?/g;
const MAX_DECIMALS = 3;

class Facts {
  readonly strings = new Set<string>();
  readonly dates = new Set<string>();
  readonly clocks = new Set<string>();
  readonly numbers: Array<Set<string>> = Array.from({ length: MAX_DECIMALS + 1 }, () => new Set());
  readonly exactNumbers = new Set<string>();

  addNumber(n: number): void {
    if (!Number.isFinite(n)) return;
    this.exactNumbers.add(String(n));
    for (let d = 0; d <= MAX_DECIMALS; d++) this.numbers[d]!.add(n.toFixed(d));
  }

  addString(s: string): void {
    if (this.strings.has(s)) return;
    this.strings.add(s);
    let rest = s.replace(TIMESTAMP, (_m, date: string, hm?: string) => {
      this.dates.add(date);
      if (hm) {
        this.clocks.add(hm);
        this.strings.add(`${date} ${hm}`);
      }
      return ' ';
    });
    rest = rest.replace(CLOCK, (_m, hm: string) => (this.clocks.add(hm), ' '));
    for (const m of s.matchAll(CODE_SPAN)) this.strings.add(m[1]!);
    for (const m of s.matchAll(NAME)) this.strings.add(m[0]);
    // The check removes dates before it reads names (`2024-05-08-inc-1.md` is read as `-inc-1.md`): so does this.
    for (const m of rest.matchAll(NAME)) this.strings.add(m[0]);
    for (const m of rest.matchAll(NUMBER)) this.addNumber(Number(m[0]));
  }

  hasNumber(token: string): boolean {
    const decimals = token.includes('.') ? token.length - token.indexOf('.') - 1 : 0;
    if (decimals > MAX_DECIMALS) return this.exactNumbers.has(String(Number(token)));
    return this.numbers[decimals]!.has(Number(token).toFixed(decimals));
  }
}

function collect(value: unknown, facts: Facts, depth = 0): void {
  if (depth > 50) return;
  if (typeof value === 'string') facts.addString(value);
  else if (typeof value === 'number') facts.addNumber(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, facts, depth + 1);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      facts.addString(k);
      collect(v, facts, depth + 1);
    }
  }
}

/**
 * Check a document against its sources (registry records, history points, the analysis, the static playbooks:
 * any JSON values). Numbers may be rounded (a document's `93.2` matches a source's `93.24`); dates, clock times,
 * code spans and dotted/colon/slash names must appear as such. The human section and HTML comments are not checked.
 */
export function checkFacts(document: string, sources: Iterable<unknown>): FactsResult {
  const facts = new Facts();
  for (const s of sources) collect(s, facts);
  const unknown = new Set<string>();
  let text = generatedPart(document);
  text = text.replace(TIMESTAMP, (m, date: string, hm?: string) => {
    if (!facts.dates.has(date) || (hm !== undefined && !facts.strings.has(`${date} ${hm}`))) unknown.add(m);
    return ' ';
  });
  text = text.replace(CODE_SPAN, (m, inner: string) => {
    if (!facts.strings.has(inner)) unknown.add(m);
    return ' ';
  });
  text = text.replace(CLOCK, (m, hm: string) => {
    if (!facts.clocks.has(hm)) unknown.add(m);
    return ' ';
  });
  text = text.replace(NAME, (m) => {
    if (/[A-Za-z]/.test(m) && !facts.strings.has(m)) unknown.add(m);
    return /[A-Za-z]/.test(m) ? ' ' : m;
  });
  for (const m of text.matchAll(NUMBER)) if (!facts.hasNumber(m[0])) unknown.add(m[0]);
  const list = [...unknown].sort();
  return { ok: list.length === 0, unknown: list };
}
