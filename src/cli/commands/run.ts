// `argus run`: a cycle every ARGUS_INTERVAL seconds; SIGTERM/SIGINT let the current cycle finish, then exit 0.
import { EXIT, type Command } from '../command.js';
import { cycleRuntime, parseFlags } from '../common.js';

const run: Command = async (argv, io) => {
  const flags = parseFlags(argv, { 'dry-run': { type: 'boolean' }, cycles: { type: 'string' } }, io);
  if (!flags) return EXIT.USAGE;
  const maxCycles = flags.values.cycles === undefined ? Infinity : Number(flags.values.cycles);
  if (!(maxCycles > 0)) {
    io.stderr('argus: --cycles must be a positive number\n');
    return EXIT.USAGE;
  }
  const built = await cycleRuntime(io, flags.values.config, flags.values['dry-run']);
  if (typeof built === 'number') return built;
  const { loaded, log, rt, runGuardedCycle } = built;

  let stopping = false;
  let wake: (() => void) | null = null;
  const stop = (signal: string) => {
    if (!stopping) log.info({ signal }, 'stopping after the current cycle');
    stopping = true;
    wake?.();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  log.info({ intervalSec: loaded.config.intervalSec }, 'argus run: started');
  for (let n = 0; n < maxCycles && !stopping; n++) {
    const started = Date.now();
    const outcome = await runGuardedCycle(rt);
    if (outcome.status === 'ok') {
      const r = outcome.report;
      log.info(
        { cycleId: r.cycleId, findings: r.findings.length, actions: r.actions.length, ms: r.durationMs },
        'cycle done',
      );
    } else if (outcome.status === 'locked')
      log.warn({ ownerPid: outcome.ownerPid }, 'another cycle is running; skipped');
    if (stopping || n + 1 >= maxCycles) break;
    const wait = Math.max(0, loaded.config.intervalSec * 1000 - (Date.now() - started));
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, wait);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    wake = null;
  }
  log.info('argus run: stopped');
  return EXIT.OK;
};
export default run;
