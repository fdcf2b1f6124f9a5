#!/usr/bin/env node
// The `argus` command line: pick a command, load only its module, exit with its code.
import { config as zodConfig } from 'zod';
import type { Command, CommandIO } from './cli/command.js';
import { EXIT } from './cli/command.js';

// zod 4 compiles each object schema with `new Function` on first parse: a win for long-running servers, a loss for
// a CLI that parses each schema about once per run (measured: ~8% of a healthy cycle's CPU).
zodConfig({ jitless: true });

const COMMANDS: Record<string, { load: () => Promise<{ default: Command }>; summary: string }> = {
  once: { load: () => import('./cli/commands/once.js'), summary: 'run one cycle [--dry-run] [--json] [--fail-on warning|critical]' },
  run: { load: () => import('./cli/commands/run.js'), summary: 'run cycles every ARGUS_INTERVAL seconds until SIGTERM/SIGINT' },
  status: { load: () => import('./cli/commands/status.js'), summary: 'latest snapshot, open incidents, last cycle health [--json]' },
  problems: { load: () => import('./cli/commands/problems.js'), summary: 'query the registry [--since 24h] [--type T] [--identity I] [--json]' },
  silence: { load: () => import('./cli/commands/silence.js'), summary: 'mute notifications: silence <matcher> --for 2h [--reason R] | --list | --remove ID' },
  doctor: { load: () => import('./cli/commands/doctor.js'), summary: 'check configuration, permissions and tools; say what is missing' },
  chronicle: { load: () => import('./cli/commands/chronicle.js'), summary: 'patterns, runbooks and post-mortems from the registry [--since 7d] [--dry-run]' },
  stats: { load: () => import('./cli/commands/stats.js'), summary: 'counts and rates [--since 7d] [--json | --prometheus]' },
  mcp: { load: () => import('./cli/commands/mcp.js'), summary: 'serve the tools over MCP (stdio, or --http with a bearer token)' },
  simulate: { load: () => import('./cli/commands/simulate.js'), summary: 'replay scenarios through the real pipeline on a simulated host <file|dir> [--json]' },
  'notify-failure': { load: () => import('./cli/commands/notify-failure.js'), summary: 'tell Telegram that an Argus unit failed (run by systemd OnFailure=) <unit>' },
  install: { load: () => import('./cli/commands/install.js'), summary: 'install the systemd units and env file [--dry-run]' },
  uninstall: { load: () => import('./cli/commands/uninstall.js'), summary: 'remove the systemd units (keeps state and env file) [--dry-run]' },
};

function usage(): string {
  const lines = ['usage: argus <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(14)} ${c.summary}`);
  lines.push('', 'Configuration: environment variables (see README) and an optional JSON file (--config or ARGUS_CONFIG).');
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? EXIT.OK : EXIT.USAGE;
  }
  if (name === '--version') {
    io.stdout('argus 0.1.0\n');
    return EXIT.OK;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`argus: unknown command "${name}"\n\n${usage()}`);
    return EXIT.USAGE;
  }
  const command = (await entry.load()).default;
  return command(rest, io);
}

const io: CommandIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`argus: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = EXIT.FAILED;
  },
);
