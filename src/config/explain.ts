// Configuration errors in plain words: zod's first issue becomes one ConfigError naming the key (and where its value
// came from), the value, and the expected form read off the schema itself ("a whole number from 10 to 86400").
// One place for every issue kind, so none of zod's own phrasing ("Invalid input", "too_big … items") leaks through.
import type { z } from 'zod';
import { ConfigError, SECRET_KEY } from '../errors.js';

type Def = Record<string, unknown> & { type: string };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'nonoptional', 'readonly', 'catch']);

/** The schema that checks the value itself: defaults and optionals taken off; of a pipe, the side with the rule. */
function unwrap(schema: unknown): unknown {
  let node = schema;
  for (;;) {
    const def = defOf(node);
    if (WRAPPERS.has(def.type)) node = def.innerType;
    else if (def.type === 'pipe') node = defOf(def.out).type === 'transform' ? def.in : def.out;
    else return node;
  }
}

/** The schema at a key path (`thresholds.disk.fire`, `probes.0.url`), or undefined off the schema. */
function schemaAt(schema: unknown, path: readonly PropertyKey[]): unknown {
  let node = unwrap(schema);
  for (const key of path) {
    const def = defOf(node);
    const next =
      def.type === 'object'
        ? (def.shape as Record<string, unknown>)[String(key)]
        : def.type === 'array'
          ? def.element
          : undefined;
    if (next === undefined) return undefined;
    node = unwrap(next);
  }
  return node;
}

const checksOf = (def: Def): Def[] => ((def.checks as unknown[] | undefined) ?? []).map(defOf);
const ownMessage = (def: Def): string | undefined => {
  const message = typeof def.error === 'function' ? (def.error as () => unknown)() : undefined;
  return typeof message === 'string' ? message : undefined;
};

/** "a whole number from 10 to 86400", "a number above 0", "a number at least 0". */
function numberForm(def: Def): string {
  let int = def.format === 'safeint' || def.format === 'int32';
  let low: Def | undefined;
  let high: Def | undefined;
  for (const check of checksOf(def)) {
    if (check.check === 'number_format') int = true;
    else if (check.check === 'greater_than') low = check;
    else if (check.check === 'less_than') high = check;
  }
  const kind = int ? 'a whole number' : 'a number';
  if (low?.inclusive && high?.inclusive) return `${kind} from ${String(low.value)} to ${String(high.value)}`;
  const bounds = [
    low && `${low.inclusive ? 'at least' : 'above'} ${String(low.value)}`,
    high && `${high.inclusive ? 'at most' : 'below'} ${String(high.value)}`,
  ];
  const range = bounds.filter(Boolean).join(' and ');
  return range ? `${kind} ${range}` : kind;
}

function stringForm(def: Def): string {
  if (def.format === 'url')
    return (def.protocol as RegExp | undefined)?.source === '^https?$' ? 'an http:// or https:// URL' : 'a URL';
  for (const check of checksOf(def)) {
    const message = ownMessage(check);
    if (message) return message;
  }
  return checksOf(def).some((c) => c.check === 'min_length' && Number(c.minimum) >= 1) ? 'a non-empty text' : 'a text';
}

/** What a key takes, in words, from its schema. */
function describe(schema: unknown): string {
  if (schema === undefined) return 'a valid value';
  const def = defOf(schema);
  switch (def.type) {
    case 'number':
      return numberForm(def);
    case 'string':
      return stringForm(def);
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${Object.values(def.entries as Record<string, unknown>)
        .map((v) => JSON.stringify(v))
        .join(', ')}`;
    case 'array':
      return `a JSON array, each ${describe(unwrap(def.element))}`;
    case 'object': {
      const keys = Object.keys(def.shape as object);
      return `an object with ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
    }
    case 'union':
      return (def.options as unknown[]).map((o) => describe(unwrap(o))).join(' or ');
    default:
      return 'a valid value';
  }
}

/** The expected form of the key at `path` (the environment's parse errors use it too). */
export const expectedAt = (schema: unknown, path: readonly PropertyKey[]): string => describe(schemaAt(schema, path));

const ZOD_DEFAULT = /^(Invalid|Too (big|small)|Unrecognized)/;

function expectedFor(issue: z.core.$ZodIssue, node: unknown, missing: boolean): string {
  const numeric = node !== undefined && defOf(node).type === 'number';
  switch (issue.code) {
    case 'too_big':
    case 'too_small': {
      if (numeric) return describe(node);
      const unit = issue.origin === 'string' ? 'characters' : 'items';
      if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1)
        return 'a non-empty text';
      return `${issue.code === 'too_big' ? 'at most' : 'at least'} ${String(issue.code === 'too_big' ? issue.maximum : issue.minimum)} ${unit}`;
    }
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      if (issue.format === 'regex' && ZOD_DEFAULT.test(issue.message)) return `a text of the form ${issue.pattern}`;
      return issue.format === 'url' || ZOD_DEFAULT.test(issue.message) ? describe(node) : issue.message;
    case 'custom':
      return ZOD_DEFAULT.test(issue.message) ? describe(node) : issue.message;
    default:
      return `${describe(node)}${missing && issue.code === 'invalid_type' ? ' (required)' : ''}`;
  }
}

/** Edit distance, for "did you mean": a misspelt key is the commonest configuration error. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        row[j]! + 1,
        next[j - 1]! + 1,
        row[j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
    row = next;
  }
  return row[b.length]!;
}

function suggest(node: unknown, key: string): string {
  const def = node === undefined ? undefined : defOf(node);
  const known = def?.type === 'object' ? Object.keys(def.shape as object) : [];
  const best = known.map((k) => [k, distance(key, k)] as const).sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= Math.max(2, Math.floor(key.length / 3))
    ? `: did you mean "${best[0]}"?`
    : " (see the README's configuration section)";
}

/** Could the value at `path` be, or hold, a secret (telegram, telegram.botToken, anthropic.apiKey …)? */
function holdsSecret(node: unknown, path: readonly PropertyKey[]): boolean {
  if (path.some((k) => SECRET_KEY.test(String(k)))) return true;
  const def = node === undefined ? undefined : defOf(node);
  if (def?.type !== 'object') return false;
  return Object.entries(def.shape as Record<string, unknown>).some(([k, v]) => holdsSecret(unwrap(v), [k]));
}

function getPath(source: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node = source;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * The first issue as one ConfigError: `ARGUS_INTERVAL (intervalSec) = 5; expected a whole number from 10 to 86400`.
 * `origin` maps a dotted key to the variable or flag that set it (and the variable's text: the value is shown as typed,
 * not as parsed); otherwise the key is named in the file.
 */
export function explainIssue(
  schema: unknown,
  error: z.ZodError,
  raw: unknown,
  origin: ReadonlyMap<string, { from: string; text?: string }>,
  configPath: string | null,
): ConfigError {
  const issue = error.issues[0]!;
  const path = issue.path;
  const dotted = path.map(String).join('.') || '(root)';
  const inFile = configPath ? ` in ${configPath}` : '';
  if (issue.code === 'unrecognized_keys') {
    const key = `${issue.keys.join(', ')}${dotted === '(root)' ? '' : ` under ${dotted}`}${inFile}`;
    return new ConfigError(key, undefined, `a key Argus knows${suggest(schemaAt(schema, path), issue.keys[0]!)}`, {
      shown: '(unknown key)',
    });
  }
  let key = `${dotted}${inFile}`;
  let value = getPath(raw, path);
  for (let i = path.length; i > 0; i--) {
    const from = origin.get(path.slice(0, i).map(String).join('.'));
    if (from) {
      key = `${from.from} (${dotted})`;
      if (i === path.length && from.text !== undefined && value !== undefined) value = from.text;
      break;
    }
  }
  const node = schemaAt(schema, path);
  const expected = expectedFor(issue, node, value === undefined);
  return new ConfigError(
    key,
    value,
    expected,
    value !== undefined && holdsSecret(node, path) ? { shown: '(hidden: it may hold a secret)' } : {},
  );
}
