// The planning micro-agent: proposes actions by calling the action tools, which pass the gate; bounded per incident.
import { z } from 'zod';
import type { LlmBudget } from '../../llm/budget.js';
import type { ModelClient } from '../../llm/client.js';
import { loadPrompt } from '../../llm/prompts.js';
import { hostJson } from '../../llm/redact.js';
import { runAgent, type AgentFailureReason, type AgentUsage, type ToolCallRecord } from '../../llm/run-agent.js';
import type { Log } from '../../log.js';
import type { Finding } from '../../model/finding.js';
import type { ToolCallContext, ToolRegistry } from '../../tools/tool.js';

/** Action calls that reach the gate per incident; more are answered with an is_error "budget" result. */
export const MAX_ACTIONS_PER_INCIDENT = 3;

// Strict: an answer with keys the instructions do not name (an invented "action_taken") is refused, not recorded.
const PlannerAnswerSchema = z.strictObject({
  summary: z.string().min(1).max(2000),
  escalate: z.boolean().default(false),
});

export interface PlannerResult {
  source: 'llm' | 'none';
  summary: string | null;
  escalate: boolean;
  fallbackReason?: AgentFailureReason;
  fallbackDetail?: string;
  /** Every action call the model made, refused or not, with the gate's structured result. */
  toolCalls: ToolCallRecord[];
  usage: AgentUsage;
}

export interface RunPlannerOptions {
  finding: Finding;
  /** The deterministic diagnosis (host text inside). */
  diagnosis: unknown;
  /** The RCA result, when there is one. */
  rca: unknown;
  /** What policy allows, in words or data (allowlists, dry-run): so the model proposes what can pass. */
  policy: Record<string, unknown> | string;
  /** The action tools; each goes through the gate with source 'llm'. */
  actionTools: ToolRegistry;
  client: ModelClient | null;
  budget: LlmBudget | null;
  log: Log;
  freeBytes?: number | null;
  ctx?: Partial<ToolCallContext>;
  maxActions?: number;
  now?: () => Date;
}

export async function runPlanner(options: RunPlannerOptions): Promise<PlannerResult> {
  const log = options.log.child({ agent: 'planner', incident: options.finding.identity });
  const maxActions = options.maxActions ?? MAX_ACTIONS_PER_INCIDENT;
  const policy = typeof options.policy === 'string' ? options.policy : JSON.stringify(options.policy, null, 1);
  const result = await runAgent({
    client: options.client,
    system: loadPrompt('planner'),
    userBlocks: [
      `Policy the gate enforces (configuration, not host data):\n<policy>\n${policy}\n</policy>`,
      hostJson('finding', options.finding),
      hostJson('diagnosis', options.diagnosis),
      hostJson('rca', options.rca ?? null),
      `Act with at most ${maxActions} action calls, then answer with the JSON object only.`,
    ],
    tools: options.actionTools,
    answerSchema: PlannerAnswerSchema,
    toolBudget: { max: maxActions, message: `budget: at most ${maxActions} action calls per incident; this call was not run` },
    maxIterations: 4,
    maxTokens: 1024,
    ctx: { source: 'llm', identity: options.finding.identity, ...options.ctx },
    log,
    budget: options.budget,
    freeBytes: options.freeBytes ?? null,
    ...(options.now ? { now: options.now } : {}),
  });
  if (!result.ok) {
    return { source: 'none', summary: null, escalate: true, fallbackReason: result.reason, fallbackDetail: result.detail, toolCalls: result.toolCalls, usage: result.usage };
  }
  return { source: 'llm', summary: result.answer.summary, escalate: result.answer.escalate, toolCalls: result.toolCalls, usage: result.usage };
}
