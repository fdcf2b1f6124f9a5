// The RCA answer: a verdict, and causes that cite the tool results they rest on. Abstaining is a first-class answer.
import { z } from 'zod';
import type { ToolCallRecord } from '../../llm/run-agent.js';

export const RcaVerdictSchema = z.enum(['cause_found', 'healthy', 'unknown']);
export type RcaVerdict = z.infer<typeof RcaVerdictSchema>;

export const RcaCauseSchema = z.strictObject({
  cause: z.string().min(1).max(1000),
  confidence: z.number().min(0).max(1),
  /** Refs of the tool results this rests on, e.g. "tool:get_top_processes#1". */
  evidence: z.array(z.string().min(1).max(200)).max(20),
});
export type RcaCause = z.infer<typeof RcaCauseSchema>;

export const RcaAnswerSchema = z
  .strictObject({
    verdict: RcaVerdictSchema,
    summary: z.string().min(1).max(4000),
    causes: z.array(RcaCauseSchema).max(10).default([]),
    recommended_actions: z.array(z.string().min(1).max(1000)).max(10).default([]),
  })
  .superRefine((answer, ctx) => {
    if (answer.verdict !== 'cause_found') return;
    if (answer.causes.length === 0)
      ctx.addIssue({ code: 'custom', path: ['causes'], message: 'cause_found needs at least one cause' });
    answer.causes.forEach((cause, i) => {
      if (cause.evidence.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['causes', i, 'evidence'],
          message: 'every cause must cite at least one tool result ref',
        });
      }
    });
  });
export type RcaAnswer = z.infer<typeof RcaAnswerSchema>;

/** After the run: every evidence ref must name a tool call that ran and succeeded in this run. */
export function checkEvidence(answer: RcaAnswer, toolCalls: readonly ToolCallRecord[]): string | null {
  const refs = new Set(toolCalls.filter((c) => c.resultRef && !c.isError).map((c) => c.resultRef));
  for (const cause of answer.causes) {
    const missing = cause.evidence.filter((ref) => !refs.has(ref));
    if (missing.length > 0) {
      const known = [...refs].join(', ') || 'none: call a tool first';
      return `evidence ${missing.map((m) => JSON.stringify(m)).join(', ')} does not name a successful tool result of this run (available: ${known})`;
    }
  }
  return null;
}
