// Shared by the commands: flag parsing, configuration loading with a plain error, the logger.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, statePaths, type LoadedConfig, type StatePaths } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { createLog, type Log } from '../log.js';
import { serviceEnvironment } from '../install/service-env.js';
import { EXIT, type CommandIO } from './command.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Parse flags; on a usage error print it and return null (the caller exits 2). */
export function parseFlags<O extends Options>(argv: string[], options: O, io: CommandIO, allowPositionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, config: { type: 'string' } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    io.stderr(`argus: ${(error as Error).message}\n`);
    return null;
  }
}

export interface Loaded extends LoadedConfig {
  paths: StatePaths;
  /** Where the state dir came from, for `status` and `doctor`. */
  stateFrom: string;
}

/**
 * The environment a command runs with. When Argus is installed as a service and the caller did not choose a state dir,
 * an operator's command sees what the service sees: the installed unit's `Environment=` and `EnvironmentFile=`
 * (the caller's own variables still win). A plain checkout keeps `./state`.
 */
export function commandEnv(io: CommandIO): { env: CommandIO['env']; stateFrom: string } {
  let found = resolved.get(io);
  if (!found) resolved.set(io, (found = resolveEnv(io)));
  return found;
}

/** Per command run: the unit file is read (and a warning printed) once. */
const resolved = new WeakMap<CommandIO, { env: CommandIO['env']; stateFrom: string }>();

function resolveEnv(io: CommandIO): { env: CommandIO['env']; stateFrom: string } {
  if (io.env.ARGUS_STATE_DIR) return { env: io.env, stateFrom: 'ARGUS_STATE_DIR' };
  const service = serviceEnvironment();
  if (!service) return { env: io.env, stateFrom: 'the default (./state: no installed service)' };
  for (const path of service.unreadable)
    io.stderr(
      `argus: ${path} (the service's settings) is not readable: run as root to see the service's configuration\n`,
    );
  return { env: { ...service.env, ...io.env }, stateFrom: `the installed service (${service.unit})` };
}

/** Load and validate the configuration; on error print one clear message and return the exit code 2. */
export function loadOrExplain(
  io: CommandIO,
  configPath: string | undefined,
  overrides: Record<string, unknown> = {},
): Loaded | number {
  try {
    const { env, stateFrom } = commandEnv(io);
    const loaded = loadConfig({ env, cwd: io.cwd, configPath, overrides });
    return { ...loaded, paths: statePaths(loaded.config), stateFrom };
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`argus: ${error.message}\n`);
      return EXIT.USAGE;
    }
    throw error;
  }
}

export function commandLog(paths: StatePaths, io: CommandIO, options: { quiet?: boolean } = {}): Log {
  return createLog({ logDir: paths.logDir, level: commandEnv(io).env.ARGUS_LOG_LEVEL, quiet: options.quiet });
}

/** What `once` and `run` need: validated config, the logger, and the composed runtime (loaded lazily). */
export async function cycleRuntime(io: CommandIO, configPath: string | undefined, dryRun: boolean | undefined) {
  const loaded = loadOrExplain(io, configPath, dryRun ? { dryRun: true } : {});
  if (typeof loaded === 'number') return loaded;
  const log = commandLog(loaded.paths, io);
  const { createRuntime } = await import('../orchestrator/compose.js');
  const { runGuardedCycle } = await import('../orchestrator/once.js');
  const rt = await createRuntime(loaded.config, loaded.paths, { log });
  return { loaded, log, rt, runGuardedCycle };
}

/** `--port`: a whole number 0–65535 (default 8787); null after saying why on stderr (a usage error). */
export function parsePort(text: string | undefined, io: CommandIO, usage: string): number | null {
  const raw = text ?? '8787';
  const port = Number(raw);
  if (/^\d+$/.test(raw) && port <= 65535) return port;
  io.stderr(`argus: --port must be a number 0–65535\n${usage}`);
  return null;
}
