// The RCA micro-agent: a read-only tool loop over the diagnosis; falls back to the deterministic verdict.
import type { AgentRunner } from '../../llm/agent-runner.js';
import { loadPrompt } from '../../llm/prompts.js';
import { hostJson } from '../../llm/redact.js';
import type { AgentFailureReason, AgentUsage, ToolCallRecord } from '../../llm/run-agent.js';
import { summarizeSnapshot } from '../../model/snapshot-summary.js';
import type { Finding } from '../../model/finding.js';
import type { Snapshot } from '../../model/snapshot.js';
import { pickTools } from '../../tools/registry.js';
import type { ToolCallContext, ToolRegistry } from '../../tools/tool.js';
import type { Diagnosis } from './diagnose.js';
import { READ_TOOL_NAMES } from './tools.js';
import { checkEvidence, RcaAnswerSchema, type RcaCause, type RcaVerdict } from './verdict.js';

/** The RCA's tools, picked by name from the registry: the read-only diagnostics, nothing that changes the host. */
export const RCA_TOOLS: readonly string[] = READ_TOOL_NAMES;

export interface RcaResult {
  verdict: RcaVerdict;
  summary: string;
  causes: RcaCause[];
  recommended_actions: string[];
  source: 'llm' | 'deterministic';
  fallbackReason?: AgentFailureReason;
  fallbackDetail?: string;
  usage: AgentUsage;
  toolCalls: ToolCallRecord[];
}

export interface RunRcaOptions {
  finding: Finding;
  snapshot: Snapshot;
  diagnosis: Diagnosis;
  /** The registry the RCA picks RCA_TOOLS from (an unknown name throws); only read-only ones are offered. */
  registry: ToolRegistry;
  runner: AgentRunner;
  ctx?: Partial<ToolCallContext>;
  maxIterations?: number;
  timeoutMs?: number;
}

const NO_USAGE: AgentUsage = { input_tokens: 0, output_tokens: 0, calls: 0, cost_usd: 0 };

/** The verdict the numbers alone support: cause_found when the diagnosis names a clear culprit, else unknown. */
export function deterministicVerdict(
  diagnosis: Diagnosis,
): Pick<RcaResult, 'verdict' | 'summary' | 'causes' | 'recommended_actions'> {
  const c = diagnosis.culprit;
  // The runbook of this identity, when the chronicle wrote one: what worked before and the manual steps.
  const runbook = diagnosis.past?.runbook ? [`follow the runbook ${diagnosis.past.runbook}`] : [];
  if (!c) {
    return {
      verdict: 'unknown',
      summary: `No clear culprit for ${diagnosis.identity} in the deterministic diagnosis.`,
      causes: [],
      recommended_actions: ['look at the host; the diagnosis does not name a cause', ...runbook],
    };
  }
  const action =
    c.kind === 'process'
      ? `consider stopping PID ${c.pid ?? '?'}`
      : c.kind === 'directory'
        ? `inspect ${c.path ?? 'the directory'}`
        : `check the journal of ${c.unit ?? 'the unit'}`;
  return {
    verdict: 'cause_found',
    summary: c.description,
    causes: [{ cause: c.description, confidence: 0.6, evidence: [c.evidence] }],
    recommended_actions: [action, ...runbook],
  };
}

export async function runRca(options: RunRcaOptions): Promise<RcaResult> {
  const tools = pickTools(options.registry, RCA_TOOLS).filter((t) => t.annotations.readOnlyHint);
  const result = await options.runner({
    system: loadPrompt('rca'),
    userBlocks: [
      'An incident needs a diagnosis. The finding, the deterministic diagnosis and the latest snapshot follow as host data.',
      hostJson('finding', options.finding),
      hostJson('diagnosis', options.diagnosis),
      hostJson('snapshot', summarizeSnapshot(options.snapshot)),
      'Investigate with the tools, then answer with the JSON object only.',
    ],
    tools,
    answerSchema: RcaAnswerSchema,
    checkAnswer: checkEvidence,
    maxIterations: options.maxIterations ?? 6,
    maxTokens: 2048,
    timeoutMs: options.timeoutMs ?? 60_000,
    ctx: { source: 'llm', identity: options.finding.identity, ...options.ctx },
    logBindings: { agent: 'rca', incident: options.finding.identity },
  });
  if (result.ok) {
    const a = result.answer;
    return { ...a, source: 'llm', usage: result.usage, toolCalls: result.toolCalls };
  }
  return {
    ...deterministicVerdict(options.diagnosis),
    source: 'deterministic',
    fallbackReason: result.reason,
    fallbackDetail: result.detail,
    usage: result.usage ?? NO_USAGE,
    toolCalls: result.toolCalls,
  };
}
