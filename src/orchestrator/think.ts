// The model's part of a cycle, loaded only when a cycle needs judgement: analysis, RCA, planning. Never on a healthy cycle.
import { readFileSync } from 'node:fs';
import { diagnose, pastNotes } from '../agents/rca/diagnose.js';
import { pastForDiagnosis } from '../agents/rca/past.js';
import { runRca } from '../agents/rca/agent.js';
import { runAnalysis } from '../agents/evaluator/analysis.js';
import { runPlanner } from '../agents/executor/planner.js';
import type { ActionContext } from '../agents/executor/action.js';
import type { Judgement } from '../agents/incident/handle.js';
import { createAgentRunner } from '../llm/agent-runner.js';
import { createLlmBudget, type LlmBudget } from '../llm/budget.js';
import { createModelClient, type ModelClient } from '../llm/client.js';
import { HistoryPointSchema, type HistoryPoint } from '../model/history.js';
import type { Finding } from '../model/finding.js';
import type { ProblemRecord } from '../model/record.js';
import type { Snapshot } from '../model/snapshot.js';
import { ToolError, type ToolCallContext, type ToolRegistry } from '../tools/tool.js';
import type { Runtime } from './runtime.js';
import { redactSecrets } from '../model/redact.js';
import { oneLine } from '../model/escape.js';

/**
 * The model's part of a cycle: the incident phase's Judgement (deterministic diagnosis always, the RCA micro-agent on
 * top when a key is set, recorded as an `rca` line; the planner proposing actions through the gate, source 'llm'),
 * plus the evaluator's extra findings.
 */
export interface Thinker extends Judgement {
  /** Extra findings from the model (source 'llm'); empty without a key. Never removes rule findings. */
  analyse(snapshot: Snapshot, findings: readonly Finding[]): Promise<Finding[]>;
}

function recentHistory(path: string, max = 48): HistoryPoint[] {
  try {
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-max);
    return lines.flatMap((l) => {
      const p = HistoryPointSchema.safeParse(JSON.parse(l));
      return p.success ? [p.data] : [];
    });
  } catch {
    return [];
  }
}

/** One line per planner run in an alert, however many calls it made (a hostile model must not grow the alert). */
export function plannerLine(r: {
  source: string;
  summary: string | null;
  toolCalls: ReadonlyArray<{ name: string; isError: boolean }>;
  fallbackReason?: string;
}): string[] {
  if (r.toolCalls.length === 0 && r.source === 'none') return [];
  const done = r.toolCalls.filter((c) => !c.isError).map((c) => c.name);
  const refused = r.toolCalls.length - done.length;
  const what =
    r.toolCalls.length === 0
      ? 'no action'
      : [done.length ? `done: ${[...new Set(done)].join(', ')}` : null, refused ? `${refused} refused` : null]
          .filter(Boolean)
          .join('; ');
  const summary = r.summary ? ` — ${oneLine(r.summary).slice(0, 200)}` : '';
  return [`Model (planner): ${what}${summary}`];
}

/** A proposal's input as recorded: bounded, so a hostile model cannot fill the registry. */
function boundedInput(input: unknown): unknown {
  const text = JSON.stringify(input) ?? 'null';
  return text.length <= 2000 ? input : { omitted: `input of ${text.length} characters` };
}

export function createThinker(rt: Runtime, cycleId: string, record: (r: ProblemRecord) => void): Thinker {
  const { config, paths, host, log, registry } = rt;
  const key = config.anthropic.apiKey;
  const client: ModelClient | null = key
    ? createModelClient({
        apiKey: key,
        baseUrl: config.anthropic.baseUrl,
        model: config.anthropic.model,
        fetch: host.fetch,
      })
    : null;
  const budget: LlmBudget | null = key
    ? createLlmBudget({ path: paths.llm, dailyUsd: config.anthropic.dailyUsd, log })
    : null;
  // The read tools see this cycle's snapshot (snapshot.json still holds the previous cycle's until the cycle ends).
  let current: Snapshot | null = null;
  const now = () => host.now();
  // One runner for the cycle's agents; the disk guard reads the free space the cycle's snapshot saw.
  const runner = createAgentRunner({ client, budget, log, now, freeBytes: () => current?.self.stateFreeBytes ?? null });

  // An action the planner calls runs with the context the incident phase gave plan() for that incident (the cycle's
  // id, snapshot, dry-run and buffered notifier), found by the incident its call is for; the call says who asked.
  const planContexts = new Map<string, ActionContext>();
  const planKey = (identity: string | null | undefined, incidentId: string | null | undefined) =>
    `${identity ?? ''}\0${incidentId ?? ''}`;
  const makeCtx = async (call: ToolCallContext): Promise<ActionContext> => {
    const ctx = planContexts.get(planKey(call.identity, call.incidentId));
    if (!ctx) throw new ToolError('in a cycle, an action runs only for the incident the planner is working on');
    return {
      ...ctx,
      source: call.source,
      identity: call.identity ?? ctx.identity,
      incidentId: call.incidentId ?? ctx.incidentId,
    };
  };
  // The cycle's registry, the one MCP serves too (buildToolRegistry), built on first need: never on a healthy cycle or
  // without a key. The Solicitor's hold is MCP's alone: the planner's calls meet the gate as they are.
  let built: Promise<ToolRegistry> | null = null;
  const toolRegistry = () =>
    (built ??= import('./tool-registry.js').then(({ buildToolRegistry }) =>
      buildToolRegistry({
        gate: rt.gate,
        makeCtx,
        deps: { host, config, paths, registry, log, snapshot: () => current },
      }),
    ));

  const llmRecord = (
    f: Finding,
    kind: 'rca' | 'llm' | 'action',
    description: string,
    details: Record<string, unknown>,
  ): ProblemRecord => ({
    ts: host.now().toISOString(),
    severity: 'info',
    type: f.type,
    description,
    action_taken: null,
    action_result: null,
    bead_id: null,
    host: config.hostname ?? host.hostname(),
    kind,
    identity: f.identity,
    incident_id: null,
    source: details.source === 'llm' ? 'llm' : 'rule',
    cycle_id: cycleId,
    details,
  });

  return {
    async analyse(snapshot, findings) {
      if (!client) return [];
      current = snapshot;
      const r = await runAnalysis({
        snapshot,
        findings,
        history: recentHistory(paths.history),
        registry: await toolRegistry(),
        runner,
      });
      if (r.usage.calls > 0 || r.fallbackReason) {
        const anchor = findings[0] ?? {
          identity: 'llm:analysis',
          type: 'self',
          subject: 'analysis',
          severity: 'info',
          description: '',
          source: 'llm',
          details: {},
        };
        record(
          llmRecord(
            anchor as Finding,
            'llm',
            `evaluator analysis: ${r.findings.length} extra findings${r.fallbackReason ? ` (fallback: ${r.fallbackReason})` : ''}`,
            {
              agent: 'evaluator',
              source: r.source,
              usage: r.usage,
              fallback: r.fallbackReason ?? null,
              detail: r.fallbackDetail ?? null,
            },
          ),
        );
      }
      return r.findings;
    },

    async diagnose(decision, snapshot) {
      current = snapshot;
      const f = decision.finding;
      let journal: string[] | undefined;
      if (f.type === 'service' || f.type === 'restart') {
        const j = await host.exec('journalctl', ['-u', f.subject, '-n', '30', '-o', 'cat', '--no-pager'], {
          timeoutMs: 5000,
        });
        if (!j.failed) journal = j.stdout.split('\n').filter(Boolean).slice(-30).map(redactSecrets);
      }
      // What the past says (same identity, this incident left out): a line with numbers and the runbook, never invented.
      const past = await pastForDiagnosis({ registry, paths, now: host.now() }, f.identity, decision.incidentId);
      const diagnosis = await diagnose(f, snapshot, { journal, past });
      const rca = client
        ? await runRca({ finding: f, snapshot, diagnosis, registry: await toolRegistry(), runner })
        : null;
      const summary = rca ? rca.summary : (diagnosis.culprit?.description ?? null);
      record(
        llmRecord(
          f,
          'rca',
          `diagnosis of ${f.identity}: ${rca?.verdict ?? (diagnosis.culprit ? 'cause_found' : 'unknown')}${summary ? ` — ${summary}` : ''}`.slice(
            0,
            1000,
          ),
          {
            source: rca?.source ?? 'deterministic',
            verdict: rca?.verdict ?? (diagnosis.culprit ? 'cause_found' : 'unknown'),
            summary,
            causes: rca?.causes ?? [],
            recommended_actions: rca?.recommended_actions ?? [],
            fallback: rca?.fallbackReason ?? null,
            usage: rca?.usage ?? null,
            diagnosis,
          },
        ),
      );
      const notes = [
        ...(summary ? [`Diagnosis (${rca?.source ?? 'deterministic'}): ${summary}`] : []),
        ...pastNotes(diagnosis),
      ];
      return { diagnosis, rca, notes };
    },

    async plan(decision, snapshot, diagnosis, rca, ctx) {
      if (!client) return [];
      current = snapshot;
      const policy = {
        restartAllowlist: config.restartAllowlist,
        killPatterns: config.killPatterns,
        dryRun: ctx.dryRun,
        tmuxSockets: config.tmuxSockets,
      };
      const tools = await toolRegistry();
      const planned = planKey(decision.identity, decision.incidentId);
      planContexts.set(planned, ctx);
      const r = await runPlanner({
        finding: decision.finding,
        diagnosis,
        rca,
        policy,
        registry: tools,
        runner,
        ctx: { source: 'llm', identity: decision.identity, incidentId: decision.incidentId },
      }).finally(() => planContexts.delete(planned));
      if (r.usage.calls > 0 || r.fallbackReason) {
        record(
          llmRecord(
            decision.finding,
            'llm',
            `planner for ${decision.identity}: ${r.toolCalls.length} proposals${r.fallbackReason ? ` (fallback: ${r.fallbackReason})` : ''}`,
            {
              agent: 'planner',
              source: r.source,
              usage: r.usage,
              fallback: r.fallbackReason ?? null,
              summary: r.summary,
              proposals: r.toolCalls.map((c) => ({ name: c.name, refused: c.isError })),
            },
          ),
        );
      }
      // A proposal stopped before the gate (budget, turn limit, repeated, unknown tool) is still an attempt: recorded.
      for (const c of r.toolCalls.filter((call) => call.resultRef === null)) {
        record({
          ...llmRecord(
            decision.finding,
            'action',
            `${c.name} proposed by the model, not run: ${c.error ?? 'refused'}`.slice(0, 1000),
            {
              source: 'llm',
              agent: 'planner',
              proposal: { name: c.name, input: boundedInput(c.input) },
              reason: c.error,
            },
          ),
          action_taken: c.name.slice(0, 80),
          action_result: 'refused',
          source: 'llm',
          incident_id: decision.incidentId,
        });
      }
      return plannerLine(r);
    },
  };
}
