#!/usr/bin/env node
// The `argus` command line: pick a command, load only its module, exit with its code.
import { config as zodConfig } from 'zod';
import type { Command, CommandIO } from './cli/command.js';
import { EXIT } from './cli/command.js';
import { colourise, colourWanted } from './cli/colour.js';

// zod 4 compiles each object schema with `new Function` on first parse: a win for long-running servers, a loss for
// a CLI that parses each schema about once per run (measured: ~8% of a healthy cycle's CPU).
zodConfig({ jitless: true });

const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  once: () => import('./cli/commands/once.js'),
  run: () => import('./cli/commands/run.js'),
  status: () => import('./cli/commands/status.js'),
  problems: () => import('./cli/commands/problems.js'),
  silence: () => import('./cli/commands/silence.js'),
  doctor: () => import('./cli/commands/doctor.js'),
  chronicle: () => import('./cli/commands/chronicle.js'),
  stats: () => import('./cli/commands/stats.js'),
  mcp: () => import('./cli/commands/mcp.js'),
  serve: () => import('./cli/commands/serve.js'),
  solicit: () => import('./cli/commands/solicit.js'),
  dashboard: () => import('./cli/commands/dashboard.js'),
  simulate: () => import('./cli/commands/simulate.js'),
  'notify-failure': () => import('./cli/commands/notify-failure.js'),
  install: () => import('./cli/commands/install.js'),
  uninstall: () => import('./cli/commands/uninstall.js'),
  completion: () => import('./cli/commands/completion.js'),
};

/** `--help` or `-h` before any `--`. */
const wantsHelp = (args: readonly string[]): boolean => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const { topHelp, commandHelp } = await import('./cli/help.js');
    const about = name === 'help' && rest[0] ? commandHelp(rest[0]) : null;
    (name ? io.stdout : io.stderr)(about ?? topHelp());
    return name ? EXIT.OK : EXIT.USAGE;
  }
  if (name === '--version') {
    io.stdout('argus 0.1.0\n');
    return EXIT.OK;
  }
  const load = COMMANDS[name];
  if (!load) {
    const { topHelp } = await import('./cli/help.js');
    io.stderr(`argus: unknown command "${name}"\n\n${topHelp()}`);
    return EXIT.USAGE;
  }
  if (wantsHelp(rest)) {
    const { commandHelp } = await import('./cli/help.js');
    io.stdout(commandHelp(name) ?? '');
    return EXIT.OK;
  }
  const command = (await load()).default;
  return command(rest, io);
}

// A reader that goes away (`argus problems | head -1`) ends the command quietly, as `cat` does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK);
    throw error;
  });
}

const argv = process.argv.slice(2);
const colour = colourWanted(process.stdout.isTTY === true, process.env, argv);
const io: CommandIO = {
  stdout: (text) => process.stdout.write(colour ? colourise(text) : text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stderrIsTTY: process.stderr.isTTY === true,
};

// --no-color is global: taken out before the command parses its own flags.
main(
  argv.filter((a) => a !== '--no-color'),
  io,
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`argus: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = EXIT.FAILED;
  },
);
