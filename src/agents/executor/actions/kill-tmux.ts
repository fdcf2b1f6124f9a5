// kill_tmux: end one tmux session by its exact name (`=NAME`), on the default or a configured socket; verify it is gone.
import { ActionDeniedError } from '../../../errors.js';
import { KillTmuxInputSchema, type ActionInput } from '../../../model/action.js';
import type { ActionContext, ActionDef, ActionOutcomeValue } from '../action.js';
import { quote, safeText } from '../sanitise.js';

/** tmux matches `-t` by prefix and an empty target hits the latest session: names are restricted and always `=`-prefixed. */
export const TMUX_SESSION_RULE = /^[A-Za-z0-9._-]{1,128}$/;
const RULE_TEXT = '1 to 128 characters, only letters, digits, ".", "_" and "-"';

type Input = ActionInput<'kill_tmux'>;

function socketArgs(input: Input): string[] {
  return input.socket === undefined ? [] : ['-S', input.socket];
}

function where(input: Input): string {
  return input.socket === undefined ? 'the default tmux socket' : `socket ${quote(input.socket, 200)}`;
}

async function hasSession(ctx: ActionContext, input: Input): Promise<{ exists: boolean; error: string | null }> {
  const r = await ctx.host.exec('tmux', [...socketArgs(input), 'has-session', '-t', `=${input.session}`], {
    timeoutMs: 5000,
  });
  if (r.spawnError) return { exists: false, error: `tmux could not run (${safeText(r.spawnError, 100)})` };
  if (r.timedOut) return { exists: false, error: 'tmux did not answer within 5 s' };
  return { exists: r.exitCode === 0, error: null };
}

export function createKillTmux(): ActionDef<typeof KillTmuxInputSchema> {
  const deny = (reason: string): never => {
    throw new ActionDeniedError('kill_tmux', reason);
  };
  return {
    name: 'kill_tmux',
    schema: KillTmuxInputSchema,
    target: (input) => (input.socket === undefined ? input.session : `${input.session}@${input.socket}`),

    async guard(input, ctx) {
      if (!TMUX_SESSION_RULE.test(input.session))
        deny(`session name ${quote(input.session)} is not allowed: ${RULE_TEXT}`);
      if (input.socket !== undefined && !ctx.config.tmuxSockets.includes(input.socket)) {
        deny(`socket ${quote(input.socket, 200)} is not one of the configured tmux sockets`);
      }
      const has = await hasSession(ctx, input);
      if (has.error) deny(has.error);
      if (!has.exists) deny(`no tmux session named exactly ${quote(input.session)} on ${where(input)}`);
    },

    async execute(input, ctx): Promise<ActionOutcomeValue> {
      const r = await ctx.host.exec('tmux', [...socketArgs(input), 'kill-session', '-t', `=${input.session}`], {
        timeoutMs: 5000,
      });
      const after = await hasSession(ctx, input);
      const details = {
        session: input.session,
        socket: input.socket ?? null,
        exitCode: r.exitCode,
        stderr: safeText(r.stderr.trim(), 200),
      };
      if (!after.error && !after.exists)
        return {
          result: 'success',
          reason: `tmux session ${quote(input.session)} on ${where(input)} is gone`,
          details,
        };
      return {
        result: 'failure',
        reason: after.error ?? `tmux session ${quote(input.session)} still exists after kill-session`,
        details,
      };
    },
  };
}
