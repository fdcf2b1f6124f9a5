// Chat commands as Telegram delivers them; /ack stops the router's reminders for that incident (and only those).
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { openIncident } from '../../src/agents/router/incidents.js';
import { route, type RouterState } from '../../src/agents/router/route.js';
import type { Finding } from '../../src/model/finding.js';
import { activeSilences, addSilence } from '../../src/orchestrator/silences.js';
import { readJsonState, writeJsonAtomic } from '../../src/state/atomic.js';
import { RouterStateSchema, emptyRouterState } from '../../src/agents/router/route.js';
import { parseCommand } from '../../src/solicitor/commands.js';
import { ANN, bench, CHAT, EVE, waitFor, type Bench } from './harness.js';

let b: Bench;
afterEach(async () => {
  await b?.cleanup();
});

const finding = (over: Partial<Finding> = {}): Finding => ({
  identity: 'service:nginx.service',
  type: 'service',
  subject: 'nginx.service',
  severity: 'warning',
  description: 'nginx.service is failed',
  source: 'rule',
  details: {},
  ...over,
});

function withIncidents(bb: Bench): void {
  const t = new Date(Date.now() - 3_600_000);
  const a = { ...openIncident(finding(), t, null), notified: true, lastNotifiedAt: t.toISOString() };
  const d = {
    ...openIncident(
      finding({ identity: 'disk:/', type: 'disk', subject: '/', description: 'Disk / at 93%' }),
      new Date(t.getTime() + 1000),
      null,
    ),
    notified: true,
  };
  writeJsonAtomic(bb.rt.paths.incidents, { incidents: { [a.identity]: a, [d.identity]: d }, flaps: {} });
}

/** Type a command as ANN (or someone else) and wait for the bot's reply to it. */
async function say(bb: Bench, text: string, from = ANN, chat = CHAT): Promise<string> {
  const before = bb.tg.messages.size;
  bb.tg.command(text, from, chat);
  const m = await waitFor(`a reply to ${text}`, () =>
    [...bb.tg.messages.values()].slice(before).find((x) => x.replyTo !== null),
  );
  return m.text;
}

describe('chat commands', () => {
  it.each([
    ['/status', { name: 'status', args: [] }],
    ['/ack@ArgusBot 2', { name: 'ack', args: ['2'] }],
    ['/silence disk:* 2h full   backup', { name: 'silence', args: ['disk:*', '2h', 'full', 'backup'] }],
    ['hello /status', null],
    ['/', null],
    ['/rm -rf', { name: 'rm', args: ['-rf'] }],
  ])('parseCommand(%j)', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('/help, /status, /incidents, /problems answer briefly in the chat', async () => {
    b = await bench();
    withIncidents(b);
    b.start();
    expect(await say(b, '/help')).toMatch(/\/ack &lt;n\|incident&gt;/);
    expect(await say(b, '/status')).toMatch(/testhost<\/b>: last cycle never <b>STALE<\/b>, — no cycle yet/);
    const list = await say(b, '/incidents');
    expect(list).toMatch(/^1\. 🟠 <code>service:nginx.service<\/code>/);
    expect(list).toMatch(/\n2\. 🟠 <code>disk:\/<\/code>/);
    expect(await say(b, '/problems 24h')).toBe('Nothing detected since 24h.');
    expect(await say(b, '/problems yesterday')).toMatch(/Since must look like/);
    expect(await say(b, '/reboot')).toMatch(/Unknown command \/reboot/);
  });

  it('/ack stops reminders for that incident: recorded, and the router no longer reminds (but still says when it is worse)', async () => {
    b = await bench();
    withIncidents(b);
    b.start();
    expect(await say(b, '/ack 1')).toMatch(/Acknowledged <code>service:nginx.service<\/code>/);
    expect(await say(b, '/ack service:nginx.service')).toMatch(/Already acknowledged by Ann \(501\)/);
    expect(await say(b, '/ack 9')).toMatch(/No open incident 9/);
    const state = readJsonState(b.rt.paths.incidents, RouterStateSchema, emptyRouterState);
    expect(state.incidents['service:nginx.service']).toMatchObject({ ackedBy: 'Ann (501)' });
    expect(state.incidents['disk:/']!.ackedAt).toBeUndefined();
    expect(b.records().filter((r) => r.details.command === 'ack')).toEqual([
      expect.objectContaining({ kind: 'decision', source: 'human', identity: 'service:nginx.service' }),
    ]);
  });

  it('/silence and /unsilence validate their arguments, write the silence and record who did it', async () => {
    b = await bench();
    b.start();
    expect(await say(b, '/silence service:nginx 2h deploy')).toMatch(
      /Silenced <code>service:nginx.service<\/code> until .* \(id <code>s-[0-9a-f]+<\/code>\)/,
    );
    const [s] = activeSilences(b.rt.paths.silences, new Date());
    expect(s).toMatchObject({ matcher: 'service:nginx.service', reason: 'deploy — Ann (501)' });
    expect(await say(b, '/silence nginx 2h')).toMatch(/"nginx" is not a finding type/);
    expect(await say(b, '/silence disk:* soon')).toMatch(/Duration must look like/);
    expect(await say(b, '/silence disk:* 400d')).toMatch(/At most 30 days/);
    expect(await say(b, '/silence $(reboot) 1h')).toMatch(/must be 1-200 characters/);
    expect(await say(b, `/unsilence ${s!.id}`)).toBe(`Removed silence <code>${s!.id}</code>.`);
    expect(await say(b, '/unsilence ../x')).toMatch(/Usage/);
    expect(activeSilences(b.rt.paths.silences, new Date())).toEqual([]);
    expect(b.records().map((r) => r.details.command)).toEqual(['silence', 'unsilence']);
  });

  it('a command from someone else, or from another chat, gets no answer and is recorded', async () => {
    b = await bench();
    addSilence(b.rt.paths.silences, 'disk:*', new Date(Date.now() + 3_600_000), new Date(), null);
    b.start();
    b.tg.command('/unsilence s-000000', EVE, CHAT);
    b.tg.command('/status', ANN, '-100999');
    await waitFor('two records', () => b.records().length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(b.tg.messages.size).toBe(0);
    expect(b.records()).toEqual([
      expect.objectContaining({
        kind: 'decision',
        source: 'human',
        action_result: 'refused',
        description: expect.stringContaining('not an approver'),
      }),
      expect.objectContaining({
        kind: 'decision',
        source: 'human',
        action_result: 'refused',
        description: expect.stringContaining('not the configured chat'),
      }),
    ]);
    expect(activeSilences(b.rt.paths.silences, new Date())).toHaveLength(1);
  });
});

describe('router: an acknowledged incident is not reminded', () => {
  const config = ConfigSchema.parse({ dedupWindowSec: 3600 });
  const t0 = new Date('2026-03-01T10:00:00Z');
  const at = (h: number) => new Date(t0.getTime() + h * 3_600_000);
  const stateWith = (acked: boolean): RouterState => {
    const inc = { ...openIncident(finding(), t0, null), notified: true, lastNotifiedAt: t0.toISOString() };
    return {
      incidents: { [inc.identity]: acked ? { ...inc, ackedAt: t0.toISOString(), ackedBy: 'Ann (501)' } : inc },
      flaps: {},
    };
  };

  it.each([
    ['not acked, 2 h later', false, 2, 'warning', 'renotify', true],
    ['acked, 2 h later', true, 2, 'warning', 'ongoing', false],
    ['acked, a day later', true, 24, 'warning', 'ongoing', false],
    ['acked, but worse', true, 2, 'critical', 'worse', true],
  ])('%s → %s (notify %s)', (_what, acked, hours, severity, transition, notify) => {
    const r = route([finding({ severity: severity as Finding['severity'] })], stateWith(acked), {
      now: at(hours),
      config,
      silences: [],
      seen: null,
    });
    expect(r.decisions[0]).toMatchObject({ transition, notify });
    expect(r.state.incidents['service:nginx.service']!.ackedAt).toBe(acked ? t0.toISOString() : undefined);
  });
});
