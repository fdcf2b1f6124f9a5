// The approvals store: bound to a hash of the exact action, opaque ids that fit callback_data, one answer ever (O_EXCL
// claim, also across processes), TTL, tamper detection, files that always parse.
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApprovalStore, actionHash, canonicalJson, type NewApproval } from '../../src/state/approvals.js';
import { buttons, callbackData, parseCallbackData } from '../../src/solicitor/messages.js';
import { makeTmp } from '../support/tmp.js';

const tmps: Array<() => void> = [];
afterEach(() => tmps.splice(0).forEach((c) => c()));

function store(): ApprovalStore {
  const t = makeTmp('argus-approvals-');
  tmps.push(t.cleanup);
  return new ApprovalStore(join(t.dir, 'approvals'));
}

const T0 = new Date('2026-03-01T10:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const REQUEST: NewApproval = {
  kind: 'kill_process',
  action: 'kill_pid',
  input: { pid: 4100, reason: 'memory hog' },
  facts: { process: { pid: 4100, startTicks: 123456, comm: 'node' } },
  summary: 'node (PID 4100) at 93 % of memory',
  identity: 'memory:host',
  incidentId: 'memory:host#20260301T100000Z',
  requestedBy: 'rule',
};

describe('approval hash', () => {
  it('is the same for the same action whatever the key order, and differs for any other input or facts', () => {
    const h = actionHash('kill_pid', { pid: 4100, reason: 'x' }, { process: { startTicks: 1, pid: 4100 } });
    expect(actionHash('kill_pid', { reason: 'x', pid: 4100 }, { process: { pid: 4100, startTicks: 1 } })).toBe(h);
    expect(actionHash('kill_pid', { pid: 4101, reason: 'x' }, { process: { pid: 4100, startTicks: 1 } })).not.toBe(h);
    expect(actionHash('kill_pid', { pid: 4100, reason: 'x' }, { process: { pid: 4100, startTicks: 2 } })).not.toBe(h);
    expect(actionHash('kill_tmux', { pid: 4100, reason: 'x' }, { process: { pid: 4100, startTicks: 1 } })).not.toBe(h);
    expect(canonicalJson({ b: [2, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[2,{"c":2,"d":1}]}');
  });
});

describe('ApprovalStore', () => {
  it('creates a pending request with an opaque id, a TTL and the hash of its action', () => {
    const s = store();
    const a = s.create(REQUEST, T0, 30 * 60_000);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(a).toMatchObject({
      status: 'pending',
      expiresAt: minutes(30).toISOString(),
      hash: actionHash(REQUEST.action, REQUEST.input, REQUEST.facts),
      message: null,
    });
    expect(s.get(a.id)).toEqual(a);
    expect(s.list().map((x) => x.id)).toEqual([a.id]);
    // Written atomically: only the request file is left, and it parses.
    expect(readdirSync(s.dir)).toEqual([`${a.id}.json`]);
    expect(JSON.parse(readFileSync(join(s.dir, `${a.id}.json`), 'utf8')).id).toBe(a.id);
  });

  it('every button fits Telegram’s 64-byte callback_data and carries nothing but the id and a hash check', () => {
    const s = store();
    const a = s.create(REQUEST, T0, 60_000);
    for (const b of buttons(a)) {
      expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
      expect(b.callback_data).not.toMatch(/4100|kill|node/);
    }
    expect(parseCallbackData(callbackData('approve', a))).toEqual({
      choice: 'approve',
      id: a.id,
      hashPrefix: a.hash.slice(0, 12),
    });
  });

  it.each([
    ['empty', ''],
    ['unknown choice', `x:${'A'.repeat(16)}:${'0'.repeat(12)}`],
    ['short id', `a:${'A'.repeat(15)}:${'0'.repeat(12)}`],
    ['path in id', `a:../../../etc/pa:${'0'.repeat(12)}`],
    ['trailing junk', `a:${'A'.repeat(16)}:${'0'.repeat(12)};rm`],
    ['upper-case hash', `a:${'A'.repeat(16)}:${'A'.repeat(12)}`],
    ['NUL', `a:${'A'.repeat(15)}\0:${'0'.repeat(12)}`],
  ])('parseCallbackData refuses %s', (_what, data) => {
    expect(parseCallbackData(data)).toBeNull();
  });

  it.each(['../../etc/passwd', 'x'.repeat(16) + '/', '', 'A'.repeat(17)])('get() names no file for the id %j', (id) => {
    expect(store().get(id)).toBeNull();
  });

  it.each([
    ['answered once: a second claim (replay, double press) is refused', 1, 'decided'],
    ['not after it expires', 31, 'expired'],
  ])('a claim is single-use and bounded in time: %s', (_what, at, why) => {
    const s = store();
    const a = s.create(REQUEST, T0, 30 * 60_000);
    if (why === 'decided') {
      expect(s.claim(a.id, a.hash.slice(0, 12), minutes(at), '7').ok).toBe(true);
    }
    expect(s.claim(a.id, a.hash.slice(0, 12), minutes(at), '7')).toMatchObject({ ok: false, why });
  });

  it('refuses a claim whose hash check does not match, and a stored request edited on disk', () => {
    const s = store();
    const a = s.create(REQUEST, T0, 30 * 60_000);
    expect(s.claim(a.id, '000000000000', minutes(1), '7')).toMatchObject({ ok: false, why: 'tampered' });
    const file = join(s.dir, `${a.id}.json`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"pid": 4100', '"pid": 1'));
    expect(s.claim(a.id, a.hash.slice(0, 12), minutes(1), '7')).toMatchObject({ ok: false, why: 'tampered' });
    expect(s.claim('AAAAAAAAAAAAAAAA', null, minutes(1), '7')).toMatchObject({ ok: false, why: 'unknown' });
  });

  it('expiry claims only an expired request, and then no answer can', () => {
    const s = store();
    const a = s.create(REQUEST, T0, 30 * 60_000);
    expect(s.claim(a.id, null, minutes(10), 'expiry', 'expire').ok).toBe(false);
    expect(s.claim(a.id, null, minutes(30), 'expiry', 'expire').ok).toBe(true);
    expect(s.claim(a.id, a.hash.slice(0, 12), minutes(29), '7')).toMatchObject({ ok: false, why: 'decided' });
  });

  it('lets exactly one of 8 processes racing for the same answer win', async () => {
    const s = store();
    const a = s.create(REQUEST, T0, 30 * 60_000);
    // The store's own code, bundled for plain node (the children run no test tooling).
    const { build } = await import('rolldown');
    const out = join(s.dir, '..', 'bundle');
    await build({
      input: fileURLToPath(new URL('../../src/state/approvals.ts', import.meta.url)),
      platform: 'node',
      logLevel: 'silent',
      output: { dir: out, format: 'esm', entryFileNames: 'approvals.mjs' },
    });
    const script = `
      const { ApprovalStore } = await import(${JSON.stringify(pathToFileURL(join(out, 'approvals.mjs')).href)});
      const s = new ApprovalStore(${JSON.stringify(s.dir)});
      const r = s.claim(${JSON.stringify(a.id)}, ${JSON.stringify(a.hash.slice(0, 12))}, new Date(${minutes(1).getTime()}), String(process.pid));
      process.send(r.ok);`;
    const runs = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<boolean>((resolve, reject) => {
            const child = spawn(process.execPath, ['--input-type=module', '--eval', script], {
              stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
            });
            child.once('message', (m) => resolve(m as boolean));
            child.once('error', reject);
          }),
      ),
    );
    expect(runs.filter(Boolean)).toHaveLength(1);
  }, 30_000);

  it('prunes decided requests after the keep time, never a pending one or one whose message is still to edit', () => {
    const s = store();
    const pending = s.create(REQUEST, T0, 30 * 60_000);
    const done = s.create({ ...REQUEST, incidentId: 'x' }, T0, 30 * 60_000);
    s.write({
      ...done,
      status: 'rejected',
      decision: { by: { id: '7', name: 'Ann' }, at: T0.toISOString(), choice: 'reject' },
    });
    const editing = s.create({ ...REQUEST, incidentId: 'y' }, T0, 30 * 60_000);
    s.write({
      ...editing,
      status: 'rejected',
      editPending: true,
      decision: { by: { id: '7', name: 'Ann' }, at: T0.toISOString(), choice: 'reject' },
    });
    expect(s.prune(minutes(60 * 24 * 8), 7 * 86_400_000)).toBe(1);
    expect(
      s
        .list()
        .map((a) => a.id)
        .sort(),
    ).toEqual([pending.id, editing.id].sort());
  });
});
