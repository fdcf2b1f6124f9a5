// The planning micro-agent: proposes actions by calling the action tools, which pass the gate; bounded per incident.
import { z } from 'zod';
import type { AgentRunner } from '../../llm/agent-runner.js';
import { loadPrompt } from '../../llm/prompts.js';
import { hostJson } from '../../llm/redact.js';
import type { AgentFailureReason, AgentUsage, ToolCallRecord } from '../../llm/run-agent.js';
import { ACTION_NAMES } from '../../model/action.js';
import type { Finding } from '../../model/finding.js';
import { pickTools } from '../../tools/registry.js';
import type { ToolCallContext, ToolRegistry } from '../../tools/tool.js';

/** The planner's tools, picked by name from the registry: the seven actions, each through the gate. */
export const PLANNER_TOOLS: readonly string[] = ACTION_NAMES;

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
  /** The registry the planner picks PLANNER_TOOLS from (an unknown name throws); each action goes through the gate. */
  registry: ToolRegistry;
  runner: AgentRunner;
  /** Who asks and for which incident: the gate records each action call with it (source 'llm'). */
  ctx?: Partial<ToolCallContext>;
  maxActions?: number;
}

export async function runPlanner(options: RunPlannerOptions): Promise<PlannerResult> {
  const maxActions = options.maxActions ?? MAX_ACTIONS_PER_INCIDENT;
  const policy = typeof options.policy === 'string' ? options.policy : JSON.stringify(options.policy, null, 1);
  const result = await options.runner({
    system: loadPrompt('planner'),
    userBlocks: [
      `Policy the gate enforces (configuration, not host data):\n<policy>\n${policy}\n</policy>`,
      hostJson('finding', options.finding),
      hostJson('diagnosis', options.diagnosis),
      hostJson('rca', options.rca ?? null),
      `Act with at most ${maxActions} action calls, then answer with the JSON object only.`,
    ],
    tools: pickTools(options.registry, PLANNER_TOOLS),
    answerSchema: PlannerAnswerSchema,
    toolBudget: {
      max: maxActions,
      message: `budget: at most ${maxActions} action calls per incident; this call was not run`,
    },
    maxIterations: 4,
    maxTokens: 1024,
    ctx: { source: 'llm', identity: options.finding.identity, ...options.ctx },
    logBindings: { agent: 'planner', incident: options.finding.identity },
  });
  if (!result.ok) {
    return {
      source: 'none',
      summary: null,
      escalate: true,
      fallbackReason: result.reason,
      fallbackDetail: result.detail,
      toolCalls: result.toolCalls,
      usage: result.usage,
    };
  }
  return {
    source: 'llm',
    summary: result.answer.summary,
    escalate: result.answer.escalate,
    toolCalls: result.toolCalls,
    usage: result.usage,
  };
}
