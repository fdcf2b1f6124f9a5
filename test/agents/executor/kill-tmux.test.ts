// kill_tmux against a real tmux server on a private socket: exact names only, odd names and unknown sockets refused.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKillTmux } from '../../../src/agents/executor/actions/kill-tmux.js';
import { createGate } from '../../../src/agents/executor/gate.js';
import type { Gate } from '../../../src/agents/executor/action.js';
import { sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
let sock: string;
let gate: Gate;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', sock, ...args], { encoding: 'utf8' });
}
function sessions(): string[] {
  try {
    return tmux('list-sessions', '-F', '#{session_name}').trim().split('\n').filter(Boolean).sort();
  } catch {
    return []; // no server: no sessions
  }
}

beforeEach(() => {
  sb = sandbox();
  sock = join(sb.dir, 'sock');
  sb.ctx.config.tmuxSockets = [sock];
  tmux('new-session', '-d', '-s', 'agent-1', 'sleep 600');
  tmux('new-session', '-d', '-s', 'agent-10', 'sleep 600');
  gate = createGate([createKillTmux()], { registry: sb.registry, now: () => new Date(), host: 'testhost' });
});

afterEach(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  sb.cleanup();
});

describe('kill_tmux', () => {
  it('kills exactly the named session, not its prefix look-alike, and verifies it is gone', async () => {
    expect(sessions()).toEqual(['agent-1', 'agent-10']);
    const r = await gate.run(
      { action: 'kill_tmux', input: { session: 'agent-1', socket: sock, reason: 't' }, source: 'rule' },
      sb.ctx,
    );
    expect(r.result, r.reason).toBe('success');
    expect(sessions()).toEqual(['agent-10']);
    expect(sb.records()[0]!.action_result).toBe('success');
  });

  it('refuses a prefix of an existing session (tmux would match `agent` to agent-1)', async () => {
    const r = await gate.run(
      { action: 'kill_tmux', input: { session: 'agent', socket: sock, reason: 't' }, source: 'llm' },
      sb.ctx,
    );
    expect(r.result).toBe('refused');
    expect(r.reason).toMatch(/no tmux session named exactly "agent"/);
    expect(sessions()).toEqual(['agent-1', 'agent-10']);
  });

  it.each([
    ['', /kill_tmux.session: must not be empty/],
    ['agent-1;rm -rf /', /not allowed: 1 to 128 characters/],
    ['$(x)', /not allowed/],
    ['agent-1 ', /not allowed/],
    ['=agent-1', /not allowed/],
    ['a'.repeat(129), /not allowed/],
  ])('refuses the session name %j', async (session, reason) => {
    const r = await gate.run(
      { action: 'kill_tmux', input: { session, socket: sock, reason: 't' }, source: 'mcp' },
      sb.ctx,
    );
    expect(r.result).toBe('refused');
    expect(r.reason).toMatch(reason);
    expect(sessions()).toEqual(['agent-1', 'agent-10']);
  });

  it('refuses a socket that is not configured, and a session that does not exist', async () => {
    const other = await gate.run(
      { action: 'kill_tmux', input: { session: 'agent-1', socket: `${sock}x`, reason: 't' }, source: 'mcp' },
      sb.ctx,
    );
    expect(other.reason).toMatch(/is not one of the configured tmux sockets/);
    const missing = await gate.run(
      { action: 'kill_tmux', input: { session: 'agent-2', socket: sock, reason: 't' }, source: 'mcp' },
      sb.ctx,
    );
    expect(missing.result).toBe('refused');
    expect(missing.reason).toMatch(/no tmux session named exactly "agent-2"/);
    expect(sessions()).toEqual(['agent-1', 'agent-10']);
    expect(sb.records().map((r) => r.action_result)).toEqual(['refused', 'refused']);
  });
});
