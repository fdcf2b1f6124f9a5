// Stub tools for agent tests: read-only diagnostics returning fixed data, and the seven actions behind a stub gate
// that refuses like the real one (PID 1, services off the allowlist) and records every attempt.
import { z } from 'zod';
import { READ_TOOL_NAMES } from '../../src/agents/rca/tools.js';
import { ACTION_INPUT_SCHEMAS, ACTION_NAMES, type ActionResult } from '../../src/model/action.js';
import { ToolError, type ToolDef } from '../../src/tools/tool.js';

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const destructive = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false };

export interface ToolLog {
  calls: Array<{ name: string; input: unknown; source: string }>;
}

export function readOnlyTools(log: ToolLog, data: { processes?: unknown[]; journal?: string[] } = {}): ToolDef[] {
  const record = (name: string) => (input: unknown, ctx: { source: string }) =>
    log.calls.push({ name, input, source: ctx.source });
  return [
    {
      name: 'get_top_processes',
      title: 'Top processes',
      description: 'Top processes by memory, CPU or swap.',
      input: z.strictObject({
        by: z.enum(['rss', 'cpu', 'swap']).default('rss'),
        limit: z.number().int().min(1).max(50).default(10),
      }),
      annotations: readOnly,
      async run(input, ctx) {
        record('get_top_processes')(input, ctx);
        return { processes: data.processes ?? [{ pid: 4242, comm: 'java', rssBytes: 6e9, memPct: 75 }] };
      },
    },
    {
      name: 'get_service',
      title: 'Service status',
      description: 'One unit state and its last journal lines.',
      input: z.strictObject({ unit: z.string().min(1).max(256), lines: z.number().int().min(1).max(200).default(50) }),
      annotations: readOnly,
      async run(input, ctx) {
        record('get_service')(input, ctx);
        return { unit: input.unit, activeState: 'failed', journal: data.journal ?? ['segfault at 0'] };
      },
    },
  ];
}

/**
 * Every read tool an agent picks by name (READ_TOOL_NAMES, in that order): get_top_processes and get_service as above,
 * the others answer `{}`. What an agent is handed when it picks from the registry.
 */
export function readRegistry(log: ToolLog, data: { processes?: unknown[]; journal?: string[] } = {}): ToolDef[] {
  const given = readOnlyTools(log, data);
  return READ_TOOL_NAMES.map(
    (name): ToolDef =>
      given.find((t) => t.name === name) ?? {
        name,
        title: name,
        description: `The ${name} read tool (a stub).`,
        input: z.object({}),
        annotations: readOnly,
        async run(input, ctx) {
          log.calls.push({ name, input, source: ctx.source });
          return {};
        },
      },
  );
}

/** The stub gate's policy, as the real one: restart allowlist, kill allowlist, never PID 1 or sshd. */
export const POLICY = {
  restartAllowlist: ['nginx.service'],
  killPatterns: ['node'],
  alivePids: new Map([
    [4242, 'node'],
    [1, 'systemd'],
    [777, 'sshd'],
  ]),
};

export interface GateLog {
  attempts: Array<{ action: string; input: unknown; source: string; result: ActionResult['result']; reason: string }>;
  /** What actually "changed the host". */
  executed: Array<{ action: string; input: unknown }>;
}

function stubGate(action: string, input: Record<string, unknown>): { result: ActionResult['result']; reason: string } {
  if (action === 'kill_pid') {
    const pid = input.pid as number;
    if (pid <= 1) return { result: 'refused', reason: 'PID 1 and non-positive PIDs are never signalled' };
    const comm = POLICY.alivePids.get(pid);
    if (!comm) return { result: 'refused', reason: `PID ${pid} is not alive` };
    if (!POLICY.killPatterns.includes(comm))
      return { result: 'refused', reason: `${comm} is not on the kill allowlist` };
  }
  if (action === 'restart_service') {
    const unit = String(input.service).endsWith('.service')
      ? String(input.service)
      : `${String(input.service)}.service`;
    if (!POLICY.restartAllowlist.includes(unit))
      return { result: 'refused', reason: `${unit} is not on the restart allowlist` };
  }
  if (action === 'kill_tmux' && !/^[A-Za-z0-9_.-]+$/.test(String(input.session))) {
    return { result: 'refused', reason: 'tmux session name not sanitised' };
  }
  if (input.dry_run === true) return { result: 'dry_run', reason: 'dry run' };
  return { result: 'success', reason: 'done' };
}

export function actionTools(gate: GateLog): ToolDef[] {
  return ACTION_NAMES.map((name) => ({
    name,
    title: name,
    description: `The ${name} action (goes through the gate).`,
    input: ACTION_INPUT_SCHEMAS[name] as z.ZodObject,
    annotations: name === 'log' || name === 'alert' ? { ...destructive, destructiveHint: false } : destructive,
    async run(input: Record<string, unknown>, ctx) {
      const verdict = stubGate(name, input);
      gate.attempts.push({ action: name, input, source: ctx.source, ...verdict });
      if (verdict.result === 'success') gate.executed.push({ action: name, input });
      const structured = { result: verdict.result, reason: verdict.reason, details: {}, record: null };
      // As the real action tools do: a refusal is a ToolError carrying the structured result.
      if (verdict.result === 'refused') throw new ToolError(`${name} refused: ${verdict.reason}`, structured);
      return structured;
    },
  }));
}
