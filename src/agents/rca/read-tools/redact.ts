// Host lines for a caller: secrets redacted (the one rule: src/model/redact.ts), control characters made harmless, capped.
import { redactSecrets } from '../../../model/redact.js';

/** Redact, drop control characters (except tab) and cap the length of one line of host text. */
export function cleanHostLine(text: string, max = 500): string {
  const clean = redactSecrets(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '�');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
