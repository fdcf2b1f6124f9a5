// The alert action: tell the operators through the Notifier (Telegram, or the log when none is configured).
import { randomUUID } from 'node:crypto';
import { ActionDeniedError } from '../../../errors.js';
import { AlertInputSchema } from '../../../model/action.js';
import { stripControl } from '../../../notify/format.js';
import type { AlertMessage } from '../../../notify/notifier.js';
import type { ActionDef } from '../action.js';

/** The message as it will be sent: control characters stripped, surrounding blanks trimmed. */
export function cleanMessage(message: string): string {
  return stripControl(message).trim();
}

export const alertAction: ActionDef<typeof AlertInputSchema> = {
  name: 'alert',
  schema: AlertInputSchema,
  target: (input) => `alert:${input.severity ?? 'warning'}`,
  async guard(input) {
    if (!cleanMessage(input.message))
      throw new ActionDeniedError('alert', 'the message is empty once control characters and blanks are removed');
  },
  async execute(input, ctx) {
    const alert: AlertMessage = {
      id: randomUUID(),
      ts: ctx.host.now().toISOString(),
      severity: input.severity ?? 'warning',
      text: cleanMessage(input.message),
      identity: ctx.identity ?? null,
    };
    const report = await ctx.notifier.deliver([alert]);
    const details = { channel: ctx.notifier.channel, alertId: alert.id, ...report };
    if (report.status === 'failed')
      return { result: 'failure', reason: `alert not delivered: ${report.detail}`, details };
    return {
      result: 'success',
      reason: `alert ${report.status} via ${ctx.notifier.channel}: ${report.detail}`,
      details,
    };
  },
};
