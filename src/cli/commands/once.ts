// `argus once`: one guarded cycle; prints the report (or JSON) and exits with a documented code.
import { EXIT, type Command } from '../command.js';
import { cycleRuntime, parseFlags } from '../common.js';
import { renderCycle } from '../report.js';
import { SEVERITY_RANK } from '../../model/finding.js';

const once: Command = async (argv, io) => {
  const flags = parseFlags(
    argv,
    { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, 'fail-on': { type: 'string' } },
    io,
  );
  if (!flags) return EXIT.USAGE;
  const failOn = flags.values['fail-on'];
  if (failOn !== undefined && failOn !== 'warning' && failOn !== 'critical') {
    io.stderr(`argus: --fail-on must be "warning" or "critical", not ${JSON.stringify(failOn)}\n`);
    return EXIT.USAGE;
  }
  const built = await cycleRuntime(io, flags.values.config, flags.values['dry-run']);
  if (typeof built === 'number') return built;
  const { log, rt, runGuardedCycle } = built;
  // `systemctl stop` sends SIGTERM: let the cycle finish (systemd's TimeoutStopSec bounds it) rather than die mid-way.
  const onTerm = () => log.warn('SIGTERM: finishing the current cycle, then exiting');
  process.on('SIGTERM', onTerm);
  const outcome = await runGuardedCycle(rt).finally(() => process.off('SIGTERM', onTerm));
  if (outcome.status === 'locked') {
    io.stderr(`argus: another cycle is running (pid ${outcome.ownerPid}); nothing done\n`);
    return EXIT.LOCKED;
  }
  if (outcome.status === 'failed') {
    io.stderr(`argus: cycle failed (${outcome.consecutiveFailures} in a row): ${outcome.error.message}\n`);
    return EXIT.FAILED;
  }
  const report = outcome.report;
  io.stdout(flags.values.json ? `${JSON.stringify(report, null, 2)}\n` : renderCycle(report));
  if (failOn) {
    const worst = Math.max(-1, ...report.findings.map((f) => SEVERITY_RANK[f.severity]));
    if (worst >= SEVERITY_RANK[failOn]) return EXIT.FINDINGS;
  }
  return EXIT.OK;
};
export default once;
