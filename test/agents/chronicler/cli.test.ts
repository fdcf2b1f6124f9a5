import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../../src/cli/command.js';
import chronicle from '../../../src/cli/commands/chronicle.js';
import stats from '../../../src/cli/commands/stats.js';
import { generateWeek } from '../../support/registry-gen.js';

let dir: string;
let out: string[];
let err: string[];
let io: CommandIO;
beforeEach(() => {
  dir = mkdtempSync(`${tmpdir()}/argus-`);
  generateWeek(dir);
  out = [];
  err = [];
  io = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: { ARGUS_STATE_DIR: dir, ARGUS_LOG_LEVEL: 'silent' },
    cwd: dir,
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SINCE = ['--since', '2024-05-06T00:00:00Z'];

describe('argus chronicle', () => {
  it('--dry-run lists the patterns and the files it would write, and writes nothing', async () => {
    expect(await chronicle([...SINCE, '--dry-run'], io)).toBe(0);
    const text = out.join('');
    expect(text).toContain('Patterns (4):');
    expect(text).toContain('[disk_full] /data fills at 24 GiB a day');
    expect(text).toMatch(/would be created\s+runbooks\/service-nginx-service\.md/);
    expect(existsSync(join(dir, 'docs'))).toBe(false);
  });

  it('writes into --out, then reports the files unchanged on a second run', async () => {
    expect(await chronicle([...SINCE, '--out', 'site'], io)).toBe(0);
    expect(readdirSync(join(dir, 'site', 'runbooks')).sort()).toEqual([
      'disk-root.md',
      'service-api-service.md',
      'service-nginx-service.md',
    ]);
    out = [];
    expect(await chronicle([...SINCE, '--out', 'site'], io)).toBe(0);
    expect(out.join('')).toMatch(/unchanged\s+postmortems\/2024-05-08-inc-api-1\.md/);
  });

  it('refuses a bad --since with exit 2', async () => {
    expect(await chronicle(['--since', 'soon'], io)).toBe(2);
    expect(err.join('')).toContain('--since');
  });
});

describe('argus stats', () => {
  it('prints a readable summary by default', async () => {
    expect(await stats(SINCE, io)).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/122 records, 30 detections, 30 incidents opened/);
    expect(text).toMatch(/restart_service\s+96\.6 % \(28 ok, 1 failed\)/);
  });

  it('--json and --prometheus, and the textfile dir', async () => {
    expect(await stats([...SINCE, '--json'], io)).toBe(0);
    expect(JSON.parse(out.join('')).by_type).toEqual({ disk: 1, service: 29 });
    out = [];
    expect(await stats([...SINCE, '--prometheus', '--textfile-dir', 'tf'], io)).toBe(0);
    const prom = out.join('');
    expect(prom).toContain('argus_detections_total{severity="critical",type="service"} 29\n');
    expect(prom).toContain('# TYPE argus_detections_total counter\n');
    expect(readFileSync(join(dir, 'tf', 'argus.prom'), 'utf8')).toBe(prom);
    expect(await stats(['--json', '--prometheus'], io)).toBe(2);
  });
});
