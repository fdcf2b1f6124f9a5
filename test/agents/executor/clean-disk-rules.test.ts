// clean_disk's fixed rules as tables: which names a root may remove, and a file's age (the newer of mtime and ctime).
import { describe, expect, it } from 'vitest';
import {
  ageClock,
  changedMs,
  isReserved,
  judgeFile,
  type FileVerdict,
  type SafelistRule,
} from '../../../src/agents/executor/actions/clean-disk/rules.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const clock = ageClock(NOW, NOW, 7);
const ago = (days: number) => NOW - days * DAY;

describe('judgeFile', () => {
  it.each<[string, SafelistRule, string, number, { mtimeMs: number; ctimeMs: number; inUse: boolean }, FileVerdict]>([
    ['old temp file', 'tmp', 'build.tar', 2, { mtimeMs: ago(30), ctimeMs: ago(30), inUse: false }, 'remove'],
    [
      'old mtime, new ctime (cp -p, tar x, touch -d)',
      'tmp',
      'x',
      1,
      { mtimeMs: ago(400), ctimeMs: ago(0.001), inUse: false },
      'young',
    ],
    ['new mtime, old ctime', 'tmp', 'x', 1, { mtimeMs: ago(1), ctimeMs: ago(30), inUse: false }, 'young'],
    ['exactly at the cutoff', 'tmp', 'x', 1, { mtimeMs: ago(7), ctimeMs: ago(7), inUse: false }, 'young'],
    [
      'ctime in the future (the clock stepped back)',
      'tmp',
      'x',
      1,
      { mtimeMs: ago(30), ctimeMs: NOW + DAY, inUse: false },
      'young',
    ],
    ['old but in use', 'cache', 'wheel.whl', 3, { mtimeMs: ago(30), ctimeMs: ago(30), inUse: true }, 'open'],
    [
      'rotated log',
      'rotated-log',
      'access.log.2.gz',
      2,
      { mtimeMs: ago(30), ctimeMs: ago(30), inUse: false },
      'remove',
    ],
    ['live log', 'rotated-log', 'access.log', 2, { mtimeMs: ago(30), ctimeMs: ago(30), inUse: false }, 'notMatching'],
    [
      'log look-alike',
      'rotated-log',
      'access.log.2.gz.evil',
      2,
      { mtimeMs: ago(30), ctimeMs: ago(30), inUse: false },
      'notMatching',
    ],
    ['argus rotated', 'argus-log', 'argus.log.3', 1, { mtimeMs: ago(30), ctimeMs: ago(30), inUse: false }, 'remove'],
    [
      'argus rotated, deeper',
      'argus-log',
      'argus.log.3',
      2,
      { mtimeMs: ago(30), ctimeMs: ago(30), inUse: false },
      'notMatching',
    ],
    [
      'argus live log',
      'argus-log',
      'argus.log',
      1,
      { mtimeMs: ago(30), ctimeMs: ago(30), inUse: false },
      'notMatching',
    ],
  ])('%s', (_label, rule, name, depth, file, verdict) => {
    expect(judgeFile(rule, name, depth, file, clock)).toBe(verdict);
  });
});

describe('changedMs', () => {
  it('takes the newer of mtime and ctime on a real clock', () => {
    expect(changedMs({ mtimeMs: ago(400), ctimeMs: ago(1) }, clock)).toBe(ago(1));
    expect(changedMs({ mtimeMs: ago(1), ctimeMs: ago(400) }, clock)).toBe(ago(1));
  });
  it('under a simulation clock months behind the real one, a ctime after that clock cannot be compared: mtime ages the file', () => {
    const sim = ageClock(NOW, NOW + 270 * DAY, 7);
    expect(changedMs({ mtimeMs: ago(20), ctimeMs: NOW + 269 * DAY }, sim)).toBe(ago(20));
    expect(changedMs({ mtimeMs: ago(20), ctimeMs: ago(1) }, sim)).toBe(ago(1));
  });
  it('a real clock (host clock = wall clock) never ignores a ctime, not even one after it', () => {
    expect(changedMs({ mtimeMs: ago(20), ctimeMs: NOW + 5_000 }, ageClock(NOW, NOW + 1_000, 7))).toBe(NOW + 5_000);
  });
});

describe('isReserved', () => {
  it.each<[SafelistRule, string, number, boolean]>([
    ['tmp', 'systemd-private-abc-nginx.service-x', 1, true],
    ['tmp', '.X11-unix', 1, true],
    ['tmp', 'tmux-0', 1, true],
    ['tmp', 'tmux-0', 2, false],
    ['tmp', '.X11-unix.evil', 1, false],
    ['cache', 'systemd-private-x', 1, false],
  ])('%s %s at depth %d → %s', (rule, name, depth, reserved) => {
    expect(isReserved(rule, name, depth)).toBe(reserved);
  });
});
