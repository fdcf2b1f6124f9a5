// A scripted Anthropic Messages API on msw: each request gets the next scripted turn; any extra call fails the test.
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import { expect } from 'vitest';
import { createModelClient, type ModelClient } from '../../src/llm/client.js';

export const MODEL_BASE_URL = 'http://anthropic.test';

export interface ScriptedRequest {
  n: number;
  body: {
    model: string;
    system: string;
    max_tokens: number;
    messages: Array<{ role: string; content: unknown }>;
    tools?: Array<{ name: string; description: string; input_schema: Record<string, unknown> }>;
  };
  headers: Headers;
}

/** A turn returns a Response (faults), or a message body (sent as JSON 200). */
export type Turn = (
  req: ScriptedRequest,
) => Response | Record<string, unknown> | Promise<Response | Record<string, unknown>>;

export interface Script {
  /** Every request received, in order (including unexpected ones). */
  requests: ScriptedRequest[];
  /** Fails the test if a call beyond the script was made, or (with `all`) if the script was not used up. */
  verify(opts?: { all?: boolean }): void;
}

export function scriptModel(server: SetupServer, turns: readonly Turn[]): Script {
  const requests: ScriptedRequest[] = [];
  const unexpected: number[] = [];
  server.use(
    http.post('*/v1/messages', async ({ request }) => {
      const n = requests.length;
      const body = (await request.json()) as ScriptedRequest['body'];
      const req: ScriptedRequest = { n, body, headers: request.headers };
      requests.push(req);
      const turn = turns[n];
      if (!turn) {
        unexpected.push(n);
        return new HttpResponse(null, { status: 400, headers: { 'x-should-retry': 'false' } });
      }
      const out = await turn(req);
      return out instanceof Response ? out : HttpResponse.json(out);
    }),
  );
  return {
    requests,
    verify(opts = {}) {
      expect(unexpected, `unexpected extra model call(s) #${unexpected.join(', #')}`).toEqual([]);
      if (opts.all !== false) expect(requests.length, 'scripted turns left unused').toBe(turns.length);
    },
  };
}

let idCounter = 0;

export const text = (t: string) => ({ type: 'text', text: t });
export const toolUse = (name: string, input: unknown, id = `toolu_${++idCounter}`) => ({
  type: 'tool_use',
  id,
  name,
  input,
});

/** A Messages API reply body. */
export function reply(content: unknown[], stop_reason?: string, usage = { input_tokens: 100, output_tokens: 50 }) {
  const hasTools = content.some((b) => (b as { type: string }).type === 'tool_use');
  return {
    id: `msg_${++idCounter}`,
    type: 'message',
    role: 'assistant',
    model: 'claude-haiku-4-5',
    content,
    stop_reason: stop_reason ?? (hasTools ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage,
  };
}

/** A turn answering with this JSON as the final text. */
export const answer = (value: unknown) => () => reply([text(JSON.stringify(value))]);
/** A turn calling tools. */
export const calls =
  (...uses: Array<ReturnType<typeof toolUse>>) =>
  () =>
    reply(uses);

export function testClient(opts: { maxRetries?: number; timeoutMs?: number } = {}): ModelClient {
  return createModelClient({
    apiKey: 'sk-ant-test-key-0000000000',
    baseUrl: MODEL_BASE_URL,
    maxRetries: opts.maxRetries ?? 0,
    timeoutMs: opts.timeoutMs ?? 20_000,
  });
}

/** All text the model was shown in a request (system unless `system: false`, every text / tool_result block). */
export function promptText(req: ScriptedRequest, opts: { system?: boolean } = {}): string {
  const parts: string[] = opts.system === false ? [] : [req.body.system];
  for (const m of req.body.messages) {
    if (typeof m.content === 'string') parts.push(m.content);
    else
      for (const b of m.content as Array<Record<string, unknown>>) {
        if (typeof b.text === 'string') parts.push(b.text);
        if (typeof b.content === 'string') parts.push(b.content);
      }
  }
  return parts.join('\n');
}
