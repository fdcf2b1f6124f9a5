// The rca agent's read-only diagnostics, served to micro-agents and to Athena over MCP. None changes anything.
import type { ToolDef } from '../../tools/tool.js';
import type { ReadToolDeps, ReadToolOptions } from './read-tools/deps.js';
import { getDiskUsageTool } from './read-tools/get-disk-usage.js';
import { getMetricHistoryTool } from './read-tools/get-metric-history.js';
import { getRunbookTool } from './read-tools/get-runbook.js';
import { getServiceTool } from './read-tools/get-service.js';
import { getStatusTool } from './read-tools/get-status.js';
import { getTopProcessesTool } from './read-tools/get-top-processes.js';
import { queryProblemsTool } from './read-tools/query-problems.js';
import { searchIncidentsTool } from './read-tools/search-incidents.js';

export type { ReadToolDeps, ReadToolOptions } from './read-tools/deps.js';

export const READ_TOOL_NAMES = [
  'get_status',
  'query_problems',
  'get_top_processes',
  'get_service',
  'get_disk_usage',
  'get_metric_history',
  'get_runbook',
  'search_incidents',
] as const;

export function readTools(deps: ReadToolDeps, options: ReadToolOptions = {}): ToolDef[] {
  return [
    getStatusTool(deps),
    queryProblemsTool(deps),
    getTopProcessesTool(deps),
    getServiceTool(deps),
    getDiskUsageTool(deps, options),
    getMetricHistoryTool(deps),
    getRunbookTool(deps),
    searchIncidentsTool(deps),
  ];
}
