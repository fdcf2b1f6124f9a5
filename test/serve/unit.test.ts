// argus-serve.service: hardened (systemd-analyze security ≤ 2.6), read-only state, no capability, loopback only.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTemplate, renderUnit } from '../../src/install/units.js';
import { makeTmp } from '../support/tmp.js';

const ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));
let tmp: ReturnType<typeof makeTmp> | undefined;
afterEach(() => tmp?.cleanup());

function rendered(): string {
  tmp = makeTmp('argus-unit-');
  const path = join(tmp.dir, 'argus-serve.service');
  writeFileSync(
    path,
    renderUnit(readTemplate('argus-serve.service'), { node: process.execPath, argusDir: '/opt/argus' }),
  );
  return path;
}

describe('argus-serve.service', () => {
  it('reads the state, never writes it; runs serve --read-only; keeps no capability; loopback only', () => {
    const lines = readTemplate('argus-serve.service').split('\n');
    for (const line of [
      'ProtectSystem=strict',
      'ReadOnlyPaths=/var/lib/argus',
      'CapabilityBoundingSet=',
      'NoNewPrivileges=true',
      'IPAddressAllow=localhost',
      'IPAddressDeny=any',
      'ExecStart=@NODE@ --max-semi-space-size=1 @ARGUS_DIR@/dist/cli.js serve --read-only',
    ]) {
      expect(lines).toContain(line);
    }
    expect(lines.some((l) => /^(StateDirectory|ReadWritePaths)=/.test(l))).toBe(false);
  });

  it.skipIf(!ANALYZE)('scores ≤ 2.6 with systemd-analyze security --offline, and verifies', () => {
    const path = rendered();
    const r = spawnSync(ANALYZE!, ['security', '--offline=true', '--no-pager', path], { encoding: 'utf8' });
    const score = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout)?.[1]);
    expect(score, r.stdout.slice(-3000)).toBeLessThanOrEqual(2.6);
    const v = spawnSync(ANALYZE!, ['verify', path], { encoding: 'utf8' });
    expect(v.stderr.split('\n').filter((l) => l.includes('argus-serve'))).toEqual([]);
  });
  if (!ANALYZE) it.skip('systemd-analyze is not installed (Debian package systemd)', () => {});
});
