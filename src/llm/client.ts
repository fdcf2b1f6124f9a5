// The model client behind a narrow port. The Anthropic SDK is imported lazily, on the first call only.
// No runtime imports here on purpose: loading this module must cost nothing on a healthy cycle.
import type { ModelToolParam } from '../tools/anthropic.js';

export interface ModelTextBlock {
  type: 'text';
  text: string;
}
export interface ModelToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}
export interface ModelToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error?: boolean;
}
export type ModelContentBlock = ModelTextBlock | ModelToolUseBlock | ModelToolResultBlock;

export interface ModelMessageParam {
  role: 'user' | 'assistant';
  content: string | ModelContentBlock[];
}

export type { ModelToolParam };

export interface ModelRequest {
  system: string;
  messages: ModelMessageParam[];
  tools: ModelToolParam[];
  max_tokens: number;
}

export type ModelFailureKind =
  'rate_limit' | 'overloaded' | 'server' | 'timeout' | 'aborted' | 'connection' | 'auth' | 'client' | 'malformed';

export interface ModelFailure {
  kind: ModelFailureKind;
  status: number | null;
  /** From the `retry-after` header, seconds, when the API sent one. */
  retryAfterSec: number | null;
  detail: string;
}

/** `message` is the raw response body: the caller validates its shape (a compatible endpoint may send anything). */
export type ModelCallResult = { ok: true; message: unknown } | { ok: false; failure: ModelFailure };

export interface ModelClient {
  readonly model: string;
  /** Never throws: an API failure is a value. */
  create(request: ModelRequest, options?: { signal?: AbortSignal }): Promise<ModelCallResult>;
}

type Sdk = typeof import('@anthropic-ai/sdk');

export interface ModelClientOptions {
  apiKey: string;
  /** ANTHROPIC_BASE_URL: a compatible endpoint. */
  baseUrl?: string;
  model?: string;
  fetch?: typeof fetch;
  maxRetries?: number;
  /** Per request (the SDK default is 10 minutes; ours is the whole agent's budget). */
  timeoutMs?: number;
  /** Test seam: how the SDK module is loaded. */
  loadSdk?: () => Promise<Sdk>;
}

export const DEFAULT_MODEL = 'claude-haiku-4-5';

/**
 * A `retry-after` longer than this is not waited out inside the SDK's retry loop: the agent's 60 s budget
 * would be spent sleeping. The response is marked `x-should-retry: false`, and the budget backs off instead.
 */
const MAX_INLINE_RETRY_SEC = 10;

export function createModelClient(options: ModelClientOptions): ModelClient {
  const model = options.model ?? DEFAULT_MODEL;
  const loadSdk = options.loadSdk ?? (() => import('@anthropic-ai/sdk'));
  let loaded: Promise<{ sdk: Sdk; client: InstanceType<Sdk['Anthropic']> }> | null = null;

  const load = () => {
    loaded ??= loadSdk().then((sdk) => ({
      sdk,
      client: new sdk.Anthropic({
        apiKey: options.apiKey,
        ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
        maxRetries: options.maxRetries ?? 2,
        timeout: options.timeoutMs ?? 60_000,
        fetch: capRetryAfter(options.fetch),
      }),
    }));
    return loaded;
  };

  return {
    model,
    async create(request, callOptions = {}) {
      let sdk: Sdk | null = null;
      try {
        const l = await load();
        sdk = l.sdk;
        const { tools, ...rest } = request;
        const params = { model, ...rest, ...(tools.length ? { tools } : {}) } as unknown as Parameters<
          typeof l.client.messages.create
        >[0];
        const message: unknown = await l.client.messages.create(
          { ...params, stream: false },
          callOptions.signal ? { signal: callOptions.signal } : {},
        );
        return { ok: true, message };
      } catch (error) {
        return { ok: false, failure: classify(error, sdk) };
      }
    },
  };
}

function capRetryAfter(inner: typeof fetch | undefined): typeof fetch {
  return async (input, init) => {
    const response = await (inner ?? globalThis.fetch)(input, init);
    if (response.ok) return response;
    const after = retryAfterSec(response.headers);
    if (after === null || after <= MAX_INLINE_RETRY_SEC) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

function retryAfterSec(headers: Headers | undefined | null): number | null {
  const text = headers?.get('retry-after');
  if (!text) return null;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, (at - Date.now()) / 1000);
}

function classify(error: unknown, sdk: Sdk | null): ModelFailure {
  const detail = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error).slice(0, 500);
  const base = { status: null, retryAfterSec: null, detail };
  if (!sdk) return { ...base, kind: 'client', detail: `could not load the Anthropic SDK: ${detail}` };
  if (error instanceof sdk.APIUserAbortError) return { ...base, kind: 'aborted' };
  if (error instanceof sdk.APIConnectionTimeoutError) return { ...base, kind: 'timeout' };
  if (error instanceof sdk.APIConnectionError) return { ...base, kind: 'connection' };
  if (error instanceof sdk.APIError) {
    const status = typeof error.status === 'number' ? error.status : null;
    const retry = retryAfterSec(error.headers as Headers | undefined);
    const failure = { status, retryAfterSec: retry, detail };
    if (status === 429) return { ...failure, kind: 'rate_limit' };
    if (status === 529) return { ...failure, kind: 'overloaded' };
    if (status === 408) return { ...failure, kind: 'timeout' };
    if (status === 401 || status === 403) return { ...failure, kind: 'auth' };
    if (status !== null && status >= 500) return { ...failure, kind: 'server' };
    return { ...failure, kind: 'client' };
  }
  // A body that is not JSON, or anything else the SDK could not make sense of.
  return { ...base, kind: 'malformed' };
}
