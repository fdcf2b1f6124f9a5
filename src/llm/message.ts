// The model's reply, checked: the response shape (a compatible endpoint may send anything) and the final JSON answer.
import { z } from 'zod';
import type { ModelTextBlock, ModelToolUseBlock } from './client.js';

const TextBlockSchema = z.object({ type: z.literal('text'), text: z.string() });
const ToolUseBlockSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string(),
  input: z.unknown(),
});

export const ModelMessageSchema = z.object({
  content: z.array(z.looseObject({ type: z.string() })),
  stop_reason: z.string().nullable().optional(),
  usage: z.looseObject({ input_tokens: z.number().nonnegative(), output_tokens: z.number().nonnegative() }),
});

export interface ParsedReply {
  text: ModelTextBlock[];
  toolUses: ModelToolUseBlock[];
  stopReason: string | null;
  usage: { input_tokens: number; output_tokens: number };
}

/** Null with a reason when the body is not a Messages API reply. Unknown block types (thinking, …) are dropped. */
export function parseReply(body: unknown): { ok: true; reply: ParsedReply } | { ok: false; detail: string } {
  const parsed = ModelMessageSchema.safeParse(body);
  if (!parsed.success)
    return { ok: false, detail: `malformed response: ${z.prettifyError(parsed.error).slice(0, 300)}` };
  const text: ModelTextBlock[] = [];
  const toolUses: ModelToolUseBlock[] = [];
  for (const block of parsed.data.content) {
    if (block.type === 'text') {
      const t = TextBlockSchema.safeParse(block);
      if (!t.success) return { ok: false, detail: 'malformed text block' };
      text.push(t.data);
    } else if (block.type === 'tool_use') {
      const u = ToolUseBlockSchema.safeParse(block);
      if (!u.success) return { ok: false, detail: 'malformed tool_use block' };
      toolUses.push({ type: 'tool_use', id: u.data.id, name: u.data.name, input: u.data.input });
    }
  }
  const { input_tokens, output_tokens } = parsed.data.usage;
  return {
    ok: true,
    reply: { text, toolUses, stopReason: parsed.data.stop_reason ?? null, usage: { input_tokens, output_tokens } },
  };
}

/** The final answer: the last text block as JSON (a ```json fence allowed, or a preface before the object). */
export function extractJson(text: string): { ok: true; value: unknown } | { ok: false; detail: string } {
  const candidates: string[] = [];
  const fences = [...text.matchAll(/```(?:json)?\s*\n?([\s\S]*?)```/gi)];
  const lastFence = fences.at(-1)?.[1];
  if (lastFence !== undefined) candidates.push(lastFence);
  candidates.push(text);
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(text.slice(first, last + 1));
  for (const candidate of candidates) {
    try {
      return { ok: true, value: JSON.parse(candidate.trim()) };
    } catch {
      // next candidate
    }
  }
  return { ok: false, detail: 'the final answer is not JSON' };
}
