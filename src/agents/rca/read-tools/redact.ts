// Hide secrets in host text (command lines, journal lines) before it reaches a caller or a model.
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/\bsk-ant-[A-Za-z0-9_-]{8,}/g, '[redacted]'],
  [/\b(sk|pk|rk)-[A-Za-z0-9_-]{20,}/g, '[redacted]'],
  [/\b(ghp|gho|ghu|ghs|github_pat)_[A-Za-z0-9_]{20,}/g, '[redacted]'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, '[redacted]'],
  [/\bAKIA[0-9A-Z]{16}\b/g, '[redacted]'],
  [/\b\d{6,12}:[A-Za-z0-9_-]{30,}\b/g, '[redacted]'], // Telegram bot token
  [/(:\/\/[^\s:/@]+:)[^\s@/]+@/g, '$1[redacted]@'], // credentials in URLs
  [
    /((?:api[_-]?key|access[_-]?key|secret|token|passw(?:or)?d|pwd|auth(?:orization)?|credentials?)["']?\s*[=:]\s*["']?)[^\s"',;&]+/gi,
    '$1[redacted]',
  ],
  [/(--(?:api[_-]?key|token|secret|password|passwd|auth)[ =])\S+/gi, '$1[redacted]'],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Redact, drop control characters (except tab) and cap the length of one line of host text. */
export function cleanHostLine(text: string, max = 500): string {
  const clean = redactSecrets(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '�');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
