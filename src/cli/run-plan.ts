// Show or carry out an install/uninstall plan, one line a step; how many steps failed (0 for a dry run).
import { createLinuxHost } from '../host/linux.js';
import { applyPlan } from '../install/apply.js';
import { describeStep, type Step } from '../install/plan.js';
import type { CommandIO } from './command.js';

export async function runPlan(steps: readonly Step[], dryRun: boolean, io: CommandIO): Promise<number> {
  if (dryRun) {
    for (const step of steps) {
      io.stdout(`  would ${describeStep(step)}\n`);
      // Show what would be written, so the plan can be reviewed before it is applied.
      if (step.kind === 'write') io.stdout(`${step.text.replace(/^/gm, '      | ')}\n`);
    }
    io.stdout('Dry run: nothing changed.\n');
    return 0;
  }
  const reports = await applyPlan(steps, createLinuxHost().exec);
  for (const r of reports) io.stdout(`  ${r.ok ? '' : 'FAILED: '}${r.line}\n`);
  return reports.filter((r) => !r.ok).length;
}
