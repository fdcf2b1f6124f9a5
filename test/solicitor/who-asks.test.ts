// Who asks: the playbooks' unfixable-but-approvable cases become one approval request per incident (the incident phase's
// hook), and over MCP a restart a person may approve answers "pending approval <id>" (get_approval tells its state).
import { afterEach, describe, expect, it } from 'vitest';
import { createGate } from '../../src/agents/executor/gate.js';
import { createRestartService } from '../../src/agents/executor/actions/restart-service.js';
import { actionTools } from '../../src/agents/executor/tools.js';
import { handleIncidents, type IncidentPorts } from '../../src/agents/incident/handle.js';
import { ConfigSchema } from '../../src/config/schema.js';
import type { ActionResult } from '../../src/model/action.js';
import type { Decision, Finding } from '../../src/model/finding.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { playbookAsk, solicitForDecision } from '../../src/solicitor/cycle-hook.js';
import { approvalStore, solicitorContext } from '../../src/solicitor/compose.js';
import { getApprovalTool, holdForApproval } from '../../src/solicitor/mcp.js';
import { ToolError } from '../../src/tools/tool.js';
import { isAlive } from '../agents/executor/helpers.js';
import { disk, processes, proc, service, snapshot } from '../support/snapshot.js';
import { ANN, bench, requestMessage, waitFor, type Bench } from './harness.js';

let b: Bench;
afterEach(async () => {
  await b?.cleanup();
});

const telegram = { botToken: '1:x', chatId: '42', approvers: ['7'] };
const config = ConfigSchema.parse({ services: ['api', 'db'], restartAllowlist: ['api'], telegram });
const decision = (
  f: Partial<Finding> & Pick<Finding, 'identity' | 'type' | 'subject'>,
  over: Partial<Decision> = {},
): Decision => ({
  identity: f.identity,
  incidentId: `${f.identity}#20260301T100000Z`,
  kind: 'act',
  transition: 'opened',
  notify: true,
  reason: 'new incident',
  silencedBy: null,
  finding: { severity: 'critical', description: 'x', source: 'rule', details: {}, ...f },
  ...over,
});
const hog = proc({ pid: 4100, comm: 'node', startTicks: 777 });
const snap = snapshot({
  services: [
    service('db.service', { activeState: 'failed', result: 'exit-code' }),
    service('api.service', { activeState: 'failed' }),
  ],
  processes: processes({ topByRss: [hog] }),
  disks: [disk('/', 97)],
});

describe('playbookAsk: which incidents ask a person', () => {
  it.each([
    [
      'a watched unit off the allowlist, down',
      decision({ identity: 'service:db.service', type: 'service', subject: 'db.service' }),
      null,
      config,
      { action: 'restart_service', input: { service: 'db.service' } },
    ],
    [
      'an allowlisted unit Argus gave up on',
      decision({ identity: 'service:api.service', type: 'service', subject: 'api.service' }),
      'gave_up',
      config,
      { action: 'restart_service', situation: { backoffExhausted: true } },
    ],
    [
      'a memory hog on the kill list, kills off',
      decision({ identity: 'memory:host', type: 'memory', subject: 'host', details: { hog } }),
      null,
      config,
      { action: 'kill_pid', input: { pid: 4100 }, facts: { process: hog } },
    ],
    [
      'a critical disk, ongoing',
      decision({ identity: 'disk:/', type: 'disk', subject: '/' }, { transition: 'ongoing' }),
      null,
      config,
      { action: 'clean_disk', facts: { mount: '/', usedPct: 97 } },
    ],
  ])('%s → asks', (_what, d, announce, cfg, expected) => {
    const ask = playbookAsk(d, { announce: announce ? { key: announce as 'gave_up', text: '' } : null }, snap, cfg);
    expect(ask).toMatchObject({ ...expected, identity: d.identity, incidentId: d.incidentId, requestedBy: 'rule' });
  });

  it.each([
    [
      'an allowlisted unit with attempts left',
      decision({ identity: 'service:api.service', type: 'service', subject: 'api.service' }),
      config,
    ],
    [
      'a unit that is not watched',
      decision({ identity: 'service:sshd.service', type: 'service', subject: 'sshd.service' }),
      config,
    ],
    [
      'a watched unit that is up again',
      decision({ identity: 'service:db.service', type: 'service', subject: 'db.service' }),
      ConfigSchema.parse({ services: ['db'], telegram }),
    ],
    [
      'a hog when kills are on (the playbook kills it)',
      decision({ identity: 'memory:host', type: 'memory', subject: 'host', details: { hog } }),
      ConfigSchema.parse({ killMemoryHogs: true, telegram }),
    ],
    [
      'a hog off the kill list',
      decision({
        identity: 'memory:host',
        type: 'memory',
        subject: 'host',
        details: { hog: { ...hog, comm: 'postgres' } },
      }),
      config,
    ],
    [
      'a disk incident that just opened (the playbook cleans)',
      decision({ identity: 'disk:/', type: 'disk', subject: '/' }),
      config,
    ],
    [
      'a warning disk, ongoing',
      decision({ identity: 'disk:/', type: 'disk', subject: '/', severity: 'warning' }, { transition: 'ongoing' }),
      config,
    ],
    [
      'an escalation (no playbook)',
      decision({ identity: 'cpu:load', type: 'cpu', subject: 'load' }, { kind: 'escalate' }),
      config,
    ],
  ])('%s → does not ask', (_what, d, cfg) => {
    const s = _what.includes('up again') ? snapshot({ services: [service('db.service')] }) : snap;
    expect(playbookAsk(d, { announce: null }, s, cfg)).toBeNull();
  });
});

describe('the incident phase asks once per incident, and the person’s answer acts', () => {
  function ports(bb: Bench, snapshotNow: Snapshot, alerts: string[]): IncidentPorts {
    const ok = (action: string): ActionResult => ({ result: 'success', reason: action, details: {}, record: null });
    return {
      config: bb.config,
      snapshot: snapshotNow,
      now: new Date(),
      minimal: false,
      dryRun: false,
      run: () => async (action, input) => {
        if (action === 'alert') alerts.push(String(input.message));
        return ok(action);
      },
      ctxFor: () => ({ ...solicitorContext(bb.rt), snapshot: snapshotNow }),
      judgement: async () => ({
        diagnose: async () => ({ diagnosis: {} as never, rca: null, notes: [] }),
        plan: async () => [],
      }),
      beads: null,
      incidents: {},
      recurrence: {},
      record: () => undefined,
      recordBase: () => ({
        ts: '',
        severity: 'info',
        type: 'memory',
        bead_id: null,
        host: 'testhost',
        identity: null,
        incident_id: null,
        source: 'rule',
        cycle_id: null,
      }),
      warn: (w) => {
        throw new Error(w);
      },
      solicit: (d, o) =>
        solicitForDecision(
          {
            config: bb.config,
            registry: bb.rt.registry,
            stateDir: bb.rt.paths.stateDir,
            snapshot: snapshotNow,
            ctx: { ...solicitorContext(bb.rt), snapshot: snapshotNow },
            now: () => new Date(),
            host: 'testhost',
          },
          d,
          o,
        ),
    };
  }

  it('a memory hog Argus may not kill alone: one request over three cycles, the alert says so, Approve kills it', async () => {
    b = await bench();
    b.start();
    const v = await b.victim();
    const info = v.facts.process as typeof hog;
    const s = snapshot({ processes: processes({ topByRss: [info] }) });
    const d = decision({
      identity: 'memory:host',
      type: 'memory',
      subject: 'host',
      description: 'Memory at 93%',
      details: { hog: info },
    });
    const alerts: string[] = [];
    for (let cycle = 0; cycle < 3; cycle++)
      await handleIncidents(ports(b, s, alerts), [{ ...d, transition: cycle ? 'ongoing' : 'opened' }], []);
    const store = approvalStore(b.rt);
    expect(store.list()).toHaveLength(1);
    const approval = store.list()[0]!;
    expect(approval).toMatchObject({
      kind: 'kill_process',
      action: 'kill_pid',
      input: { pid: v.pid },
      requestedBy: 'rule',
      incidentId: d.incidentId,
    });
    expect(alerts[0]).toMatch(new RegExp(`Asked a person on Telegram to approve kill_pid \\(approval ${approval.id}`));
    expect(b.records().filter((r) => r.action_result === 'pending')).toHaveLength(1);

    const message = await waitFor('the request message', () => requestMessage(b.tg, approval));
    expect(message.text).toContain('Automatic kills of memory hogs are off');
    b.tg.press(message.messageId, ANN, { index: 0 });
    await waitFor('the kill', () => !isAlive(v.pid));
    await waitFor('the edit', () => message.edits.length > 0);
    expect(message.text).toMatch(/Approved<\/b> by Ann/);
  });

  it('Approve of a process restarted since the request (PID reused): refused by the gate, nothing killed, the message says why', async () => {
    b = await bench();
    const v = await b.victim();
    const info = v.facts.process as typeof hog;
    const approval = await b.ask({
      action: 'kill_pid',
      input: { pid: v.pid, reason: 'memory hog' },
      facts: { process: info },
      summary: 'hog',
      identity: 'memory:host',
      incidentId: 'memory:host#1',
      requestedBy: 'rule',
    });
    // The stored facts say another start time, as if the PID now named a newer process (the hash is re-made to match).
    const store = approvalStore(b.rt);
    const { actionHash } = await import('../../src/state/approvals.js');
    const facts = { process: { ...info, startTicks: info.startTicks - 50 } };
    store.write({ ...approval, facts, hash: actionHash(approval.action, approval.input, facts) });
    const fresh = store.get(approval.id)!;
    b.start();
    const message = await waitFor('the request message', () => requestMessage(b.tg, fresh));
    b.tg.press(message.messageId, ANN, { index: 0 });
    await waitFor('the edit', () => message.edits.length > 0);
    expect(isAlive(v.pid)).toBe(true);
    expect(message.text).toMatch(/refused: PID reused: start time changed/);
    expect(b.records().filter((r) => r.source === 'human')).toEqual([
      expect.objectContaining({ kind: 'action', action_result: 'refused' }),
    ]);
  });
});

describe('over MCP: held for a person', () => {
  it('restart_service of a watched unit off the allowlist answers "pending approval <id>"; get_approval tells its state; one record', async () => {
    b = await bench({ services: ['argus-test-unlisted.service'] });
    b.units.set('argus-test-unlisted.service', { ActiveState: 'failed', SubState: 'failed', Result: 'exit-code' });
    const gate = createGate([createRestartService()], {
      registry: b.rt.registry,
      now: () => new Date(),
      host: 'testhost',
    });
    const store = approvalStore(b.rt);
    const tools = actionTools(
      gate,
      async () => solicitorContext(b.rt),
      holdForApproval({ store, registry: b.rt.registry, host: 'testhost' }),
    );
    const restart = tools.find((t) => t.name === 'restart_service')!;
    const out = await restart.run(
      { service: 'argus-test-unlisted', reason: 'Athena: the unit is down' },
      { source: 'mcp' },
    );
    expect(out.result).toBe('pending');
    expect(out.reason).toMatch(/^pending approval [A-Za-z0-9_-]{16}: a person decides on Telegram/);
    const id = String((out.details as { approval: string }).approval);
    expect(b.records()).toEqual([
      expect.objectContaining({
        source: 'mcp',
        action_result: 'pending',
        action_taken: 'restart_service:argus-test-unlisted.service',
      }),
    ]);
    const state = await getApprovalTool(store).run({ id }, { source: 'mcp' });
    expect(state).toMatchObject({
      id,
      status: 'pending',
      kind: 'restart_unlisted',
      decidedBy: null,
      sentToTelegram: false,
    });
    // The same call again is the same request, not a second one.
    const again = await restart.run(
      { service: 'argus-test-unlisted.service', reason: 'Athena: the unit is down' },
      { source: 'mcp' },
    );
    expect((again.details as { approval: string }).approval).toBe(id);
    expect(store.list()).toHaveLength(1);
    await expect(getApprovalTool(store).run({ id: 'AAAAAAAAAAAAAAAA' }, { source: 'mcp' })).rejects.toBeInstanceOf(
      ToolError,
    );
  });

  it('a unit that is not watched is refused by the gate as before (never held)', async () => {
    b = await bench({ services: [] });
    const gate = createGate([createRestartService()], {
      registry: b.rt.registry,
      now: () => new Date(),
      host: 'testhost',
    });
    const tools = actionTools(
      gate,
      async () => solicitorContext(b.rt),
      holdForApproval({ store: approvalStore(b.rt), registry: b.rt.registry, host: 'testhost' }),
    );
    await expect(
      tools.find((t) => t.name === 'restart_service')!.run({ service: 'sshd', reason: 'x' }, { source: 'mcp' }),
    ).rejects.toThrow(/not on the restart allowlist/);
    expect(b.records()).toEqual([expect.objectContaining({ source: 'mcp', action_result: 'refused' })]);
    expect(approvalStore(b.rt).list()).toEqual([]);
  });

  async function heldRestart(bb: Bench) {
    const store = approvalStore(bb.rt);
    const hold = holdForApproval({ store, registry: bb.rt.registry, host: 'testhost' });
    const held = await hold(
      'restart_service',
      { service: 'argus-test-unlisted', reason: 'x' },
      solicitorContext(bb.rt),
      { source: 'mcp' },
    );
    expect(held).not.toBeNull();
    const approval = store.get(held!.id)!;
    const message = await waitFor('the request message', () => requestMessage(bb.tg, approval));
    return { store, approval, message };
  }

  it('Approve restarts the unit (off the allowlist, for this request only) and the message shows it verified', async () => {
    b = await bench({ services: ['argus-test-unlisted.service'] });
    b.units.set('argus-test-unlisted.service', { ActiveState: 'failed', SubState: 'failed', Result: 'exit-code' });
    b.start();
    const { store, approval, message } = await heldRestart(b);
    b.tg.press(message.messageId, ANN, { index: 0 });
    await waitFor('the edit', () => message.edits.length > 0, 20_000);
    expect(b.systemctl.filter((a) => a[0] === 'restart')).toEqual([['restart', '--', 'argus-test-unlisted.service']]);
    expect(message.text).toMatch(/✅ success: argus-test-unlisted.service restarted and verified active/);
    expect(store.get(approval.id)).toMatchObject({ status: 'approved', outcome: { result: 'success' } });
    expect(b.records().filter((r) => r.source === 'human')).toEqual([
      expect.objectContaining({
        kind: 'action',
        action_result: 'success',
        details: expect.objectContaining({ approval: approval.id }),
      }),
    ]);
    // The allowlist itself is unchanged: the next request for the same unit is held again, not run.
    expect(b.config.restartAllowlist).toEqual([]);
  });

  it('re-validated against the machine now: a unit that came back by itself is not restarted, and the message says so', async () => {
    b = await bench({ services: ['argus-test-unlisted.service'] });
    b.units.set('argus-test-unlisted.service', { ActiveState: 'failed', SubState: 'failed', Result: 'exit-code' });
    b.start();
    const { approval, message } = await heldRestart(b);
    b.units.set('argus-test-unlisted.service', { ActiveState: 'active', SubState: 'running', Result: 'success' });
    b.tg.press(message.messageId, ANN, { index: 0 });
    await waitFor('the edit', () => message.edits.length > 0, 20_000);
    expect(b.systemctl.some((a) => a[0] === 'restart')).toBe(false);
    expect(message.text).toMatch(/skipped: argus-test-unlisted.service is already active/);
    expect(b.records().filter((r) => r.source === 'human')).toEqual([
      expect.objectContaining({
        kind: 'action',
        action_result: 'skipped',
        details: expect.objectContaining({ approval: approval.id }),
      }),
    ]);
  });
});
