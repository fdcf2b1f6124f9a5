// Shared by the commands: flag parsing, configuration loading with a plain error, the logger.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, statePaths, type LoadedConfig, type StatePaths } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { createLog, type Log } from '../log.js';
import { EXIT, type CommandIO } from './command.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Parse flags; on a usage error print it and return null (the caller exits 2). */
export function parseFlags<O extends Options>(argv: string[], options: O, io: CommandIO, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, config: { type: 'string' } }, allowPositionals, strict: true });
  } catch (error) {
    io.stderr(`argus: ${(error as Error).message}\n`);
    return null;
  }
}

export interface Loaded extends LoadedConfig {
  paths: StatePaths;
}

/** Load and validate the configuration; on error print one clear message and return the exit code 2. */
export function loadOrExplain(io: CommandIO, configPath: string | undefined, overrides: Record<string, unknown> = {}): Loaded | number {
  try {
    const loaded = loadConfig({ env: io.env, cwd: io.cwd, configPath, overrides });
    return { ...loaded, paths: statePaths(loaded.config) };
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`argus: ${error.message}\n`);
      return EXIT.USAGE;
    }
    throw error;
  }
}

export function commandLog(paths: StatePaths, io: CommandIO, options: { quiet?: boolean } = {}): Log {
  return createLog({ logDir: paths.logDir, level: io.env.ARGUS_LOG_LEVEL, quiet: options.quiet });
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
