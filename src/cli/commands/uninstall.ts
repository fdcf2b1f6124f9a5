// `argus uninstall`: stop and remove the units `argus install` wrote; state, logs and the env file are kept.
import { resolve } from 'node:path';
import { planUninstall } from '../../install/plan.js';
import { runPlan } from '../run-plan.js';
import { EXIT, type Command } from '../command.js';
import { parseFlags } from '../common.js';

const uninstall: Command = async (argv, io) => {
  const flags = parseFlags(argv, { 'dry-run': { type: 'boolean' }, root: { type: 'string' } }, io);
  if (!flags) return EXIT.USAGE;
  const root = resolve(io.cwd, flags.values.root ?? '/');
  if (!flags.values['dry-run'] && root === '/' && process.getuid?.() !== 0) {
    io.stderr('argus: uninstalling from / needs root (use sudo, or --dry-run)\n');
    return EXIT.FAILED;
  }
  const steps = planUninstall({ root });
  io.stdout(`argus uninstall${root === '/' ? '' : ` (root ${root})`}\n`);
  if (steps.length === 0) {
    io.stdout('  nothing to do: no Argus units installed\n');
    return EXIT.OK;
  }
  const failed = await runPlan(steps, flags.values['dry-run'] === true, io);
  if (flags.values['dry-run']) return EXIT.OK;
  if (failed) io.stderr(`argus: ${failed} step(s) failed\n`);
  io.stdout('State (/var/lib/argus) and logs (/var/log/argus) are kept.\n');
  return failed ? EXIT.FAILED : EXIT.OK;
};

export default uninstall;
