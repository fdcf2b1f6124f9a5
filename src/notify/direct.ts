// One message straight to Telegram, outside any cycle: Argus's own failures and systemd's OnFailure= notice.
// It needs no state: when the send fails, the message is kept in the outbox only if one is given and writable;
// the caller tries again next cycle with the same id, and a later success takes that copy out of the outbox.
import { renderAlerts, splitLines } from './format.js';
import type { AlertMessage } from './notifier.js';
import { createOutbox } from './outbox.js';

export interface TelegramTarget {
  botToken: string;
  chatId: string;
  apiBase: string;
}

export interface DirectOptions {
  fetch: typeof fetch;
  /** null: no Telegram configured; the message is only logged. */
  telegram: TelegramTarget | null;
  hostname: string;
  now: () => Date;
  /** Keep an undelivered message here for the next cycle's delivery (best effort). */
  outboxPath?: string;
  /** Per request, ms. */
  timeoutMs?: number;
  logWarn?: (text: string) => void;
}

export type DirectStatus = 'sent' | 'queued' | 'logged' | 'failed';

export interface DirectResult {
  status: DirectStatus;
  detail: string;
}

async function post(options: DirectOptions, target: TelegramTarget, text: string, html: boolean): Promise<{ ok: boolean; status: number; detail: string }> {
  const url = `${target.apiBase.replace(/\/+$/, '')}/bot${target.botToken}/sendMessage`;
  const body: Record<string, unknown> = { chat_id: target.chatId, text, disable_web_page_preview: true };
  if (html) body.parse_mode = 'HTML';
  try {
    const response = await options.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    const raw = await response.text().catch(() => '');
    let description = raw.slice(0, 200);
    try {
      description = String((JSON.parse(raw) as { description?: unknown }).description ?? '');
    } catch {
      // not JSON: keep the raw start
    }
    return { ok: response.ok, status: response.status, detail: description.split(target.botToken).join('[redacted]') };
  } catch (error) {
    const name = (error as Error).name;
    const detail = name === 'TimeoutError' || name === 'AbortError' ? 'request timed out' : `network error: ${(error as Error).message}`;
    return { ok: false, status: 0, detail: detail.split(target.botToken).join('[redacted]') };
  }
}

/** Send one alert now. Never throws. */
export async function sendDirect(options: DirectOptions, alert: AlertMessage): Promise<DirectResult> {
  const { telegram } = options;
  if (!telegram) {
    options.logWarn?.(`alert: ${alert.text}`);
    return { status: 'logged', detail: 'no Telegram configured: logged only' };
  }
  const chunk = splitLines(renderAlerts(options.hostname, [alert], options.now()))[0];
  if (!chunk) return { status: 'failed', detail: 'nothing to send' };
  let result = await post(options, telegram, chunk.html, true);
  if (!result.ok && result.status === 400 && /can't parse entities/i.test(result.detail)) result = await post(options, telegram, chunk.plain, false);
  if (result.ok) {
    // An earlier failed try of the same message may wait in the outbox: it must not arrive twice.
    if (options.outboxPath) {
      try {
        const outbox = createOutbox(options.outboxPath);
        if (outbox.read().some((e) => e.id === alert.id)) outbox.remove([alert.id]);
      } catch {
        // A full disk: a duplicate later is better than a lost message now.
      }
    }
    return { status: 'sent', detail: 'sent' };
  }
  const why = result.status ? `Telegram answered ${result.status}: ${result.detail}` : result.detail;
  if (options.outboxPath) {
    try {
      createOutbox(options.outboxPath).add([alert], options.now().toISOString());
      return { status: 'queued', detail: `${why}; kept in the outbox` };
    } catch (error) {
      return { status: 'failed', detail: `${why}; the outbox is not writable either (${(error as Error).message})` };
    }
  }
  return { status: 'failed', detail: why };
}
