// The micro-agent tool loop (classic: the whole history is resent each turn), bounded in turns, tokens, time and cost.
import type { z } from 'zod';
import type { Log } from '../log.js';
import { toAnthropicTools } from '../tools/anthropic.js';
import type { ToolCallContext, ToolRegistry } from '../tools/tool.js';
import type { LlmBudget } from './budget.js';
import { costUsd } from './budget.js';
import type { ModelClient, ModelFailure, ModelMessageParam } from './client.js';
import { extractJson, parseReply } from './message.js';
import { runToolTurn, type ToolCallBudget, type ToolCallRecord, type TurnState } from './tool-turn.js';

export type { ToolCallRecord, ToolCallBudget } from './tool-turn.js';

export type AgentFailureReason =
  'no_key' | 'budget' | 'api_error' | 'timeout' | 'invalid_answer' | 'max_iterations' | 'backoff' | 'low_disk';

export interface AgentUsage {
  input_tokens: number;
  output_tokens: number;
  calls: number;
  cost_usd: number;
}

export type RunAgentResult<T> =
  | { ok: true; answer: T; usage: AgentUsage; toolCalls: ToolCallRecord[] }
  | { ok: false; reason: AgentFailureReason; detail: string; usage: AgentUsage; toolCalls: ToolCallRecord[] };

export interface RunAgentOptions<T> {
  /** Null: no API key; the caller takes its deterministic path. */
  client: ModelClient | null;
  system: string;
  /** The first user turn, one text block each (host text already inside host_data blocks). */
  userBlocks: readonly string[];
  tools: ToolRegistry;
  answerSchema: z.ZodType<T>;
  /** Checks that need the run (e.g. evidence refs exist among the tool calls); a message makes the answer invalid. */
  checkAnswer?: (answer: T, toolCalls: readonly ToolCallRecord[]) => string | null;
  maxIterations?: number;
  maxTokens?: number;
  timeoutMs?: number;
  maxCallsPerTurn?: number;
  toolBudget?: ToolCallBudget;
  ctx: ToolCallContext;
  log: Log;
  budget?: LlmBudget | null;
  /** Free bytes on the state filesystem (the disk guard); null: unknown. */
  freeBytes?: number | null;
  now?: () => Date;
}

export async function runAgent<T>(options: RunAgentOptions<T>): Promise<RunAgentResult<T>> {
  const now = options.now ?? (() => new Date());
  const maxIterations = options.maxIterations ?? 6;
  const usage: AgentUsage = { input_tokens: 0, output_tokens: 0, calls: 0, cost_usd: 0 };
  const toolCalls: ToolCallRecord[] = [];
  const log = options.log;
  const fail = (reason: AgentFailureReason, detail: string): RunAgentResult<T> => {
    log.warn({ reason, detail, usage, toolCalls: toolCalls.length }, 'agent fell back');
    return { ok: false, reason, detail, usage, toolCalls };
  };

  const client = options.client;
  if (!client) return fail('no_key', 'no ANTHROPIC_API_KEY configured: deterministic path only');
  const first = options.budget?.canCall(now(), options.freeBytes);
  if (first && !first.ok) return fail(first.reason, first.detail);

  const timeoutMs = options.timeoutMs ?? 60_000;
  const signals = [AbortSignal.timeout(timeoutMs), ...(options.ctx.signal ? [options.ctx.signal] : [])];
  const signal = AbortSignal.any(signals);
  const tools = toAnthropicTools(options.tools);
  const messages: ModelMessageParam[] = [
    { role: 'user', content: options.userBlocks.map((text) => ({ type: 'text', text })) },
  ];
  const turnState: TurnState = { executed: 0 };
  let allowed = maxIterations;
  let retried = false;
  let succeeded = false;

  const failure = (f: ModelFailure, detail: string): RunAgentResult<T> => {
    const timedOut = f.kind === 'aborted' || f.kind === 'timeout';
    options.budget?.recordFailure({ ...f, kind: timedOut ? 'timeout' : f.kind }, now());
    return fail(timedOut ? 'timeout' : 'api_error', detail);
  };

  for (let turn = 1; ; turn++) {
    if (turn > 1) {
      const verdict = options.budget?.canCall(now(), options.freeBytes);
      if (verdict && !verdict.ok) return fail(verdict.reason, verdict.detail);
    }
    if (signal.aborted) return fail('timeout', `the agent exceeded ${timeoutMs} ms`);
    const response = await client.create(
      { system: options.system, messages, tools, max_tokens: options.maxTokens ?? 2048 },
      { signal },
    );
    if (!response.ok) return failure(response.failure, `${response.failure.kind}: ${response.failure.detail}`);
    const parsed = parseReply(response.message);
    if (!parsed.ok) {
      return failure({ kind: 'malformed', status: null, retryAfterSec: null, detail: parsed.detail }, parsed.detail);
    }
    const reply = parsed.reply;
    usage.calls += 1;
    usage.input_tokens += reply.usage.input_tokens;
    usage.output_tokens += reply.usage.output_tokens;
    usage.cost_usd += costUsd(reply.usage);
    options.budget?.recordUsage(reply.usage, now());
    if (!succeeded) options.budget?.recordSuccess(now());
    succeeded = true;
    log.debug({ turn, stop: reply.stopReason, toolUses: reply.toolUses.length, usage: reply.usage }, 'model turn');

    if (reply.toolUses.length > 0) {
      messages.push({ role: 'assistant', content: [...reply.text, ...reply.toolUses.map(boundedToolUse)] });
      if (turn >= allowed) {
        for (const use of reply.toolUses) {
          toolCalls.push({
            turn,
            name: use.name,
            input: use.input,
            isError: true,
            resultRef: null,
            result: null,
            error: 'iteration limit reached; not run',
          });
        }
        return fail('max_iterations', `still calling tools after ${turn} model calls (limit ${maxIterations})`);
      }
      const { results, calls } = await runToolTurn(turn, reply.toolUses, turnState, {
        tools: options.tools,
        ctx: options.ctx,
        signal,
        maxCallsPerTurn: options.maxCallsPerTurn ?? 10,
        ...(options.toolBudget ? { budget: options.toolBudget } : {}),
        log,
      });
      toolCalls.push(...calls);
      messages.push({ role: 'user', content: results });
      continue;
    }

    const checked = checkFinal(reply.text.at(-1)?.text ?? '', options, toolCalls);
    if (checked.ok) return { ok: true, answer: checked.answer, usage, toolCalls };
    if (retried) return fail('invalid_answer', checked.detail);
    retried = true;
    allowed = Math.max(allowed, turn + 1);
    messages.push({
      role: 'assistant',
      content: reply.text.length > 0 ? reply.text : [{ type: 'text', text: '(no text)' }],
    });
    messages.push({
      role: 'user',
      content: [
        {
          type: 'text',
          text: `Your final answer was not valid: ${checked.detail}\nReply again with only the JSON object, in the shape the instructions give, and nothing else.`,
        },
      ],
    });
  }
}

/** Tool-use inputs above this many characters of JSON are not replayed in later turns (the call itself saw them all). */
export const MAX_REPLAYED_INPUT_CHARS = 2000;

/**
 * The whole history is resent every turn: a 100,000-character tool input would be paid for again each turn (one hostile
 * cycle cost 306,704 input tokens). The call already ran with its full input; history keeps a stub.
 */
function boundedToolUse<U extends { input: unknown }>(use: U): U {
  const size = (JSON.stringify(use.input) ?? '').length;
  return size <= MAX_REPLAYED_INPUT_CHARS
    ? use
    : { ...use, input: { omitted: `input of ${size} characters, not replayed` } };
}

function checkFinal<T>(
  text: string,
  options: RunAgentOptions<T>,
  toolCalls: readonly ToolCallRecord[],
): { ok: true; answer: T } | { ok: false; detail: string } {
  const json = extractJson(text);
  if (!json.ok) return json;
  const parsed = options.answerSchema.safeParse(json.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, detail: `the answer does not match the schema (${issues.join('; ')})` };
  }
  const problem = options.checkAnswer?.(parsed.data, toolCalls) ?? null;
  return problem ? { ok: false, detail: problem } : { ok: true, answer: parsed.data };
}
