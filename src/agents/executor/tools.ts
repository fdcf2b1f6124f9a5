// The seven allowlisted actions as tools. Each call goes through the gate (schema → guard → rate → mode → audit).
import { ACTION_INPUT_SCHEMAS, type ActionName, type ActionResult } from '../../model/action.js';
import { defineTool } from '../../tools/define.js';
import { ToolError, type ToolAnnotations, type ToolCallContext, type ToolDef } from '../../tools/tool.js';
import type { ActionContext, Gate } from './action.js';

type Hints = Omit<ToolAnnotations, 'title'>;
const DESTRUCTIVE: Hints = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false };
const ADDITIVE: Hints = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };

const REFUSALS =
  ' Refused (an error result with the reason, recorded in the registry) when policy forbids it; never retry a refusal unchanged.' +
  ' Returns {result: success|failure|skipped|dry_run, reason, details, record}.';

/** What a model (or Athena) reads: what the action does, when to use it, what it refuses. */
export const ACTION_TOOL_INFO: Record<ActionName, { title: string; description: string; hints: Hints }> = {
  restart_service: {
    title: 'Restart a service',
    description:
      'Restart one systemd unit with `systemctl restart`, then check it came back. Use when a watched service is down or ' +
      'failed and its journal suggests a restart can help. Only units on the restart allowlist; restarts back off ' +
      '(repeated restarts of the same unit are skipped until the backoff passes). Set dry_run to see what would happen.' +
      REFUSALS,
    hints: DESTRUCTIVE,
  },
  kill_pid: {
    title: 'Kill a process',
    description:
      'Send SIGTERM to one process, then SIGKILL if it has not exited after a grace period. Use for a runaway memory/CPU hog ' +
      'or an orphaned test runner seen in the latest snapshot (get_top_processes). Refuses PID 1, kernel threads, Argus and ' +
      'its parents, PIDs not in the latest snapshot or reused since, and commands whose name is not on the kill allowlist.' +
      REFUSALS,
    hints: DESTRUCTIVE,
  },
  kill_tmux: {
    title: 'Kill a tmux session',
    description:
      'Kill one tmux session by its exact name (no prefix matching), on the default socket or a configured one. Use for an ' +
      'abandoned agent session that holds memory. Refuses names with characters outside [A-Za-z0-9._-], sockets that are not ' +
      'configured, and sessions that do not exist.' +
      REFUSALS,
    hints: DESTRUCTIVE,
  },
  alert: {
    title: 'Alert the operators',
    description:
      'Send a message to the operators (Telegram when configured; otherwise kept in the outbox and the log). Use when a ' +
      'person must know or decide: a problem Argus cannot fix, or a fix that failed. Plain text; be brief and specific. ' +
      'Rate-limited per cycle.' +
      REFUSALS,
    hints: { ...ADDITIVE, openWorldHint: true },
  },
  log: {
    title: 'Record an observation',
    description:
      "Append one observation to Argus's observations file, for the record and later analysis; changes nothing on the host. " +
      'Use for something worth remembering that needs no action now. Repeated observations of the same incident escalate.' +
      REFUSALS,
    hints: ADDITIVE,
  },
  create_bead: {
    title: 'File a ticket (bead)',
    description:
      'Create a beads (`bd`) issue for a problem that needs follow-up work by a person, with a title and a description of ' +
      'what was seen and tried. An open ticket for the same problem is reused rather than duplicated.' +
      REFUSALS,
    hints: { ...ADDITIVE, openWorldHint: true },
  },
  clean_disk: {
    title: 'Clean safe temporary files',
    description:
      'Delete old files from a fixed safelist only: /tmp and /var/tmp entries older than the age threshold, selected ' +
      "~/.cache subdirectories, rotated logs (*.log.N.gz) and Argus's own rotated logs. Takes no paths: nothing outside " +
      'the safelist is ever touched, symlinks are never followed, files held open are kept. Use when a disk is filling and ' +
      'get_disk_usage shows those places are large. Reports bytes reclaimed.' +
      REFUSALS,
    hints: DESTRUCTIVE,
  },
};

/**
 * The seven action tools. `makeCtx` builds the ActionContext for one call (host, config, latest snapshot, notifier,
 * dry-run mode); the gate records every attempt with `call.source`. A refusal or a failure is thrown as a ToolError
 * carrying the structured result, so both faces show it as an error result.
 */
/**
 * Held for a person (the Solicitor): a request policy does not allow alone but a person may approve becomes an
 * approval request instead of a refusal; null lets the gate decide as usual.
 */
export type HoldForApproval = (
  action: ActionName,
  input: unknown,
  ctx: ActionContext,
  call: ToolCallContext,
) => Promise<{ id: string; expiresAt: string } | null>;

export function actionTools(
  gate: Gate,
  makeCtx: (call: ToolCallContext) => Promise<ActionContext>,
  hold?: HoldForApproval,
): ToolDef[] {
  return (Object.keys(ACTION_INPUT_SCHEMAS) as ActionName[]).map((name) => {
    const info = ACTION_TOOL_INFO[name];
    return defineTool({
      name,
      title: info.title,
      description: info.description,
      input: ACTION_INPUT_SCHEMAS[name],
      annotations: { title: info.title, ...info.hints },
      validatesInput: true,
      async run(input, call) {
        const ctx = await makeCtx(call);
        const held = hold ? await hold(name, input, ctx, call) : null;
        if (held) {
          return {
            result: 'pending',
            reason: `pending approval ${held.id}: a person decides on Telegram until ${held.expiresAt}; get_approval tells its state`,
            details: { approval: held.id, expiresAt: held.expiresAt },
            record: null,
          };
        }
        const result: ActionResult = await gate.run(
          {
            action: name,
            input,
            source: call.source,
            identity: call.identity ?? null,
            incidentId: call.incidentId ?? null,
          },
          ctx,
        );
        const structured = {
          result: result.result,
          reason: result.reason,
          details: result.details,
          record: result.record,
        };
        if (result.result === 'refused' || result.result === 'failure') {
          throw new ToolError(`${name} ${result.result}: ${result.reason}`, structured);
        }
        return structured;
      },
    });
  });
}
