// check_now: the collector and the evaluator on demand — the findings as of now. No action, no state written.
import { z } from 'zod';
import { collect } from '../../agents/collector/collect.js';
import { emptyEvaluatorState, evaluate, EvaluatorStateSchema } from '../../agents/evaluator/evaluate.js';
import { SamplesSchema } from '../../agents/collector/samples.js';
import { readJsonState } from '../../state/atomic.js';
import { defineTool } from '../../tools/define.js';
import type { ToolDef } from '../../tools/tool.js';
import type { AgentToolDeps } from './deps.js';

const FindingOut = z.object({
  identity: z.string(),
  severity: z.string(),
  description: z.string(),
  confirmed: z.boolean(),
});
export const CheckNowOutput = z.object({
  ts: z.string(),
  findings: z.array(FindingOut),
  gaps: z.array(z.string()),
  collectMs: z.number(),
});

export function checkNowTool(deps: AgentToolDeps): ToolDef {
  return defineTool({
    name: 'check_now',
    title: 'Check the machine now',
    description:
      'Look at the machine right now (memory, swap, disks, CPU, services, processes, tmux, probes) and evaluate the rules, ' +
      'without acting and without writing any state. `confirmed` is false for a condition seen now that the rules would ' +
      'only report after more cycles (a one-cycle blip). Use it to see whether a problem is still there.',
    input: z.strictObject({}),
    output: CheckNowOutput,
    // Reads the live host: not idempotent (the answer changes), not destructive.
    annotations: {
      title: 'Check the machine now',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: false,
    },
    async run() {
      const { host, config, paths } = deps;
      const previous = readJsonState(paths.samples, SamplesSchema.nullable(), () => null);
      const { snapshot } = await collect({ host, config, previous, stateDir: paths.stateDir, consecutiveFailures: 0 });
      const state = readJsonState(paths.evaluator, EvaluatorStateSchema, emptyEvaluatorState);
      const confirmed = evaluate(snapshot, state, config).findings;
      // The same snapshot with every confirmation at one cycle: what is wrong right now, confirmed or not.
      const now = evaluate(snapshot, emptyEvaluatorState(), {
        ...config,
        confirmCycles: Object.fromEntries(
          Object.keys(config.confirmCycles).map((k) => [k, 1]),
        ) as typeof config.confirmCycles,
      }).findings;
      const seen = new Set(confirmed.map((f) => f.identity));
      const all = [...confirmed, ...now.filter((f) => !seen.has(f.identity))];
      return {
        ts: snapshot.ts,
        findings: all.map((f) => ({
          identity: f.identity,
          severity: f.severity,
          description: f.description,
          confirmed: seen.has(f.identity),
        })),
        gaps: snapshot.gaps.map((g) => `${g.collector}: ${g.error}`),
        collectMs: snapshot.collectMs,
      };
    },
  });
}
