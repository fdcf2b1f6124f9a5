// One turn's tool calls: validate each against its ToolDef, run it, and answer every tool_use with a tool_result.
import { z } from 'zod';
import type { Log } from '../log.js';
import { ToolError, type ToolCallContext, type ToolRegistry } from '../tools/tool.js';
import type { ModelToolResultBlock, ModelToolUseBlock } from './client.js';
import { hostJson, redactSecrets } from './redact.js';

/** What the model asked for and what came of it: every call is visible in the agent's result. */
export interface ToolCallRecord {
  turn: number;
  name: string;
  input: unknown;
  isError: boolean;
  /** `tool:<name>#<n>` for a call that ran (the evidence a claim may cite); null when it never reached the tool. */
  resultRef: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
}

/** A run-wide cap on calls that reach a tool (e.g. 3 action calls per incident). */
export interface ToolCallBudget {
  max: number;
  message: string;
}

export interface TurnState {
  /** Calls that ran so far in this run (numbering for refs). */
  executed: number;
  /** Well-formed calls that ran (the budget): a malformed call is refused and recorded but costs no allowance. */
  counted?: number;
  /** Proposals already refused in this run (name + input) → why: the same proposal is not put to the tool again. */
  refused?: Map<string, string>;
}

export interface TurnOptions {
  tools: ToolRegistry;
  ctx: ToolCallContext;
  signal: AbortSignal;
  maxCallsPerTurn: number;
  budget?: ToolCallBudget;
  log: Log;
}

export async function runToolTurn(
  turn: number,
  uses: readonly ModelToolUseBlock[],
  state: TurnState,
  options: TurnOptions,
): Promise<{ results: ModelToolResultBlock[]; calls: ToolCallRecord[] }> {
  const results: ModelToolResultBlock[] = [];
  const calls: ToolCallRecord[] = [];
  const refuse = (use: ModelToolUseBlock, error: string) => {
    results.push({ type: 'tool_result', tool_use_id: use.id, content: error, is_error: true });
    calls.push({ turn, name: use.name, input: use.input, isError: true, resultRef: null, result: null, error });
  };

  for (const [index, use] of uses.entries()) {
    if (index >= options.maxCallsPerTurn) {
      refuse(use, `too many tool calls in one turn (at most ${options.maxCallsPerTurn}); this call was not run`);
      continue;
    }
    const def = options.tools.find((t) => t.name === use.name);
    if (!def) {
      refuse(
        use,
        `no such tool: ${JSON.stringify(use.name.slice(0, 80))}. Available: ${options.tools.map((t) => t.name).join(', ') || '(none)'}`,
      );
      continue;
    }
    // Action tools validate raw input in the gate, which records every refusal: a malformed proposal from the model
    // must land in the registry (source llm) like any other refused action, so it is passed through unparsed.
    const parsed = def.validatesInput
      ? ({ success: true, data: use.input as Record<string, unknown> } as const)
      : def.input.safeParse(use.input);
    if (!parsed.success) {
      refuse(use, `invalid input for ${def.name}: ${z.prettifyError(parsed.error).slice(0, 1000)}`);
      continue;
    }
    const key = `${def.name} ${JSON.stringify(use.input) ?? ''}`;
    const before = state.refused?.get(key);
    if (before !== undefined) {
      refuse(use, `already refused in this run (${before.slice(0, 300)}); do not repeat it`);
      continue;
    }
    // A call whose input does not match the tool's schema is refused by the tool (the gate records it) without
    // using the run's allowance: three malformed calls must not stop a well-formed fourth.
    const wellFormed = !def.validatesInput || def.input.safeParse(use.input).success;
    if (options.budget && wellFormed && (state.counted ?? 0) >= options.budget.max) {
      refuse(use, options.budget.message);
      continue;
    }
    if (options.signal.aborted) {
      refuse(use, 'the agent ran out of time; this call was not run');
      continue;
    }
    state.executed += 1;
    if (wellFormed) state.counted = (state.counted ?? 0) + 1;
    const ref = `tool:${def.name}#${state.executed}`;
    try {
      const result = await raceAbort(def.run(parsed.data, { ...options.ctx, signal: options.signal }), options.signal);
      const refused = result.result === 'refused' || result.isError === true;
      results.push({
        type: 'tool_result',
        tool_use_id: use.id,
        content: `ref: ${ref}\n${hostJson(ref, result)}`,
        ...(refused ? { is_error: true } : {}),
      });
      calls.push({
        turn,
        name: def.name,
        input: parsed.data,
        isError: refused,
        resultRef: ref,
        result,
        error: refused ? String(result.reason ?? 'refused') : null,
      });
      if (result.result === 'refused') (state.refused ??= new Map()).set(key, String(result.reason ?? 'refused'));
    } catch (error) {
      const message = redactSecrets(
        error instanceof ToolError
          ? error.message
          : `${def.name} failed: ${(error as Error)?.message ?? String(error)}`,
      );
      if (!(error instanceof ToolError)) options.log.warn({ tool: def.name, err: error }, 'tool failed');
      const structured = error instanceof ToolError ? (error.structured ?? null) : null;
      results.push({ type: 'tool_result', tool_use_id: use.id, content: `ref: ${ref}\n${message}`, is_error: true });
      calls.push({
        turn,
        name: def.name,
        input: parsed.data,
        isError: true,
        resultRef: ref,
        result: structured,
        error: message,
      });
      if (structured?.result === 'refused') (state.refused ??= new Map()).set(key, message);
    }
  }
  return { results, calls };
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ToolError('the agent ran out of time'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ToolError('the agent ran out of time while this tool ran'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
