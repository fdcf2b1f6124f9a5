// Buffer a cycle's alerts and send them in one deliver() at the end: at most two messages per cycle per chat.
import type { AlertMessage, DeliveryReport, Notifier } from './notifier.js';

export class BufferedNotifier implements Notifier {
  private buffer: AlertMessage[] = [];

  constructor(private readonly inner: Notifier) {}

  get channel(): string {
    return this.inner.channel;
  }

  /** How many alerts wait for flush(). */
  get size(): number {
    return this.buffer.length;
  }

  async deliver(alerts: readonly AlertMessage[]): Promise<DeliveryReport> {
    this.buffer.push(...alerts);
    return { status: 'queued', delivered: 0, queued: alerts.length, detail: 'sent at the end of the cycle' };
  }

  /** Send everything buffered in one inner deliver() (also when empty: that drains the channel's outbox). */
  async flush(): Promise<DeliveryReport> {
    const alerts = this.buffer;
    this.buffer = [];
    try {
      return await this.inner.deliver(alerts);
    } catch (error) {
      this.buffer = [...alerts, ...this.buffer];
      throw error;
    }
  }
}
