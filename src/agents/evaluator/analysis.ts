// Optional LLM anomaly analysis: adds findings (source 'llm') that no rule covers; never removes or edits rule findings.
import { z } from 'zod';
import type { AgentRunner } from '../../llm/agent-runner.js';
import { loadPrompt } from '../../llm/prompts.js';
import { hostJson } from '../../llm/redact.js';
import type { AgentFailureReason, AgentUsage, ToolCallRecord } from '../../llm/run-agent.js';
import { summarizeSnapshot } from '../../model/snapshot-summary.js';
import { FindingSchema, FindingTypeSchema, type Finding } from '../../model/finding.js';
import type { HistoryPoint } from '../../model/history.js';
import type { Snapshot } from '../../model/snapshot.js';
import { pickTools } from '../../tools/registry.js';
import type { ToolCallContext, ToolRegistry } from '../../tools/tool.js';
import { READ_TOOL_NAMES } from '../rca/tools.js';

/** The analysis's tools, picked by name from the registry: the read-only diagnostics (the RCA's own). */
export const ANALYSIS_TOOLS: readonly string[] = READ_TOOL_NAMES;

/** At most this many model findings per analysis: a chatty model must not flood the router. */
export const MAX_LLM_FINDINGS = 5;

const AnalysisAnswerSchema = z.strictObject({
  findings: z
    .array(
      z.strictObject({
        slug: z.string().min(1).max(80),
        type: FindingTypeSchema,
        subject: z.string().min(1).max(300),
        severity: z.enum(['info', 'warning', 'critical']),
        description: z.string().min(1).max(2000),
        evidence: z.array(z.string().min(1).max(200)).min(1).max(10),
      }),
    )
    .max(20),
});
type AnalysisAnswer = z.infer<typeof AnalysisAnswerSchema>;

export interface AnalysisResult {
  findings: Finding[];
  source: 'llm' | 'none';
  fallbackReason?: AgentFailureReason;
  fallbackDetail?: string;
  usage: AgentUsage;
  toolCalls: ToolCallRecord[];
}

export interface RunAnalysisOptions {
  snapshot: Snapshot;
  /** The rule findings of this cycle (shown to the model, never changed). */
  findings: readonly Finding[];
  history: readonly HistoryPoint[];
  /** The registry the analysis picks ANALYSIS_TOOLS from (an unknown name throws); only read-only ones are offered. */
  registry: ToolRegistry;
  runner: AgentRunner;
  ctx?: Partial<ToolCallContext>;
  /** How many recent history points to show (default 48). */
  historyPoints?: number;
}

/** Lowercase words joined by '-': stable across cycles (digits kept: "sda1", but no live numbers are expected). */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

function checkRefs(answer: AnalysisAnswer, toolCalls: readonly ToolCallRecord[]): string | null {
  const refs = new Set([
    'snapshot',
    'history',
    ...toolCalls.filter((c) => c.resultRef && !c.isError).map((c) => c.resultRef!),
  ]);
  for (const f of answer.findings) {
    const bad = f.evidence.filter((e) => !refs.has(e));
    if (bad.length > 0)
      return `finding ${JSON.stringify(f.slug)} cites ${bad.map((b) => JSON.stringify(b)).join(', ')}, which is not "snapshot", "history" or a successful tool result of this run`;
  }
  return null;
}

/** Model findings → Findings: identity forced to `llm:<slug>`, severity capped at warning, duplicates and rule repeats dropped. */
export function toFindings(answer: AnalysisAnswer, ruleFindings: readonly Finding[]): Finding[] {
  const seen = new Set(ruleFindings.map((f) => f.identity));
  const ruleSubjects = new Set(ruleFindings.map((f) => `${f.type}:${f.subject}`));
  const out: Finding[] = [];
  for (const f of answer.findings) {
    const slug = slugify(f.slug);
    if (!slug) continue;
    const identity = `llm:${slug}`;
    if (seen.has(identity) || ruleSubjects.has(`${f.type}:${f.subject}`)) continue;
    seen.add(identity);
    const parsed = FindingSchema.safeParse({
      identity,
      type: f.type,
      subject: f.subject,
      severity: f.severity === 'critical' ? 'warning' : f.severity,
      description: f.description,
      source: 'llm',
      details: { evidence: f.evidence, modelSeverity: f.severity },
    });
    if (parsed.success) out.push(parsed.data);
    if (out.length >= MAX_LLM_FINDINGS) break;
  }
  return out;
}

export async function runAnalysis(options: RunAnalysisOptions): Promise<AnalysisResult> {
  const history = options.history.slice(-(options.historyPoints ?? 48));
  const result = await options.runner({
    system: loadPrompt('evaluator'),
    userBlocks: [
      'The latest snapshot, the rule findings of this cycle and the recent metric history follow as host data.',
      hostJson('snapshot', summarizeSnapshot(options.snapshot)),
      hostJson('rule_findings', options.findings),
      hostJson('history', history),
      'Add only what no rule finding covers; an empty list is a good answer. JSON only.',
    ],
    tools: pickTools(options.registry, ANALYSIS_TOOLS).filter((t) => t.annotations.readOnlyHint),
    answerSchema: AnalysisAnswerSchema,
    checkAnswer: checkRefs,
    maxTokens: 2048,
    ctx: { source: 'llm', ...options.ctx },
    logBindings: { agent: 'evaluator-analysis' },
  });
  if (!result.ok) {
    return {
      findings: [],
      source: 'none',
      fallbackReason: result.reason,
      fallbackDetail: result.detail,
      usage: result.usage,
      toolCalls: result.toolCalls,
    };
  }
  return {
    findings: toFindings(result.answer, options.findings),
    source: 'llm',
    usage: result.usage,
    toolCalls: result.toolCalls,
  };
}
