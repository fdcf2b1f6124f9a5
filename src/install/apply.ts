// Carry out an install/uninstall plan: files written atomically with their modes, systemctl through an argument array.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../state/atomic.js';
import type { Host } from '../host/port.js';
import { describeStep, type Step } from './plan.js';

export interface StepReport {
  step: Step;
  ok: boolean;
  line: string;
}

/** Run the steps in order; a failing step is reported and the rest still run (each is independent and idempotent). */
export async function applyPlan(steps: readonly Step[], exec: Host['exec']): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  for (const step of steps) {
    const what = describeStep(step);
    try {
      switch (step.kind) {
        case 'mkdir':
          mkdirSync(step.path, { recursive: true, mode: step.mode });
          chmodSync(step.path, step.mode);
          break;
        case 'write':
          writeFileAtomic(step.path, step.text);
          chmodSync(step.path, step.mode);
          break;
        case 'chmod':
          chmodSync(step.path, step.mode);
          break;
        case 'remove':
          rmSync(step.path, { force: true });
          break;
        case 'keep':
          break;
        case 'systemctl': {
          const r = await exec('systemctl', step.args, { timeoutMs: 60_000 });
          if (r.failed) {
            const why = (r.stderr || r.spawnError || `exit ${r.exitCode}`).trim().split('\n')[0] ?? '';
            reports.push({ step, ok: false, line: `${what}: failed (${why})` });
            continue;
          }
          break;
        }
      }
      reports.push({ step, ok: true, line: what });
    } catch (error) {
      reports.push({
        step,
        ok: false,
        line: `${what}: failed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      });
    }
  }
  return reports;
}
