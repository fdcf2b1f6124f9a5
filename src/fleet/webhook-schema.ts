// Alertmanager's webhook payload (version "4", as documented for webhook_config), validated before anything is done.
import { z } from 'zod';

const Status = z.enum(['firing', 'resolved']);
/** Label and annotation values are text from every host of the fleet (any length: the body limit bounds them; each
 * is made one line and cut where it is shown). */
const Texts = z.record(z.string(), z.string());

export const WebhookAlertSchema = z.object({
  status: Status,
  labels: Texts,
  annotations: Texts.default({}),
  startsAt: z.string().max(64),
  endsAt: z.string().max(64),
  generatorURL: z.string().max(4096).optional(),
  /** Alertmanager's hash of the labels: the alert's identity across notifications (and across retries). */
  fingerprint: z.string().min(1).max(64),
});
export type WebhookAlert = z.infer<typeof WebhookAlertSchema>;

export const WebhookSchema = z.object({
  version: z.literal('4'),
  /** Identifies the group (route and group labels): one fleet incident while it fires. */
  groupKey: z.string().min(1).max(4096),
  /** How many alerts Alertmanager left out (max_alerts). */
  truncatedAlerts: z.number().int().min(0).default(0),
  status: Status,
  receiver: z.string().max(256),
  groupLabels: Texts,
  commonLabels: Texts,
  commonAnnotations: Texts,
  externalURL: z.string().max(4096),
  alerts: z.array(WebhookAlertSchema).min(1).max(1000),
});
export type Webhook = z.infer<typeof WebhookSchema>;

/** Why a body is not a webhook, in one line naming the fields: `alerts.0.fingerprint: expected string, got undefined`. */
export function webhookProblem(error: z.ZodError): string {
  const parts = error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`);
  if (error.issues.length > 3) parts.push(`and ${error.issues.length - 3} more problems`);
  return parts
    .join('; ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .slice(0, 600);
}
