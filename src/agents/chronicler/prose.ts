// The chronicler micro-agent: better prose for a generated document, facts only from its data, else the deterministic text.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AgentRunner } from '../../llm/agent-runner.js';
import { loadPrompt } from '../../llm/prompts.js';
import { hostData, hostJson } from '../../llm/redact.js';
import { checkFacts, CLOCK, CODE_SPAN, NAME, NUMBER, TIMESTAMP } from './facts.js';
import { extractHuman, generatedPart } from './markdown.js';
import type { DocToImprove, ImproveDoc, ImprovedDoc } from './write-docs.js';

/** Longer documents are not sent (host_data blocks are capped near this size): they stay deterministic. */
export const MAX_DOC_CHARS = 28_000;

export const ProseAnswerSchema = z.object({
  markdown: z
    .string()
    .min(1)
    .max(MAX_DOC_CHARS * 2),
});
export type ProseAnswer = z.infer<typeof ProseAnswerSchema>;

/** Stands in for the human section: the model never sees human notes, and they go back byte-identical. */
export const HUMAN_PLACEHOLDER = '<!-- argus:human -->';
const PROSE_MARK = /<!-- argus:prose sha256=([0-9a-f]{64})\b[^\n]*?-->\n?/;
const mark = (hash: string) =>
  `<!-- argus:prose sha256=${hash}: prose rewritten by the model from the data and fact-checked; rewritten again only when the data changes. -->\n`;

// The tokenization of facts.ts: dates, clock times, code spans and names are checked there as whole strings.

/** Spelled-out numbers escape the digit-based facts check: new ones are refused too. */
const NUMBER_WORDS =
  /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|dozens?|twice|thrice|half|double|triple)\b/gi;

export interface ProseOptions {
  /** A runner without a model (no API key): every document stays deterministic and no request is made. */
  runner: AgentRunner;
  timeoutMs?: number;
}

export function createProseImprover(options: ProseOptions): ImproveDoc {
  return (doc, sources) => improveProse(doc, sources, options);
}

/** The deterministic body a document was built from: no human section, no prose mark. */
export function bodyHash(content: string): string {
  const human = extractHuman(content);
  const body = (human === null ? content : content.replace(human, '')).replace(PROSE_MARK, '');
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Ask the model for better prose, keep it only if headings, tables, comments and the human section are intact and
 * every fact is in `sources`; otherwise the deterministic document, with the reason.
 *
 * Idempotency: model prose is not reproducible, so a document is rewritten by the model only when its deterministic
 * body changed. The model's version carries the hash of the body it was written from (an HTML comment); while the
 * data yield the same body, the file on disk is kept as it is and no call is made. A document that fell back to the
 * deterministic text (no key, API failure, rejection) is byte-identical to the model-off output and, being unchanged,
 * is not sent again until its data change.
 */
export async function improveProse(
  doc: DocToImprove,
  sources: readonly unknown[],
  options: ProseOptions,
): Promise<ImprovedDoc> {
  const hash = bodyHash(doc.content);
  if (doc.previous !== null && PROSE_MARK.exec(doc.previous)?.[1] === hash)
    return { markdown: doc.previous, source: 'llm' };
  const deterministic = (why: { rejected: string } | { fallback: string }): ImprovedDoc => ({
    markdown: doc.content,
    source: 'deterministic',
    ...why,
  });

  const human = extractHuman(doc.content);
  const masked = human === null ? doc.content : doc.content.replace(human, () => HUMAN_PLACEHOLDER);
  if (masked.length > MAX_DOC_CHARS)
    return deterministic({ fallback: `too_long: ${masked.length} characters (limit ${MAX_DOC_CHARS})` });

  const logBindings = { agent: 'chronicler', doc: doc.path };
  const log = options.runner.log.child(logBindings);
  const result = await options.runner({
    system: loadPrompt('chronicler'),
    userBlocks: [
      `Rewrite the prose of the generated document ${doc.path}. The document, then the data it was written from, follow as host data.`,
      hostData('document', masked, MAX_DOC_CHARS + 1_000),
      hostJson('data', sources),
      'Answer with the JSON object {"markdown": "..."} only.',
    ],
    tools: [],
    answerSchema: ProseAnswerSchema,
    maxIterations: 1,
    maxTokens: 8192,
    timeoutMs: options.timeoutMs ?? 60_000,
    ctx: { source: 'llm' },
    logBindings,
  });
  if (!result.ok) return deterministic({ fallback: `${result.reason}: ${result.detail}` });

  const answer = normalize(result.answer.markdown);
  const broken = checkStructure(masked, answer);
  if (broken) {
    log.warn({ reason: broken }, 'model prose rejected: structure changed');
    return deterministic({ rejected: broken });
  }
  const improved = human === null ? answer : answer.replace(HUMAN_PLACEHOLDER, () => human);
  const facts = checkFacts(improved, sources);
  const invented = [...facts.unknown, ...newNumberWords(doc.content, improved)];
  const added = addedNumbers(doc.content, improved);
  if (invented.length > 0 || added.length > 0) {
    const reason = [
      ...(invented.length ? [`invented facts (not in the data): ${list(invented)}`] : []),
      ...(added.length ? [`numbers added (more often than the data gives them): ${list(added)}`] : []),
    ].join('; ');
    log.warn({ invented, added }, 'model prose rejected: invented facts');
    return deterministic({ rejected: reason });
  }
  return { markdown: `${improved}${mark(hash)}`, source: 'llm' };
}

function normalize(markdown: string): string {
  return `${markdown.replace(/\r\n?/g, '\n').trimEnd()}\n`;
}

const lines = (text: string, keep: (line: string) => boolean) => text.split('\n').filter(keep);
const isHeading = (l: string) => /^#{1,6}\s/.test(l);
const isTableRow = (l: string) => l.trimStart().startsWith('|');

/** Null when the answer kept the skeleton: same headings, table rows and HTML comments (the placeholder among them), in order. */
export function checkStructure(original: string, answer: string): string | null {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(lines(original, isHeading), lines(answer, isHeading))) return 'headings changed';
  if (!same(lines(original, isTableRow), lines(answer, isTableRow))) return 'tables changed';
  const comments = (t: string) => [...(t.match(/<!--[\s\S]*?-->/g) ?? []), `${t.split('<!--').length}`];
  if (!same(comments(original), comments(answer))) return 'HTML comments or the human section placeholder changed';
  return null;
}

const list = (xs: readonly string[]) => `${xs.slice(0, 10).join(', ')}${xs.length > 10 ? ', …' : ''}`;

/**
 * The facts check is per token: "restarted 7 times" passes when a 7 is anywhere in the data ("on 7 of 7 days").
 * So the model may move and reword numbers but never add one: each bare number (not in a date, time, code span or
 * name) may appear in its version at most as often as in the deterministic document.
 */
export function addedNumbers(original: string, improved: string): string[] {
  const count = (doc: string) => {
    const bare = generatedPart(doc)
      .replace(TIMESTAMP, ' ')
      .replace(CODE_SPAN, ' ')
      .replace(CLOCK, ' ')
      .replace(NAME, (m) => (/[A-Za-z]/.test(m) ? ' ' : m));
    const counts = new Map<string, number>();
    for (const m of bare.matchAll(NUMBER)) {
      const key = String(Number(m[0]));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
  const before = count(original);
  return [...count(improved)]
    .filter(([n, c]) => c > (before.get(n) ?? 0))
    .map(([n]) => n)
    .sort();
}

function newNumberWords(original: string, improved: string): string[] {
  const known = new Set([...generatedPart(original).matchAll(NUMBER_WORDS)].map((m) => m[0].toLowerCase()));
  const found = [...generatedPart(improved).matchAll(NUMBER_WORDS)].map((m) => m[0].toLowerCase());
  return [...new Set(found.filter((w) => !known.has(w)))].sort();
}
