import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAthena } from '../../../src/agents/collector/athena.js';
import { createLinuxHost } from '../../../src/host/linux.js';
import { NOW, tempDirs } from './helpers.js';

const temp = tempDirs();
afterEach(() => temp.cleanup());
const host = createLinuxHost();

describe('readAthena', () => {
  it('the newest entry by mtime and its age', async () => {
    const dir = temp.make();
    const at = (name: string, secondsBeforeNow: number): void => {
      writeFileSync(join(dir, name), 'x');
      const t = (NOW.getTime() - secondsBeforeNow * 1000) / 1000;
      utimesSync(join(dir, name), t, t);
    };
    at('2026-02-27.md', 3 * 86_400);
    at('2026-03-01.md', 7200);
    at('2026-02-28.md', 86_400);
    mkdirSync(join(dir, 'old-subdir'));
    utimesSync(join(dir, 'old-subdir'), 1000, 1000);
    expect(await readAthena(host, dir, NOW)).toEqual({
      dir,
      exists: true,
      latestFile: '2026-03-01.md',
      latestMtime: new Date(NOW.getTime() - 7_200_000).toISOString(),
      ageSec: 7200,
    });
  });

  it.each([
    ['a missing directory', (d: string) => join(d, 'nope'), false],
    ['an empty directory', (d: string) => d, true],
  ])('%s', async (_name, pick, exists) => {
    const dir = pick(temp.make());
    expect(await readAthena(host, dir, NOW)).toEqual({
      dir,
      exists,
      latestFile: null,
      latestMtime: null,
      ageSec: null,
    });
  });
});
