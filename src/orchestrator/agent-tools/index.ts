// The micro-agents served as tools (MCP for Athena; the same registry a model could be handed): each composes agents,
// so they live with the orchestrator, not inside one agent.
import type { ToolDef } from '../../tools/tool.js';
import { checkNowTool } from './check-now.js';
import type { AgentToolDeps } from './deps.js';
import { diagnoseIncidentTool } from './diagnose-incident.js';
import { listIncidentsTool } from './list-incidents.js';
import { silenceTool } from './silence.js';
import { summarizePeriodTool } from './summarize-period.js';

export const AGENT_TOOL_NAMES = [
  'check_now',
  'list_incidents',
  'diagnose_incident',
  'summarize_period',
  'silence',
] as const;

export function agentTools(deps: AgentToolDeps): ToolDef[] {
  return [
    checkNowTool(deps),
    listIncidentsTool(deps),
    diagnoseIncidentTool(deps),
    summarizePeriodTool(deps),
    silenceTool(deps),
  ];
}
