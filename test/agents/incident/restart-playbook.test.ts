// The restart playbook's escalation (ARG-006): a failed attempt is not yet a failed fix; waiting in the cycle for an
// attempt due soon; giving up said once, as a crash loop when restarts came up and died again.
import { describe, expect, it } from 'vitest';
import { IN_CYCLE_WAIT_MAX_MS, runPlaybook } from '../../../src/agents/executor/playbooks.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { ActionResult } from '../../../src/model/action.js';
import type { Decision } from '../../../src/model/finding.js';
import { snapshot } from '../../support/snapshot.js';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const config = ConfigSchema.parse({
  services: ['api'],
  restartAllowlist: ['api'],
  probes: [{ name: 'api-health', url: 'http://api.local/', service: 'api' }],
});
const decision = (type: 'service' | 'probe', subject: string, details: Record<string, unknown> = {}): Decision => ({
  identity: `${type}:${subject}`,
  incidentId: `${type}:${subject}#x`,
  kind: 'act',
  transition: 'opened',
  notify: true,
  reason: 'new incident',
  silencedBy: null,
  finding: {
    identity: `${type}:${subject}`,
    type,
    subject,
    severity: 'critical',
    description: 'down',
    source: 'rule',
    details,
  },
});

/** A scripted gate: each restart_service call takes the next answer; the clock moves only by waits. */
function scripted(answers: Array<(now: number) => Pick<ActionResult, 'result' | 'details'>>) {
  let now = T0;
  const calls: Array<{ at: number; input: Record<string, unknown> }> = [];
  const waits: number[] = [];
  return {
    calls,
    waits,
    env: {
      now: () => new Date(now),
      wait: async (ms: number): Promise<void> => {
        waits.push(ms);
        now += ms;
      },
    },
    run: async (_action: string, input: Record<string, unknown>): Promise<ActionResult> => {
      calls.push({ at: now, input });
      const a = answers.shift();
      if (!a) throw new Error('no more scripted answers');
      return { ...a(now), reason: 'scripted', record: null };
    },
  };
}
const iso = (ms: number) => new Date(ms).toISOString();

describe('restart playbook', () => {
  it('attempt 1 fails with attempt 2 due in a minute: the cycle waits for it; attempt 2 fails, attempt 3 is 5 min away: no bead yet', async () => {
    const s = scripted([
      (t) => ({ result: 'failure', details: { attempt: 1, escalate: false, nextAttemptAt: iso(t + 60_000) } }),
      (t) => ({ result: 'failure', details: { attempt: 2, escalate: false, nextAttemptAt: iso(t + 300_000) } }),
    ]);
    const out = await runPlaybook(decision('service', 'api.service'), snapshot(), config, s.run as never, s.env);
    expect(s.waits).toEqual([60_000]);
    expect(s.calls.map((c) => c.at - T0)).toEqual([0, 60_000]);
    expect(out).toMatchObject({ failed: false, fixable: true, announce: null });
    expect(out.notes.at(-1)).toMatch(/Attempt 2 failed; the next one at 00:06 UTC/);
  });

  it('without a wait port (dry run, tests) nothing waits: one attempt per cycle', async () => {
    const s = scripted([
      (t) => ({ result: 'failure', details: { attempt: 1, escalate: false, nextAttemptAt: iso(t + 60_000) } }),
    ]);
    await runPlaybook(decision('service', 'api.service'), snapshot(), config, s.run as never, { now: s.env.now });
    expect(s.calls).toHaveLength(1);
  });

  it('an attempt further away than IN_CYCLE_WAIT_MAX_MS is left to a later cycle', async () => {
    const s = scripted([
      (t) => ({
        result: 'skipped',
        details: { attempt: 3, exhausted: false, nextAttemptAt: iso(t + IN_CYCLE_WAIT_MAX_MS + 1000) },
      }),
    ]);
    await runPlaybook(decision('service', 'api.service'), snapshot(), config, s.run as never, s.env);
    expect(s.waits).toEqual([]);
  });

  it('the third failure gives up: a failed fix (bead) and one announcement with what a person should run', async () => {
    const s = scripted([
      (t) => ({ result: 'failure', details: { attempt: 3, escalate: true, nextAttemptAt: iso(t + 3_600_000) } }),
    ]);
    const out = await runPlaybook(decision('service', 'api.service'), snapshot(), config, s.run as never, s.env);
    expect(out.failed).toBe(true);
    expect(out.announce?.key).toBe('gave_up');
    expect(out.announce?.text).toMatch(
      /did not bring it up; Argus tries again after 01:00 UTC\. A person should look: journalctl -u api\.service -n 50 --no-pager/,
    );
  });

  it('held after restarts that came up and died again: said as a crash loop', async () => {
    const s = scripted([
      (t) => ({
        result: 'skipped',
        details: { attempt: 4, exhausted: true, lastResult: 'success', nextAttemptAt: iso(t + 1_800_000) },
      }),
    ]);
    const out = await runPlaybook(decision('service', 'api.service'), snapshot(), config, s.run as never, s.env);
    expect(out).toMatchObject({ failed: true, announce: { key: 'gave_up' } });
    expect(out.announce?.text).toMatch(/api\.service is crash-looping: each restart came up and died again/);
  });

  it('a failing probe tied to an allowlisted unit restarts that unit, saying which probe', async () => {
    const s = scripted([() => ({ result: 'success', details: { attempt: 1 } })]);
    const out = await runPlaybook(
      decision('probe', 'api-health', { service: 'api' }),
      snapshot(),
      config,
      s.run as never,
      s.env,
    );
    expect(s.calls[0]?.input).toMatchObject({ service: 'api.service', failing_probe: 'api-health' });
    expect(out).toMatchObject({ failed: false, fixable: true });
  });

  it('a probe of a unit not on the allowlist is not fixable: nothing runs', async () => {
    const s = scripted([]);
    const out = await runPlaybook(
      decision('probe', 'x', { service: 'billing' }),
      snapshot(),
      config,
      s.run as never,
      s.env,
    );
    expect(s.calls).toHaveLength(0);
    expect(out).toMatchObject({ fixable: false, failed: false });
  });
});
