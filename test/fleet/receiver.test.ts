// The fleet receiver (POST /alertmanager) in a started `argus serve` app: the real gate, registry, notifier, outbox
// and bead keeper on a temp state dir; only Telegram (a fake API on loopback) and bd (the stand-in) are not real.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HOSTILE } from '../support/hostile-strings.js';
import { http } from '../serve/harness.js';
import { startReceiver, TOKEN, until, webhook, type ReceiverRig } from './receiver-harness.js';

let rig: ReceiverRig | undefined;
let hanging: { server: Server; sockets: Set<Socket> } | undefined;
afterEach(async () => {
  for (const s of hanging?.sockets ?? []) s.destroy();
  await new Promise<void>((r) => (hanging ? hanging.server.close(() => r()) : r()));
  hanging = undefined;
  await rig?.close();
  rig = undefined;
});

const TWO_HOSTS = [
  { host: 'web-1', identity: 'disk:/', summary: 'Disk / is 97 % full' },
  { host: 'web-2', identity: 'disk:/', severity: 'warning', summary: 'Disk / is 91 % full' },
];
const issues = (r: ReceiverRig) => r.bd.issues();
const actions = (r: ReceiverRig) => r.records().filter((x) => x.kind === 'action');

describe('fleet receiver: one message and one bead per group notification', () => {
  it('a firing group on two hosts: one message naming each host, identity, severity, summary and the link; one bead; each attempt recorded with source alertmanager', async () => {
    rig = await startReceiver();
    const res = await rig.post(webhook(TWO_HOSTS));
    expect(res).toMatchObject({ status: 200, body: { status: 'act', message: true, bead: 'open' } });
    await rig.receiver.idle();
    expect(rig.telegram.accepted).toHaveLength(1);
    const text = rig.telegram.accepted[0]!;
    expect(text).toContain('<b>FIRING</b> fleet: ArgusIncident disk:/ — 2 alerts on 2 hosts (web-1, web-2)');
    expect(text).toContain('• web-1 · disk:/ · critical — Disk / is 97 % full');
    expect(text).toContain('• web-2 · disk:/ · warning — Disk / is 91 % full');
    expect(text).toContain(
      'Alertmanager: http://am.example:9093/#/alerts?filter=%7Balertname%3D%22ArgusIncident%22%2Cidentity%3D%22disk%3A%2F%22%7D',
    );
    expect(text.startsWith('🔴')).toBe(false); // the notifier's header comes first: [fleet-hub] Argus: 1 alert
    expect(issues(rig)).toHaveLength(1);
    expect(issues(rig)[0]).toMatchObject({
      title: '[argus] fleet: ArgusIncident disk:/ firing on 2 hosts',
      status: 'open',
    });
    expect(issues(rig)[0]!.description).toContain('• web-2 · disk:/ · warning');
    const recorded = actions(rig);
    expect(recorded.map((r) => [r.action_taken, r.action_result, r.source])).toEqual([
      ['alert:alert:critical', 'success', 'alertmanager'],
      ['create_bead:create_bead:fleet', 'success', 'alertmanager'],
    ]);
    expect(recorded[1]!.bead_id).toBe(issues(rig)[0]!.id);
    expect(recorded[0]!.identity).toMatch(/^fleet:[0-9a-f]{16}$/);
    expect(recorded[0]!.details.alertmanager).toMatchObject({ receiver: 'argus-fleet', status: 'firing', alerts: 2 });
  });

  it("Alertmanager's retry of a notification (same group, status, alerts) is answered 200 and sends nothing again, even when it arrives at once", async () => {
    rig = await startReceiver();
    const body = webhook(TWO_HOSTS);
    const answers = await Promise.all([rig.post(body), rig.post(body), rig.post(body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body.status).sort()).toEqual(['act', 'duplicate', 'duplicate']);
    await rig.receiver.idle();
    expect((await rig.post(body)).body.status).toBe('duplicate');
    // The same alerts in another order are the same notification.
    expect((await rig.post({ ...body, alerts: [...(body.alerts as unknown[])].reverse() })).body.status).toBe(
      'duplicate',
    );
    await rig.receiver.idle();
    expect(rig.telegram.accepted).toHaveLength(1);
    expect(issues(rig)).toHaveLength(1);
    expect(actions(rig)).toHaveLength(2);
  });

  it('what fires changed: one message and a comment on the same bead; a notification with the same firing alerts is quiet', async () => {
    rig = await startReceiver();
    await rig.post(webhook([TWO_HOSTS[0]!]));
    await rig.receiver.idle();
    expect((await rig.post(webhook(TWO_HOSTS))).body).toMatchObject({ status: 'act', bead: 'comment' });
    await rig.receiver.idle();
    expect(rig.telegram.accepted).toHaveLength(2);
    expect(rig.telegram.accepted[1]).toContain('2 alerts on 2 hosts (web-1, web-2)');
    expect(issues(rig)).toHaveLength(1);
    expect(issues(rig)[0]!.comments).toHaveLength(1);
    expect(issues(rig)[0]!.comments[0]!.text).toContain('Now 2 alerts firing on 2 hosts (web-1, web-2)');
    // web-2 resolves while web-1 still fires: what fires changed again.
    await rig.post(webhook([TWO_HOSTS[0]!, { ...TWO_HOSTS[1]!, status: 'resolved' }]));
    await rig.receiver.idle();
    expect(rig.telegram.accepted).toHaveLength(3);
    expect(rig.telegram.accepted[2]).toContain('• web-2 · disk:/ · warning (resolved)');
    // Alertmanager drops the resolved alert from the group: the same alert fires, nobody is told again.
    expect((await rig.post(webhook([TWO_HOSTS[0]!]))).body.status).toBe('quiet');
    await rig.receiver.idle();
    expect(rig.telegram.accepted).toHaveLength(3);
    expect(issues(rig)[0]!.comments).toHaveLength(2);
  });

  it('resolved: one RESOLVED message and the bead closed with a reason saying how it ended; firing again later is a new bead', async () => {
    rig = await startReceiver();
    await rig.post(webhook(TWO_HOSTS));
    await rig.receiver.idle();
    const resolved = webhook(TWO_HOSTS.map((a) => ({ ...a, status: 'resolved' as const })));
    expect((await rig.post(resolved)).body).toMatchObject({ status: 'act', bead: 'close' });
    expect((await rig.post(resolved)).body.status).toBe('duplicate');
    await rig.receiver.idle();
    expect(rig.telegram.accepted).toHaveLength(2);
    expect(rig.telegram.accepted[1]).toMatch(
      /✅ <b>RESOLVED<\/b> fleet: ArgusIncident disk:\/ on 2 hosts \(web-1, web-2\) after 10m/,
    );
    const [bead] = issues(rig);
    expect(bead!.status).toBe('closed');
    expect((bead as unknown as { close_reason: string }).close_reason).toMatch(
      /^Resolved in Alertmanager: ArgusIncident disk:\/ ended on 2 hosts \(web-1, web-2\) after 10m \(fleet incident fleet:[0-9a-f]{16}#/,
    );
    const closed = rig.records().filter((r) => r.kind === 'transition');
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({
      description: `closed bead ${bead!.id} of ${closed[0]!.identity}`,
      bead_id: bead!.id,
      source: 'alertmanager',
    });
    await rig.post(webhook(TWO_HOSTS));
    await rig.receiver.idle();
    expect(issues(rig).map((i) => i.status)).toEqual(['closed', 'open']);
    expect(rig.telegram.accepted).toHaveLength(3);
  });

  it('two groups are two messages and two beads', async () => {
    rig = await startReceiver();
    await rig.post(webhook([{ host: 'web-1', identity: 'disk:/' }]));
    await rig.post(
      webhook([
        { host: 'web-1', identity: 'service:nginx.service' },
        { host: 'web-3', identity: 'service:nginx.service' },
      ]),
    );
    await rig.receiver.idle();
    expect(rig.telegram.accepted).toHaveLength(2);
    expect(issues(rig).map((i) => i.title)).toEqual([
      '[argus] fleet: ArgusIncident disk:/ firing on 1 host',
      '[argus] fleet: ArgusIncident service:nginx.service firing on 2 hosts',
    ]);
  });
});

describe('fleet receiver: what it refuses', () => {
  const good = webhook(TWO_HOSTS);
  const alert0 = (good.alerts as Array<Record<string, unknown>>)[0]!;
  it.each<[string, unknown, RegExp]>([
    ['not JSON', '{"version": "4", alerts: [', /the body is not JSON/],
    ['an empty object', {}, /version: Invalid input: expected "4"/],
    ['another version', { ...good, version: '3' }, /^not an Alertmanager webhook \(version 4\): version:/],
    ['no alerts', { ...good, alerts: [] }, /alerts: Too small/],
    [
      'an alert without fingerprint',
      { ...good, alerts: [{ ...alert0, fingerprint: undefined }] },
      /alerts\.0\.fingerprint: Invalid input: expected string/,
    ],
    ['an unknown status', { ...good, status: 'pending' }, /status: Invalid option/],
    [
      'a label that is not text',
      { ...good, alerts: [{ ...alert0, labels: { host: 7 } }] },
      /alerts\.0\.labels\.host: Invalid input: expected string/,
    ],
    ['an array', [good], /body: Invalid input: expected object/],
  ])('%s → 400 with the reason; no message, no record, no state', async (_name, body, reason) => {
    rig = await startReceiver();
    const res = await rig.post(body);
    expect(res.status).toBe(400);
    expect(String(res.body.error)).toMatch(reason);
    await rig.receiver.idle();
    expect(rig.telegram.requests).toEqual([]);
    expect(rig.records()).toEqual([]);
    expect(existsSync(rig.statePath)).toBe(false);
  });

  it('a body over 2 MB → 413, nothing recorded', async () => {
    rig = await startReceiver();
    const res = await fetch(rig.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"pad":"${'x'.repeat(2_200_000)}"}`,
    });
    expect(res.status).toBe(413);
    expect(rig.records()).toEqual([]);
  });

  it('--read-only: POST /alertmanager is 403 and says why; nothing recorded', async () => {
    rig = await startReceiver({ readOnly: true });
    const res = await rig.post(webhook(TWO_HOSTS));
    expect(res.status).toBe(403);
    expect(String(res.body.error)).toMatch(/--read-only .*the fleet receiver is off/);
    expect(rig.records()).toEqual([]);
    expect(existsSync(rig.statePath)).toBe(false);
  });

  it('only POST: GET /alertmanager is 405 with Allow: POST', async () => {
    rig = await startReceiver();
    const res = await fetch(rig.url);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('off loopback: without the token 401 and nothing done; with the bearer token 200', async () => {
    const PUBLIC = '192.0.2.10';
    rig = await startReceiver({ host: PUBLIC, token: TOKEN });
    const body = JSON.stringify(webhook(TWO_HOSTS));
    const headers = { host: PUBLIC, 'content-type': 'application/json' };
    const anonymous = await http(rig.port, '/alertmanager', { method: 'POST', headers, body });
    expect(anonymous.status).toBe(401);
    const wrong = await http(rig.port, '/alertmanager', {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${TOKEN}x` },
      body,
    });
    expect(wrong.status).toBe(401);
    await rig.receiver.idle();
    expect(rig.telegram.requests).toEqual([]);
    expect(existsSync(rig.statePath)).toBe(false);
    const bearer = await http(rig.port, '/alertmanager', {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${TOKEN}` },
      body,
    });
    expect(bearer.status).toBe(200);
    await rig.receiver.idle();
    expect(rig.telegram.accepted).toHaveLength(1);
  });
});

describe('fleet receiver: Telegram and text', () => {
  it('Telegram hanging: the webhook is still answered at once', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    hanging = { server, sockets };
    rig = await startReceiver({ apiBase: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
    const started = performance.now();
    const res = await rig.post(webhook(TWO_HOSTS));
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    // The message is kept in the outbox before it is sent: nothing is lost while Telegram hangs.
    await until(
      'the outbox',
      () => (existsSync(rig!.outboxPath) ? readFileSync(rig!.outboxPath, 'utf8') : ''),
      (t) => t.includes('FIRING fleet'),
    );
  });

  it('Telegram down: the message waits in the outbox and goes out once with the next delivery; a retry adds nothing', async () => {
    rig = await startReceiver();
    rig.telegram.down = true;
    await rig.post(webhook(TWO_HOSTS));
    await rig.receiver.idle();
    expect(rig.telegram.accepted).toEqual([]);
    expect(readFileSync(rig.outboxPath, 'utf8')).toContain('FIRING fleet: ArgusIncident disk:/');
    expect(actions(rig).find((r) => r.action_taken === 'alert:alert:critical')?.details.status).toBe('queued');
    expect((await rig.post(webhook(TWO_HOSTS))).body.status).toBe('duplicate');
    rig.telegram.down = false;
    await rig.post(webhook([{ host: 'db-1', identity: 'memory:host' }]));
    await rig.receiver.idle();
    const all = rig.telegram.accepted.join('\n');
    expect(all.match(/ArgusIncident disk:\/ — 2 alerts/g)).toHaveLength(1);
    expect(all.match(/ArgusIncident memory:host — 1 alert/g)).toHaveLength(1);
  });

  it.each(HOSTILE)(
    'hostile text in labels and annotations (%s) is data: escaped for Telegram, one line, bounded',
    async (_name, hostile) => {
      rig = await startReceiver();
      await rig.post(
        webhook([{ host: `web-${hostile}`, identity: 'disk:/', summary: `$(touch /tmp/pwned) ${hostile}` }], {
          externalURL: 'javascript:alert(1)',
        }),
      );
      await rig.receiver.idle();
      const request = rig.telegram.requests.at(-1)!;
      expect(request.parseMode).toBe('HTML');
      const text = request.text;
      expect(text).not.toMatch(/<(?!\/?b>)/); // no tag but our own bold: the header's and FIRING
      expect(text.match(/<b>/g)).toHaveLength(2);
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(1);
      expect(text).not.toContain('javascript:');
      expect(text.length).toBeLessThan(4000);
      expect(issues(rig)).toHaveLength(1);
    },
  );

  it('a runtime that could not be composed is composed again for the next notification', async () => {
    rig = await startReceiver({ composeFailures: 1 });
    expect((await rig.post(webhook([{ host: 'web-1', identity: 'disk:/' }]))).status).toBe(200);
    await rig.receiver.idle();
    expect(rig.telegram.requests).toEqual([]);
    await rig.post(webhook([{ host: 'db-1', identity: 'memory:host' }]));
    await rig.receiver.idle();
    expect(rig.telegram.accepted).toHaveLength(1);
    expect(rig.telegram.accepted[0]).toContain('ArgusIncident memory:host — 1 alert on 1 host (db-1)');
  });

  it('--dry-run: the attempts are recorded as dry_run, nothing is sent or filed', async () => {
    rig = await startReceiver({ dryRun: true });
    await rig.post(webhook(TWO_HOSTS));
    await rig.receiver.idle();
    expect(actions(rig).map((r) => r.action_result)).toEqual(['dry_run', 'dry_run']);
    expect(rig.telegram.requests).toEqual([]);
    expect(issues(rig)).toEqual([]);
  });
});
