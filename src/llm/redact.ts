// Host text on its way to a model: secrets redacted, then fenced in <host_data> blocks it cannot close.

import { redactSecrets } from '../model/redact.js';

export { REDACTED, redactSecrets } from '../model/redact.js';

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
