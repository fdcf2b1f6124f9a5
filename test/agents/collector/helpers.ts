// Test helpers for the collector: a Host over a fixture root with scripted statfs/exec, and temp dirs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinuxHost } from '../../../src/host/linux.js';
import type { Host, StatFs } from '../../../src/host/port.js';
import { execResult } from '../../support/exec-result.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/collector/', import.meta.url));
export const fixture = (name: string): string => join(FIXTURES, name);

export const NOW = new Date('2026-03-01T12:00:00.000Z');

export { execResult };

export const DISK_STATFS: StatFs = {
  blockSize: 4096,
  blocks: 1_000_000,
  blocksFree: 400_000,
  blocksAvail: 350_000,
  files: 65_536,
  filesFree: 60_000,
};

/** A Host reading `root`; statfs answers DISK_STATFS for any path, exec fails as "not installed" unless given. */
export function fixtureHost(root: string, overrides: Partial<Host> = {}): Host {
  return createLinuxHost({
    root,
    hostname: () => 'fixture',
    now: () => NOW,
    statfs: async () => DISK_STATFS,
    exec: async () => execResult({ exitCode: null, failed: true, spawnError: 'ENOENT' }),
    fetch: async () => {
      throw new Error('no network in this test');
    },
    pid: 4242,
    ...overrides,
  });
}

/** mkdtemp under the OS temp dir, and its cleanup. */
export function tempDirs(): { make: () => string; cleanup: () => void } {
  const dirs: string[] = [];
  return {
    make: () => {
      const d = mkdtempSync(join(tmpdir(), 'argus-'));
      dirs.push(d);
      return d;
    },
    cleanup: () => {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}
