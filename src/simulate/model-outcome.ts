// The model's part of a replay: calls and tokens per agent, and every tool call the scripted model proposed with Argus's answer.
import type { ScriptedModel } from '../host/simulated/model.js';
import type { ProblemRecord } from '../model/record.js';

export interface ModelNote {
  mode: 'off' | 'scripted';
  /** Every request the model answered (scripted), or the usage the registry recorded (off: always 0). */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  byAgent: Record<string, { calls: number; tokens: number }>;
  /** Tool calls the scripted model made, and whether Argus answered them with an error (refused, invalid, over budget). */
  proposals: Array<{
    minute: number;
    agent: string;
    name: string;
    input: unknown;
    refused: boolean | null;
    result: string | null;
  }>;
  /** Calls the script had no reply for (default "error"). */
  unexpected: string[];
  /** Scripted replies never served. */
  unused: number;
  /** Requests that carried a string the model must never be sent (expect.model.neverSent). */
  leaks: string[];
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function summarizeModel(
  records: readonly ProblemRecord[],
  model: ScriptedModel | null,
  minute: (ms: number) => number,
): ModelNote {
  const note: ModelNote = {
    mode: model ? 'scripted' : 'off',
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    byAgent: {},
    proposals: [],
    unexpected: [],
    unused: 0,
    leaks: [],
  };
  if (!model) {
    for (const r of records) {
      if (r.kind !== 'llm' && r.kind !== 'rca') continue;
      const u = (r.details.usage ?? null) as Record<string, unknown> | null;
      if (!u) continue;
      note.calls += num(u.calls);
      note.inputTokens += num(u.inputTokens ?? u.input_tokens);
      note.outputTokens += num(u.outputTokens ?? u.output_tokens);
    }
    return note;
  }
  for (const c of model.calls) {
    note.calls++;
    note.inputTokens += c.inputTokens;
    note.outputTokens += c.outputTokens;
    const a = (note.byAgent[c.agent] ??= { calls: 0, tokens: 0 });
    a.calls++;
    a.tokens += c.inputTokens + c.outputTokens;
  }
  note.proposals = model.proposals.map((p) => ({
    minute: minute(p.atMs),
    agent: p.agent,
    name: p.name,
    input: p.input,
    refused: p.isError,
    result: p.result,
  }));
  note.unexpected = [...model.unexpected];
  note.unused = model.unused();
  note.leaks = [...model.leaks];
  return note;
}
