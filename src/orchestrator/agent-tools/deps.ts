// What the micro-agents served as tools need: the same narrow ports as the read tools.
export type { ReadToolDeps as AgentToolDeps } from '../../agents/rca/tools.js';
