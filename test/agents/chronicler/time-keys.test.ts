import { describe, expect, it } from 'vitest';
import { TimeKeys, dayKey, hourOf, weekdayOf } from '../../../src/agents/chronicler/util.js';
import { lcg } from '../../support/registry-gen.js';

describe('time keys without a Date per record', () => {
  it('hourOf, weekdayOf and TimeKeys agree with Date on times before and after 1970, in and out of order', () => {
    const r = lcg(3);
    const keys = new TimeKeys();
    let t = Date.parse('1969-12-25T00:00:00.000Z');
    for (let i = 0; i < 50_000; i++) {
      // Mostly forward by up to an hour, sometimes back a little (appends out of order), sometimes a jump.
      t +=
        r() < 0.05 ? -Math.floor(r() * 7_200_000) : r() < 0.01 ? Math.floor(r() * 1e12) : Math.floor(r() * 3_600_000);
      const d = new Date(t);
      expect(hourOf(t)).toBe(d.getUTCHours());
      expect(weekdayOf(t)).toBe(d.getUTCDay());
      expect(keys.day(t)).toBe(dayKey(t));
      expect(keys.hour(t)).toBe(d.toISOString().slice(0, 13));
    }
  });
});
