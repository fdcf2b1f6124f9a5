// Secrets out of host text, where it enters Argus (the collector, journal readers): redact at the source, so no sink
// — registry, state files, beads, Telegram, MCP answers, model requests, runbooks, logs — can forget to.
// One rule for every reader; src/llm/redact.ts re-exports it for the model's prompts.

export const REDACTED = '[REDACTED]';

/** Key names whose values are secrets in `key=value`, `key: value`, `--key value` and JSON `"key": "value"` forms. */
const SECRET_KEY = String.raw`[A-Za-z0-9_.-]*(?:password|passwd|passphrase|pwd|token|secret|key|auth|credentials?)[A-Za-z0-9_.-]*`;

const PATTERNS: ReadonlyArray<[RegExp, string | ((...m: string[]) => string)]> = [
  // PEM private keys, whole block.
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  // Anthropic / OpenAI style keys.
  [/\bsk-ant-[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
  // GitLab tokens.
  [/\bglpat-[A-Za-z0-9_-]{16,}/g, REDACTED],
  // JSON Web Tokens: header.payload.signature, base64url.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, REDACTED],
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
  [
    /\b(Bearer|Basic|Token)(\s+)(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{6,}/gi,
    (_m, scheme = '', space = '') => `${scheme}${space}${REDACTED}`,
  ],
  // Credentials in URLs: scheme://user:pass@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, (_m, head = '') => `${head}${REDACTED}@`],
  // JSON: "api_key": "value".
  [new RegExp(String.raw`("${SECRET_KEY}"\s*:\s*)"(?:[^"\\]|\\.)*"`, 'gi'), (_m, head = '') => `${head}"${REDACTED}"`],
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
