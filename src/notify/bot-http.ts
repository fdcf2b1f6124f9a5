// One HTTP request to the Bot API, for every caller (sendMessage in send.ts, the Solicitor's methods in
// telegram-api.ts): POST JSON, a bounded wait, the JSON answer or the network failure in words. The token travels in
// the URL: no text this returns contains it.

/** A Telegram chat as Argus reaches it: the bot's token, the chat and the API base (config/api-base.ts). */
export interface TelegramTarget {
  botToken: string;
  chatId: string;
  apiBase: string;
}

export interface BotPayload {
  ok?: boolean;
  result?: unknown;
  description?: string;
  parameters?: { retry_after?: number };
}

export type BotHttp =
  { kind: 'answer'; status: number; httpOk: boolean; payload: BotPayload } | { kind: 'network'; detail: string };

/** The bot token out of a text (an error message may quote the URL). */
export function redactToken(target: Pick<TelegramTarget, 'botToken'>, value: string): string {
  return target.botToken ? value.split(target.botToken).join('[redacted]') : value;
}

export async function postBot(
  fetchFn: typeof fetch,
  target: TelegramTarget,
  method: string,
  body: Record<string, unknown>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<BotHttp> {
  try {
    const timeout = AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs))); // an integer, or it throws
    const response = await fetchFn(`${target.apiBase.replace(/\/+$/, '')}/bot${target.botToken}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const raw = await response.text();
    let payload: BotPayload;
    try {
      payload = JSON.parse(raw) as BotPayload;
    } catch {
      payload = { description: raw.slice(0, 200) };
    }
    return { kind: 'answer', status: response.status, httpOk: response.ok, payload };
  } catch (error) {
    const name = (error as Error).name;
    const detail =
      name === 'TimeoutError' || name === 'AbortError'
        ? 'request timed out'
        : `network error: ${(error as Error).message}`;
    return { kind: 'network', detail: redactToken(target, detail) };
  }
}
