// One agent runner per face, bound once: the model client, cost budget, log, clock and disk guard every micro-agent shares.
import type { Log } from '../log.js';
import type { LlmBudget } from './budget.js';
import type { ModelClient } from './client.js';
import { runAgent, type RunAgentOptions, type RunAgentResult } from './run-agent.js';

export interface AgentRunnerOptions {
  /** Null: no API key; every run returns the `no_key` failure without a request (the agents' deterministic path). */
  client: ModelClient | null;
  budget: LlmBudget | null;
  log: Log;
  now: () => Date;
  /** Free bytes on the state filesystem, read when a run starts (the disk guard); absent: not checked. */
  freeBytes?: () => number | null;
}

/** What an agent states: its prompt, user blocks, tools, answer schema, checks, limits and the call context. */
export interface AgentSpec<T> extends Omit<RunAgentOptions<T>, 'client' | 'budget' | 'log' | 'now' | 'freeBytes'> {
  /** Bindings for the run's log lines (`{ agent: 'rca', incident }`), on a child of the bound log. */
  logBindings?: Record<string, unknown>;
}

export interface AgentRunner {
  <T>(spec: AgentSpec<T>): Promise<RunAgentResult<T>>;
  /** The bound log: an agent's own lines (a rejected answer) go to a child of it. */
  readonly log: Log;
}

/** Bind the shared options once; `runAgent` stays the loop and each call adds only the agent's part. */
export function createAgentRunner(options: AgentRunnerOptions): AgentRunner {
  const { client, budget, log, now, freeBytes } = options;
  const run = <T>({ logBindings, ...spec }: AgentSpec<T>): Promise<RunAgentResult<T>> =>
    runAgent({
      ...spec,
      client,
      budget,
      log: logBindings ? log.child(logBindings) : log,
      now,
      ...(freeBytes ? { freeBytes: freeBytes() } : {}),
    });
  return Object.assign(run, { log });
}
