// Error classes, split by who sees them (STYLE.md "Errors").

/** Any failure Argus itself must handle or report; `code` is stable for callers and tests. */
export class ArgusError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ArgusError';
  }
}

/** Invalid configuration: names the key, the bad value and the expected form. The CLI exits 2. */
export class ConfigError extends ArgusError {
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('config_invalid', `invalid configuration: ${key} = ${SECRET_KEY.test(key) ? '(hidden: a secret)' : describeValue(value)}; expected ${expected}`);
    this.name = 'ConfigError';
  }
}

/** The allowlist refused an action. Shown to the caller, recorded in the registry, never retried. */
export class ActionDeniedError extends ArgusError {
  constructor(
    readonly action: string,
    readonly reason: string,
  ) {
    super('action_denied', `${action} refused: ${reason}`);
    this.name = 'ActionDeniedError';
  }
}

/** Keys whose values are secrets: an error names the key, never the value. */
const SECRET_KEY = /token|secret|password|passwd|api[_-]?key|apikey|credential|auth/i;

function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
