// summarize_period: the chronicler's analysis of a period — recurring problems, patterns, action outcomes, MTTR.
import { z } from 'zod';
import { aggregate } from '../../agents/chronicler/aggregate.js';
import { SinceSchema, sinceMs } from '../../agents/rca/read-tools/since.js';
import { defineTool, READ_ONLY } from '../../tools/define.js';
import { ToolError, type ToolDef } from '../../tools/tool.js';
import type { AgentToolDeps } from './deps.js';

const TOP = 10;

export function summarizePeriodTool(deps: AgentToolDeps): ToolDef {
  return defineTool({
    name: 'summarize_period',
    title: 'Summarise a period',
    description:
      'What happened over a period ("24h", "7d" or an ISO timestamp; default 7d): the most frequent problems, patterns ' +
      '(recurring, time of day, disk filling, memory creep, leak suspects), how actions turned out, time to detect and ' +
      'recover, and the hotspots. Read-only; the same analysis the daily chronicle writes into runbooks.',
    input: z.strictObject({ since: SinceSchema.default('7d') }),
    annotations: { title: 'Summarise a period', ...READ_ONLY },
    async run(input) {
      const now = deps.host.now();
      const from = sinceMs(input.since, now);
      if (from === null)
        throw new ToolError(`since: expected "24h", "7d" or an ISO timestamp, got ${JSON.stringify(input.since)}`);
      const a = await aggregate({
        registryPath: deps.paths.registry,
        historyPath: deps.paths.history,
        since: new Date(from),
        until: now,
      });
      return {
        since: a.since,
        until: a.until,
        records: a.records,
        problems: a.problems.slice(0, TOP),
        patterns: a.patterns.slice(0, TOP),
        outcomes: a.outcomes.slice(0, TOP),
        timings: a.timings.slice(0, TOP),
        hotspots: a.hotspots.slice(0, TOP),
        incidents: a.incidents.length,
      };
    },
  });
}
