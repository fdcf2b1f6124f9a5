// The notification seam: the alert action, self-alerts and recovery notices all go through a Notifier.
import type { Severity } from '../model/finding.js';

export interface AlertMessage {
  /** Stable key for exactly-once delivery from the outbox. */
  id: string;
  ts: string;
  severity: Severity;
  /** Plain text; the channel escapes it. */
  text: string;
  identity: string | null;
}

export interface DeliveryReport {
  /** 'delivered': the channel accepted it; 'queued': kept in the outbox for a later cycle; 'logged': no channel configured. */
  status: 'delivered' | 'queued' | 'logged' | 'failed';
  delivered: number;
  queued: number;
  detail: string;
}

export interface Notifier {
  readonly channel: string;
  /** Deliver this cycle's alerts (aggregated: at most two messages per chat), after any older ones waiting in the outbox. */
  deliver(alerts: readonly AlertMessage[]): Promise<DeliveryReport>;
}
