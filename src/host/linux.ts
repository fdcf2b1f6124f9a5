// The real machine behind the Host port.
import { statfs } from 'node:fs/promises';
import { hostname } from 'node:os';
import { execFile } from './exec.js';
import type { Host } from './port.js';

export function createLinuxHost(overrides: Partial<Host> = {}): Host {
  return {
    root: '/',
    hostname: () => hostname(),
    exec: execFile,
    statfs: async (path) => {
      const s = await statfs(path);
      return {
        blockSize: s.bsize,
        blocks: s.blocks,
        blocksFree: s.bfree,
        blocksAvail: s.bavail,
        files: s.files,
        filesFree: s.ffree,
      };
    },
    now: () => new Date(),
    sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    fetch: globalThis.fetch,
    kill: (pid, signal) => {
      process.kill(pid, signal);
    },
    pid: process.pid,
    ...overrides,
  };
}
