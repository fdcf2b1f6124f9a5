// The Solicitor end to end on loopback: the fake Bot API delivers button presses and commands exactly as Telegram does
// (getUpdates long poll, callback_query with the message and the presser); the action runs through the real gate on a
// real process. Every decision leaves exactly one registry record.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { activeSilences } from '../../src/orchestrator/silences.js';
import { approvalStore } from '../../src/solicitor/compose.js';
import { isAlive } from '../agents/executor/helpers.js';
import { ANN, bench, CHAT, EVE, killRequest, requestMessage, waitFor, type Bench } from './harness.js';

let b: Bench;
afterEach(async () => {
  await b?.cleanup();
});

/** Records about one approval, beyond its `pending` request record. */
const decisions = (bb: Bench, id: string) =>
  bb.records().filter((r) => r.details.approval === id && r.action_result !== 'pending');

async function asked(bb: Bench) {
  const v = await bb.victim();
  const approval = await bb.ask(killRequest(v.pid, v.facts));
  const message = await waitFor('the request message', () => requestMessage(bb.tg, approval));
  return { ...v, approval, message };
}

describe('Solicitor: a person answers from Telegram', () => {
  it('Approve: the kill runs through the gate as `human`, is verified, and the message says who, when and what happened', async () => {
    b = await bench();
    b.start();
    const { pid, approval, message } = await asked(b);
    expect(message.chatId).toBe(CHAT);
    expect(message.buttons.map((x) => x.text)).toEqual(['✅ Approve', '✖️ Reject', '🔕 Silence 4 h']);
    expect(message.text).toContain(`kill_pid ${pid}`);
    expect(message.text).toMatch(/If nobody answers by \d\d:\d\d UTC, nothing is done/);

    b.tg.press(message.messageId, ANN, { index: 0 });
    await waitFor('the edited message', () => message.edits.length > 0);
    expect(isAlive(pid)).toBe(false);
    expect(message.text).toMatch(/Approved<\/b> by Ann \(501\) at \d\d:\d\d UTC/);
    expect(message.text).toMatch(/success: PID \d+ \(node\) exited after SIGTERM/);
    expect(message.buttons).toEqual([]);
    expect(b.tg.answers.at(-1)!.text).toBe('Approved: success');

    const [request, ...rest] = b.records();
    expect(request).toMatchObject({
      kind: 'action',
      action_result: 'pending',
      source: 'rule',
      action_taken: `kill_pid:${pid}`,
    });
    expect(rest).toHaveLength(1);
    expect(rest[0]).toMatchObject({
      kind: 'action',
      source: 'human',
      action_result: 'success',
      action_taken: `kill_pid:${pid}`,
      identity: 'memory:host',
    });
    expect(rest[0]!.details).toMatchObject({
      approval: approval.id,
      approvalKind: 'kill_process',
      decidedBy: { id: '501', name: 'Ann' },
    });
    expect(approvalStore(b.rt).get(approval.id)).toMatchObject({
      status: 'approved',
      outcome: { result: 'success' },
      editPending: false,
    });
  });

  it('Reject: nothing is done, the message says who rejected, one record', async () => {
    b = await bench();
    b.start();
    const { pid, approval, message } = await asked(b);
    b.tg.press(message.messageId, ANN, { index: 1 });
    await waitFor('the edited message', () => message.edits.length > 0);
    expect(message.text).toMatch(/Rejected<\/b> by Ann \(501\).*Nothing was done/);
    expect(isAlive(pid)).toBe(true);
    expect(decisions(b, approval.id)).toEqual([
      expect.objectContaining({ kind: 'decision', source: 'human', action_result: 'skipped' }),
    ]);
  });

  it('Silence 4 h: rejects and silences the incident’s identity for 4 hours', async () => {
    b = await bench();
    b.start();
    const { pid, approval, message } = await asked(b);
    b.tg.press(message.messageId, ANN, { index: 2 });
    await waitFor('the edited message', () => message.edits.length > 0);
    const [s] = activeSilences(b.rt.paths.silences, new Date());
    expect(s).toMatchObject({ matcher: 'memory:host' });
    expect(Date.parse(s!.until) - Date.parse(s!.createdAt)).toBe(4 * 3_600_000);
    expect(isAlive(pid)).toBe(true);
    expect(decisions(b, approval.id)).toHaveLength(1);
    expect(message.text).toMatch(/silenced for 4 h/);
  });

  it('a double press and a later replay act once; each extra press is refused and recorded', async () => {
    b = await bench();
    b.start();
    const { pid, approval, message } = await asked(b);
    b.tg.press(message.messageId, ANN, { index: 0 });
    b.tg.press(message.messageId, ANN, { index: 0 });
    await waitFor('two answers', () => b.tg.answers.length >= 2);
    b.tg.press(message.messageId, ANN, {
      data: message.buttons.length
        ? message.buttons[0]!.callback_data
        : `a:${approval.id}:${approval.hash.slice(0, 12)}`,
    });
    await waitFor('three answers', () => b.tg.answers.length >= 3);
    expect(isAlive(pid)).toBe(false);
    const recs = decisions(b, approval.id);
    expect(recs.filter((r) => r.kind === 'action')).toHaveLength(1);
    expect(recs.filter((r) => r.kind === 'decision' && r.action_result === 'refused')).toHaveLength(2);
    expect(recs).toHaveLength(3);
    expect(b.tg.answers.map((a) => a.text)).toEqual([
      'Approved: success',
      'Already decided (approve).',
      'Already decided (approve).',
    ]);
  });

  it.each([
    [
      'from another chat',
      (bb: Bench, m: { messageId: number }) => bb.tg.press(m.messageId, ANN, { index: 0, chatId: '-100999' }),
      'Not allowed.',
    ],
    [
      'from someone who is not an approver',
      (bb: Bench, m: { messageId: number }) => bb.tg.press(m.messageId, EVE, { index: 0 }),
      'Not allowed.',
    ],
    [
      'with a tampered id',
      (bb: Bench, m: { messageId: number; buttons: Array<{ callback_data: string }> }) =>
        bb.tg.press(m.messageId, ANN, {
          data: m.buttons[0]!.callback_data.replace(/^a:(.)/, (_x, c: string) => `a:${c === 'A' ? 'B' : 'A'}`),
        }),
      'Unknown request.',
    ],
    [
      'with a tampered hash',
      (bb: Bench, m: { messageId: number; buttons: Array<{ callback_data: string }> }) =>
        bb.tg.press(m.messageId, ANN, {
          data: m.buttons[0]!.callback_data.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
        }),
      'This request does not match: refused.',
    ],
    [
      'with data Argus never made',
      (bb: Bench, m: { messageId: number }) => bb.tg.press(m.messageId, ANN, { data: 'a:$(reboot)' }),
      'Not allowed.',
    ],
  ])('a press %s is refused, recorded once, and changes nothing', async (_what, pressIt, answer) => {
    b = await bench();
    b.start();
    const { pid, approval, message } = await asked(b);
    const before = b.records().length;
    pressIt(b, message);
    await waitFor('the answer', () => b.tg.answers.length > 0);
    expect(b.tg.answers[0]!.text).toBe(answer);
    expect(isAlive(pid)).toBe(true);
    expect(message.edits).toEqual([]);
    const added = b.records().slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ kind: 'decision', source: 'human', action_result: 'refused' });
    expect(approvalStore(b.rt).get(approval.id)!.status).toBe('pending');
    // The real approver can still answer.
    b.tg.press(message.messageId, ANN, { index: 0 });
    await waitFor('the kill', () => !isAlive(pid));
  });

  it('an expired request says so, is recorded once, and a press after it is refused', async () => {
    b = await bench();
    b.start();
    const { pid, approval, message } = await asked(b);
    const store = approvalStore(b.rt);
    store.write({ ...store.get(approval.id)!, expiresAt: new Date(Date.now() - 1000).toISOString() });
    b.listener.wake();
    await waitFor('the expiry edit', () => message.edits.length > 0);
    expect(message.text).toMatch(/Expired<\/b> at .*nobody answered. Nothing was done/);
    expect(decisions(b, approval.id)).toEqual([
      expect.objectContaining({ kind: 'decision', source: 'rule', action_result: 'skipped' }),
    ]);
    b.tg.press(message.messageId, ANN, { data: `a:${approval.id}:${approval.hash.slice(0, 12)}` });
    await waitFor('the answer', () => b.tg.answers.length > 0);
    expect(b.tg.answers[0]!.text).toBe('Already decided (expire).');
    expect(isAlive(pid)).toBe(true);
    expect(decisions(b, approval.id)).toHaveLength(2);
  });

  it('Telegram down during the decision: the action is done once, and the message is edited when Telegram is back', async () => {
    b = await bench();
    b.start();
    const { pid, approval, message } = await asked(b);
    b.tg.press(message.messageId, ANN, { index: 0 });
    b.tg.down = true; // the press is on its way; the answer and the edit meet a 502
    await waitFor('the kill', () => !isAlive(pid));
    await waitFor('a failed edit', () => b.tg.calls.some((c) => c.method === 'editMessageText' && c.status === 502));
    expect(message.edits).toEqual([]);
    expect(approvalStore(b.rt).get(approval.id)).toMatchObject({ status: 'approved', editPending: true });
    await new Promise((r) => setTimeout(r, 300));
    b.tg.down = false;
    await waitFor('the edit after the outage', () => message.edits.length > 0, 15_000);
    expect(message.text).toMatch(/Approved<\/b> by Ann/);
    expect(decisions(b, approval.id)).toHaveLength(1);
    await waitFor('polls answered again', () => b.listener.failures === 0);
  });

  it('Argus restarted between request and answer: the new listener acts on the stored request; an update is never handled twice', async () => {
    b = await bench();
    b.start();
    const { pid, approval, message } = await asked(b);
    await b.stop();
    b.start(); // a new process: state only from disk
    b.tg.press(message.messageId, ANN, { index: 0 });
    await waitFor('the kill', () => !isAlive(pid));
    await waitFor('the edit', () => message.edits.length > 0);
    const offset = JSON.parse(readFileSync(`${b.rt.paths.stateDir}/telegram_offset.json`, 'utf8')) as {
      offset: number;
    };
    await b.stop();
    b.start(); // again: the press must not come back
    await waitFor(
      'a poll with the stored offset',
      () => b.tg.calls.filter((c) => c.method === 'getUpdates' && c.body.offset === offset.offset).length >= 2,
    );
    expect(b.tg.pendingUpdates).toEqual([]);
    expect(decisions(b, approval.id)).toHaveLength(1);
    expect(b.tg.answers).toHaveLength(1);
  });

  it('backs off while Telegram is down and picks up the press once it is back', async () => {
    b = await bench();
    b.tg.down = true;
    b.start();
    await new Promise((r) => setTimeout(r, 1200));
    const polls = b.tg.calls.filter((c) => c.method === 'getUpdates').length;
    // 50 ms doubling to 400 ms: a handful of polls in 1.2 s, not hundreds.
    expect(polls).toBeGreaterThan(2);
    expect(polls).toBeLessThan(12);
    expect(b.listener.failures).toBeGreaterThan(2);
    b.tg.down = false;
    const { pid, message } = await asked(b);
    b.tg.press(message.messageId, ANN, { index: 0 });
    await waitFor('the kill', () => !isAlive(pid));
  });
});
