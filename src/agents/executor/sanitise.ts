// Render untrusted request text safely for records, reasons and logs: truncated, control characters escaped.

const MAX_STRING = 200;
const MAX_KEYS = 50;
const MAX_DEPTH = 6;
/** Keys whose values never reach a record, whoever sent them. */
const SECRET_KEY = /token|api_?key|authorization|password|secret/i;

/** Escape control characters (C0, DEL, C1, line/paragraph separators) as \uXXXX and cut to `max` characters. */
export function safeText(text: string, max = MAX_STRING): string {
  const cut = text.length > max ? `${text.slice(0, max)}…(+${text.length - max} chars)` : text;
  return cut.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A quoted, safe rendering of a value for a reason a person reads: `"agent-1;rm"`. */
export function quote(value: unknown, max = 64): string {
  if (typeof value === 'string') return `"${safeText(value, max).replace(/"/g, '\\"')}"`;
  return safeText(renderScalar(value), max);
}

function renderScalar(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}

/** A JSON-safe copy of an untrusted input: strings truncated to 200 chars and escaped, bounded size and depth. */
export function sanitiseInput(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return safeText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean' || value === null) return value;
  if (value === undefined) return null;
  if (typeof value !== 'object') return `<${typeof value}>`;
  if (depth >= MAX_DEPTH) return '<too deep>';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_KEYS).map((v) => sanitiseInput(v, depth + 1));
    if (value.length > MAX_KEYS) items.push(`<+${value.length - MAX_KEYS} items>`);
    return items;
  }
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (const key of keys.slice(0, MAX_KEYS)) {
    out[safeText(key, 64)] = SECRET_KEY.test(key)
      ? '[redacted]'
      : sanitiseInput((value as Record<string, unknown>)[key], depth + 1);
  }
  if (keys.length > MAX_KEYS) out['<truncated>'] = `${keys.length - MAX_KEYS} more keys`;
  return out;
}
