import { describe, expect, it } from 'vitest';
import { BufferedNotifier } from '../../src/notify/buffered.js';
import type { AlertMessage, DeliveryReport, Notifier } from '../../src/notify/notifier.js';

const alert = (id: string): AlertMessage => ({
  id,
  ts: '2026-05-01T12:00:00.000Z',
  severity: 'info',
  text: id,
  identity: null,
});

function recording(): Notifier & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    channel: 'test',
    calls,
    async deliver(alerts): Promise<DeliveryReport> {
      calls.push(alerts.map((a) => a.id));
      return { status: 'delivered', delivered: alerts.length, queued: 0, detail: 'ok' };
    },
  };
}

describe('BufferedNotifier', () => {
  it('queues during the cycle and sends everything in one deliver at flush', async () => {
    const inner = recording();
    const buffered = new BufferedNotifier(inner);
    expect(buffered.channel).toBe('test');
    expect(await buffered.deliver([alert('a')])).toMatchObject({
      status: 'queued',
      detail: 'sent at the end of the cycle',
    });
    await buffered.deliver([alert('b'), alert('c')]);
    expect(inner.calls).toEqual([]);
    expect(await buffered.flush()).toMatchObject({ status: 'delivered', delivered: 3 });
    expect(inner.calls).toEqual([['a', 'b', 'c']]);
    await buffered.flush();
    expect(inner.calls).toEqual([['a', 'b', 'c'], []]);
  });

  it('keeps the buffer when the inner notifier throws', async () => {
    const buffered = new BufferedNotifier({
      channel: 'broken',
      deliver: () => Promise.reject(new Error('disk full')),
    });
    await buffered.deliver([alert('a')]);
    await expect(buffered.flush()).rejects.toThrow('disk full');
    expect(buffered.size).toBe(1);
  });
});
