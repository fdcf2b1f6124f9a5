// When an ongoing incident is announced again. One rule: reminders back off, so a steady problem does not talk every
// hour (an operator mutes a channel that does). Alertmanager's repeat_interval defaults to 4 h; Argus waits the
// configured window (dedupWindowSec, 4 h by default) for the first reminder, then 3× and 6× as long: 4 h → 12 h → daily.
import type { Config } from '../../config/schema.js';

const BACKOFF = [1, 3, 6] as const;

/** Seconds the next reminder waits after the last message, given how many reminders were sent already. */
export function reminderDelaySec(config: Pick<Config, 'dedupWindowSec'>, remindersSent: number): number {
  return config.dedupWindowSec * BACKOFF[Math.min(remindersSent, BACKOFF.length - 1)]!;
}
