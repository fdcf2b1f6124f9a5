// Host text on its way to a model: secrets redacted, then fenced in <host_data> blocks it cannot close.

export const REDACTED = '[REDACTED]';

/** Key names whose values are secrets in `key=value`, `key: value`, `--key value` and JSON `"key": "value"` forms. */
const SECRET_KEY = String.raw`[A-Za-z0-9_.-]*(?:password|passwd|passphrase|pwd|token|secret|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[A-Za-z0-9_.-]*`;

const PATTERNS: ReadonlyArray<[RegExp, string | ((...m: string[]) => string)]> = [
  // PEM private keys, whole block.
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  // Anthropic / OpenAI style keys.
  [/\bsk-ant-[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
  // GitHub tokens.
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, REDACTED],
  // Slack tokens.
  [/\bxox[abposre]-[A-Za-z0-9-]{8,}/g, REDACTED],
  // AWS access key ids.
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  // Telegram bot tokens: 123456789:AA… (35 chars).
  [/\b\d{5,12}:[A-Za-z0-9_-]{35}\b/g, REDACTED],
  // Authorization headers.
  [/\b(Bearer|Basic|Token)(\s+)[A-Za-z0-9._~+/=-]{6,}/gi, (_m, scheme = '', space = '') => `${scheme}${space}${REDACTED}`],
  // Credentials in URLs: scheme://user:pass@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, (_m, head = '') => `${head}${REDACTED}@`],
  // JSON: "api_key": "value".
  [
    new RegExp(String.raw`("${SECRET_KEY}"\s*:\s*)"(?:[^"\\]|\\.)*"`, 'gi'),
    (_m, head = '') => `${head}"${REDACTED}"`,
  ],
  // key=value, key: value (value quoted or up to a separator).
  [
    new RegExp(String.raw`(\b${SECRET_KEY}\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;"']+)`, 'gi'),
    (_m, head = '') => `${head}${REDACTED}`,
  ],
  // --password value (command-line flag, space separated).
  [new RegExp(String.raw`(--${SECRET_KEY}\s+)(?!-)(\S+)`, 'gi'), (_m, head = '') => `${head}${REDACTED}`],
];

/** Replace secrets (API keys, tokens, passwords) in host text. Idempotent. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) {
    out = out.replace(pattern, replacement as (substring: string, ...args: string[]) => string);
  }
  return out;
}

/** Neutralise anything that could open or close a host_data block (`</host_data>`, `< / HOST_DATA`, …). */
export function escapeHostData(text: string): string {
  return text.replace(/<(?=\s*\/?\s*host_data)/gi, '&lt;');
}

const MAX_BLOCK_CHARS = 30_000;

/**
 * Host text as data for a model: secrets redacted, delimiters escaped, length capped, in a block the
 * prompts say is never instructions. `source` names where it came from (`snapshot`, `tool:get_top_processes#1`).
 */
export function hostData(source: string, text: string, maxChars = MAX_BLOCK_CHARS): string {
  let body = escapeHostData(redactSecrets(text));
  if (body.length > maxChars) body = `${body.slice(0, maxChars)}\n[truncated ${body.length - maxChars} characters]`;
  const name = source.replace(/[^A-Za-z0-9_:.#/@-]/g, '_').slice(0, 120);
  return `<host_data source="${name}">\n${body}\n</host_data>`;
}

/** A JSON value as a host_data block. */
export function hostJson(source: string, value: unknown, maxChars?: number): string {
  return hostData(source, JSON.stringify(value, null, 1) ?? 'null', maxChars);
}
