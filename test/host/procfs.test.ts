import { describe, expect, it } from 'vitest';
import { PF_KTHREAD, isKernelThread } from '../../src/host/procfs.js';
import { isKernelThread as collectorRule } from '../../src/agents/collector/proc-pid.js';
import { isKernelThread as killRule } from '../../src/agents/executor/proc.js';

describe('isKernelThread: one rule for the collector and kill_pid', () => {
  it.each([
    ['kthreadd itself', { pid: 2, ppid: 0, flags: 0 }, true],
    ['a child of kthreadd', { pid: 40, ppid: 2, flags: PF_KTHREAD }, true],
    [
      'PF_KTHREAD set, reparented (a kernel thread whatever its parent says)',
      { pid: 41, ppid: 1, flags: PF_KTHREAD | 0x40 },
      true,
    ],
    ['a user process', { pid: 4100, ppid: 1, flags: 0x400100 }, false],
    ['init', { pid: 1, ppid: 0, flags: 0x400100 }, false],
  ] as const)('%s', (_name, s, expected) => {
    expect(isKernelThread(s)).toBe(expected);
    expect(collectorRule).toBe(isKernelThread);
    expect(killRule).toBe(isKernelThread);
  });
});
