// A scripted stand-in for the Anthropic Messages API: answers POST <baseUrl>/v1/messages from a scenario's script and counts calls and tokens.
import { z } from 'zod';

/** The base URL the runtime is given when a scenario's model is scripted (never leaves the process). */
export const SIM_MODEL_URL = 'http://model.sim';

export const ModelAgentSchema = z.enum(['evaluator', 'rca', 'planner']);
export type ModelAgent = z.infer<typeof ModelAgentSchema>;

const tokens = z.number().int().min(0);

export const ScriptedReplySchema = z
  .strictObject({
    /** Served to the next request of this agent (any agent when absent), in script order. */
    agent: ModelAgentSchema.optional(),
    /** Tool calls the model makes in this turn (`input` is sent as given: malformed inputs are part of the test). */
    toolUse: z
      .array(z.strictObject({ name: z.string().min(1), input: z.unknown() }))
      .min(1)
      .optional(),
    /** The final answer: a string is sent verbatim as text, anything else as its JSON. */
    answer: z.unknown().optional(),
    /** Reported usage; by default estimated as one token per 4 characters of the request and of the reply. */
    usage: z.strictObject({ input_tokens: tokens, output_tokens: tokens }).optional(),
  })
  .refine((r) => (r.toolUse === undefined) !== (r.answer === undefined), {
    message: 'a reply has either toolUse or answer',
  });
export type ScriptedReply = z.infer<typeof ScriptedReplySchema>;

export const ScriptedModelSchema = z.strictObject({
  mode: z.literal('scripted'),
  /** When no scripted reply is left for the asking agent: an abstaining answer, or a 400 (the call is reported unexpected). */
  default: z.enum(['healthy', 'error']).default('healthy'),
  replies: z.array(ScriptedReplySchema).default([]),
});
export type ScriptedModelSpec = z.infer<typeof ScriptedModelSchema>;

/** A scenario's model: off (no key, no call), or scripted. */
export const ModelSpecSchema = z.union([z.literal('off'), ScriptedModelSchema]).default('off');
export type ModelSpec = z.infer<typeof ModelSpecSchema>;

export interface ModelCall {
  atMs: number;
  agent: ModelAgent | 'unknown';
  /** Where the reply came from: the script (its index), the healthy default, or an error. */
  served: number | 'default' | 'error';
  inputTokens: number;
  outputTokens: number;
}

/** A tool call the script made, and what Argus answered (filled in when the next request carries the tool_result). */
export interface ModelProposal {
  atMs: number;
  agent: ModelAgent | 'unknown';
  name: string;
  input: unknown;
  toolUseId: string;
  /** null until answered (e.g. the agent stopped before running it). */
  isError: boolean | null;
  result: string | null;
}

export interface ScriptedModel {
  readonly baseUrl: string;
  handles(url: string): boolean;
  answer(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  readonly calls: ModelCall[];
  readonly proposals: ModelProposal[];
  /** Sentences for calls the script did not expect (default "error"). */
  readonly unexpected: string[];
  /** Script replies never served. */
  unused(): number;
  /** Watched strings (secrets planted on the host) found in a request body: what the model must never be sent. */
  readonly leaks: string[];
}

/** Abstaining answers each agent's schema accepts: nothing to add, no cause claimed, no action taken. */
export const HEALTHY_ANSWERS: Record<ModelAgent, unknown> = {
  evaluator: { findings: [] },
  rca: {
    verdict: 'unknown',
    summary: 'Scripted model: nothing beyond the deterministic diagnosis.',
    causes: [],
    recommended_actions: [],
  },
  planner: { summary: 'Scripted model: no action proposed; a person should look.', escalate: true },
};

interface RequestBody {
  model?: unknown;
  system?: unknown;
  messages?: unknown;
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v))
    return v
      .map((b) =>
        b && typeof b === 'object' && typeof (b as { text?: unknown }).text === 'string'
          ? (b as { text: string }).text
          : '',
      )
      .join('\n');
  return '';
}

/** Which micro-agent asks, from the first line of its system prompt (prompts/<agent>.md). */
export function agentOf(system: unknown): ModelAgent | 'unknown' {
  const head = textOf(system).split('\n', 1)[0]!.toLowerCase();
  if (head.includes('anomaly')) return 'evaluator';
  if (head.includes('root-cause')) return 'rca';
  if (head.includes('planner')) return 'planner';
  return 'unknown';
}

const estimate = (text: string): number => Math.max(1, Math.ceil(text.length / 4));
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'request-id': 'req_sim' },
  });

export function createScriptedModel(
  spec: ScriptedModelSpec,
  now: () => Date,
  baseUrl: string = SIM_MODEL_URL,
  watched: readonly string[] = [],
): ScriptedModel {
  const leaks: string[] = [];
  const served = spec.replies.map(() => false);
  const calls: ModelCall[] = [];
  const proposals: ModelProposal[] = [];
  const unexpected: string[] = [];
  const prefix = baseUrl.replace(/\/+$/, '');

  function noteResults(messages: unknown): void {
    if (!Array.isArray(messages)) return;
    for (const m of messages) {
      const content = (m as { content?: unknown }).content;
      if (!Array.isArray(content)) continue;
      for (const b of content as Array<Record<string, unknown>>) {
        if (b?.type !== 'tool_result') continue;
        const p = proposals.find((x) => x.toolUseId === b.tool_use_id);
        if (!p || p.isError !== null) continue;
        p.isError = b.is_error === true;
        p.result = textOf(b.content).slice(0, 300);
      }
    }
  }

  return {
    baseUrl: prefix,
    calls,
    proposals,
    unexpected,
    leaks,
    unused: () => served.filter((s) => !s).length,
    handles: (url) => url === prefix || url.startsWith(`${prefix}/`),

    async answer(input, init) {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      if (method !== 'POST' || new URL(url).pathname !== '/v1/messages')
        return json({ type: 'error', error: { type: 'not_found_error', message: `${method} ${url}` } }, 404);
      const raw =
        init?.body !== undefined && init.body !== null
          ? String(init.body)
          : input instanceof Request
            ? await input.text()
            : '';
      let body: RequestBody;
      try {
        body = JSON.parse(raw) as RequestBody;
      } catch {
        return json({ type: 'error', error: { type: 'invalid_request_error', message: 'body is not JSON' } }, 400);
      }
      noteResults(body.messages);
      const agent = agentOf(body.system);
      for (const w of watched)
        if (raw.includes(w)) leaks.push(`the ${agent} request #${calls.length + 1} contained "${w.slice(0, 6)}…"`);
      const atMs = now().getTime();
      const index = spec.replies.findIndex((r, i) => !served[i] && (r.agent === undefined || r.agent === agent));
      if (index < 0 && spec.default === 'error') {
        unexpected.push(
          `unexpected model call #${calls.length + 1} from ${agent} at ${new Date(atMs).toISOString()} (no scripted reply left)`,
        );
        calls.push({ atMs, agent, served: 'error', inputTokens: 0, outputTokens: 0 });
        return json(
          {
            type: 'error',
            error: { type: 'invalid_request_error', message: 'scripted model: no reply scripted for this call' },
          },
          400,
        );
      }
      const reply: ScriptedReply =
        index >= 0 ? spec.replies[index]! : { answer: agent === 'unknown' ? {} : HEALTHY_ANSWERS[agent] };
      if (index >= 0) served[index] = true;
      const n = calls.length + 1;
      const content = reply.toolUse
        ? reply.toolUse.map((u, i) => ({
            type: 'tool_use' as const,
            id: `toolu_sim_${n}_${i + 1}`,
            name: u.name,
            input: u.input ?? {},
          }))
        : [
            {
              type: 'text' as const,
              text: typeof reply.answer === 'string' ? reply.answer : JSON.stringify(reply.answer),
            },
          ];
      for (const b of content)
        if (b.type === 'tool_use')
          proposals.push({ atMs, agent, name: b.name, input: b.input, toolUseId: b.id, isError: null, result: null });
      const usage = reply.usage ?? { input_tokens: estimate(raw), output_tokens: estimate(JSON.stringify(content)) };
      calls.push({
        atMs,
        agent,
        served: index >= 0 ? index : 'default',
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
      });
      return json({
        id: `msg_sim_${n}`,
        type: 'message',
        role: 'assistant',
        model: typeof body.model === 'string' ? body.model : 'scripted',
        content,
        stop_reason: reply.toolUse ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage,
      });
    },
  };
}
