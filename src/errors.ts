// Error classes, split by who sees them (STYLE.md "Errors").
import { redactSecrets } from './model/redact.js';

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
    /** Words in place of the value: where a file is not JSON, never what it says (it may hold a token). */
    options: { shown?: string } = {},
  ) {
    super(
      'config_invalid',
      `invalid configuration: ${key} = ${SECRET_KEY.test(key) ? '(hidden: a secret)' : (options.shown ?? describeValue(value))}; expected ${expected}`,
    );
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
export const SECRET_KEY = /token|secret|password|passwd|api[_-]?key|apikey|credential|auth/i;

function describeValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  // A number as written (1e400 is Infinity, not JSON's null); anything else with secret shapes taken out.
  const text = typeof value === 'number' ? String(value) : redactSecrets(JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
