// An ExecResult for fake `exec` ports: a clean exit unless the test says otherwise.
import type { ExecResult } from '../../src/host/port.js';

export function execResult(partial: Partial<ExecResult> = {}): ExecResult {
  return {
    exitCode: 0,
    signal: null,
    stdout: '',
    stderr: '',
    timedOut: false,
    durationMs: 1,
    failed: false,
    spawnError: null,
    ...partial,
  };
}
