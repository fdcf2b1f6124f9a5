import { describe, expect, it } from 'vitest';
import {
  emptySelfHealth,
  isUnwritable,
  markSent,
  nextSelfHealth,
  type SelfHealth,
  type SelfObservation,
} from '../../src/orchestrator/self-health.js';
import { ArgusError } from '../../src/errors.js';

const T0 = Date.parse('2026-12-02T00:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000);
const MB = 1024 * 1024;
const obs = (over: Partial<SelfObservation> = {}): SelfObservation => ({
  ok: true,
  error: null,
  stateUnwritable: false,
  stateDir: '/var/lib/argus',
  stateFreeBytes: 500 * MB,
  minFreeBytes: 100 * MB,
  ...over,
});
const failed = (over: Partial<SelfObservation> = {}) =>
  obs({ ok: false, error: 'EISDIR: illegal operation on a directory', ...over });
const full = () =>
  failed({ error: 'no space left on the state filesystem', stateUnwritable: true, stateFreeBytes: 4096 });
const low = () => obs({ stateFreeBytes: 20 * MB });

/** Run cycles (one every 5 minutes, delivery always works) and list what a person was told, by minute. */
function told(cycles: SelfObservation[], deliver = (_n: number) => true): string[] {
  let h: SelfHealth = emptySelfHealth();
  const out: string[] = [];
  cycles.forEach((o, n) => {
    const now = at(n * 5);
    const r = nextSelfHealth(h, o, now);
    h = r.next;
    if (r.message && deliver(n)) {
      out.push(`${n * 5}m ${r.message.kind}`);
      h = markSent(h, r.message, now);
    }
  });
  return out;
}
const repeat = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);

describe('self-health: what a person is told about Argus itself', () => {
  it.each([
    ['healthy cycles: nothing', repeat(10, () => obs()), []],
    ['two failed cycles: not yet', [failed(), failed(), obs()], []],
    [
      'three failed cycles: one alert, then quiet, then recovery',
      [...repeat(6, () => failed()), obs()],
      ['10m alert', '30m recovery'],
    ],
    [
      'a full disk: the first failed cycle alerts (no waiting for three)',
      [full(), full(), full(), obs()],
      ['0m alert', '15m recovery'],
    ],
    [
      'state filesystem under the guard while cycles work: one alert, one recovery',
      [low(), low(), low(), obs()],
      ['0m alert', '15m recovery'],
    ],
    [
      'low, then unwritable, then failing: one episode, one alert',
      [low(), full(), full(), failed(), failed(), obs()],
      ['0m alert', '25m recovery'],
    ],
    [
      'two failures, a success, two failures: the count restarted, no alert',
      [failed(), failed(), obs(), failed(), failed()],
      [],
    ],
  ] as const)('%s', (_name, cycles, expected) => {
    expect(told([...cycles])).toEqual(expected);
  });

  it('reminds at most hourly, then backs off: 1 h, 4 h, 12 h, 12 h over a day of failure', () => {
    const day = repeat(24 * 12 + 1, () => failed());
    const messages = told(day);
    expect(messages).toEqual(['10m alert', '70m reminder', '310m reminder', '1030m reminder']);
  });

  it('an alert that could not be delivered is tried again next cycle, and counts only once delivered', () => {
    const cycles = repeat(6, () => failed());
    // The channel is down for cycles 2 to 4 (the alert is due at cycle 2).
    expect(told(cycles, (n) => n >= 5)).toEqual(['25m alert']);
  });

  it('a recovery is told only when an alert was; an episode nobody heard of ends quietly', () => {
    expect(told([full(), full(), obs()], () => false)).toEqual([]);
  });

  it('keeps counting failures in what it returns, with the last error in one line', () => {
    let h = emptySelfHealth();
    for (let i = 0; i < 4; i++) h = nextSelfHealth(h, failed({ error: `boom ${i}` }), at(i)).next;
    expect(h).toMatchObject({ failures: 4, lastError: 'boom 3', lastOkAt: null });
    const ok = nextSelfHealth(h, obs(), at(9)).next;
    expect(ok).toMatchObject({ failures: 0, lastOkAt: at(9).toISOString() });
  });

  it('messages say what is wrong and what to do, with stable ids per episode', () => {
    const r = nextSelfHealth(emptySelfHealth(), full(), at(0));
    expect(r.message?.text).toMatch(/cannot write its state under \/var\/lib\/argus/);
    expect(r.message?.text).toMatch(/0\.00 MiB free \(needs 100 MiB\)/);
    expect(r.message?.text).toMatch(/df -h \/var\/lib\/argus/);
    const again = nextSelfHealth(r.next, full(), at(5));
    expect(again.message?.id).toBe(r.message?.id);
  });

  it.each([
    [Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), true],
    [new ArgusError('short_write', 'wrote 10 of 20 bytes'), true],
    [new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'EROFS' }) }), true],
    [Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), false],
    [new Error('plain'), false],
  ])('isUnwritable(%s) = %s', (error, expected) => {
    expect(isUnwritable(error)).toBe(expected);
  });
});
