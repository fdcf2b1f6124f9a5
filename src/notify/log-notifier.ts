// No Telegram configured: each alert goes to the log (warn) and waits in the outbox for a channel to exist.
import type { Log } from '../log.js';
import type { AlertMessage, DeliveryReport, Notifier } from './notifier.js';
import { createOutbox } from './outbox.js';

export interface LogNotifierOptions {
  log: Log;
  outboxPath: string;
  now?: () => Date;
}

export function createLogNotifier(options: LogNotifierOptions): Notifier {
  const outbox = createOutbox(options.outboxPath);
  const now = options.now ?? (() => new Date());
  return {
    channel: 'log',
    async deliver(alerts: readonly AlertMessage[]): Promise<DeliveryReport> {
      for (const alert of alerts) {
        options.log.warn(
          { alert: { id: alert.id, severity: alert.severity, identity: alert.identity } },
          `alert: ${alert.text}`,
        );
      }
      const queued = outbox.add(alerts, now().toISOString()).length;
      return {
        status: 'logged',
        delivered: 0,
        queued,
        detail: 'no Telegram configured (TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID): logged and kept in the outbox',
      };
    },
  };
}
