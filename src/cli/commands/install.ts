// `argus install`: the systemd units and the env file template, idempotent; `--dry-run` prints the plan.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { parseEnvFile } from '../../install/service-env.js';
import { withUnitType } from '../../model/unit.js';
import { ENV_FILE, planInstall } from '../../install/plan.js';
import { PACKAGE_DIR, checkUnitPath } from '../../install/units.js';
import { runPlan } from '../run-plan.js';
import { EXIT, type Command, type CommandIO } from '../command.js';
import { parseFlags } from '../common.js';
import { commandHelp } from '../help.js';

const USAGE = commandHelp('install') ?? '';

/**
 * The units the installed service will watch, from its env file (and the JSON file it names): each gets a drop-in
 * that starts a cycle when it fails. An env file that does not validate yet (a fresh template) watches nothing.
 */
function watchedUnits(root: string, io: CommandIO): { watched: string[]; solicitor: boolean } {
  const envFile = root === '/' ? ENV_FILE : join(root, ENV_FILE);
  if (!existsSync(envFile)) return { watched: [], solicitor: false };
  try {
    const env = parseEnvFile(readFileSync(envFile, 'utf8'));
    const configPath = env.ARGUS_CONFIG ? (root === '/' ? env.ARGUS_CONFIG : join(root, env.ARGUS_CONFIG)) : undefined;
    const { config } = loadConfig({ env, cwd: root, configPath });
    // The Solicitor runs when someone can answer it: a bot, a chat and at least one approver.
    const solicitor = Boolean(config.telegram.botToken && config.telegram.chatId && config.telegram.approvers.length);
    return { watched: config.services.map(withUnitType), solicitor };
  } catch (error) {
    io.stderr(
      `argus: watched services unknown (${(error as Error).message}): no recovery drop-ins written; fix ${envFile} and run install again\n`,
    );
    return { watched: [], solicitor: false };
  }
}

const install: Command = async (argv, io) => {
  const flags = parseFlags(
    argv,
    {
      'dry-run': { type: 'boolean' },
      mode: { type: 'string' },
      prefix: { type: 'string' },
      node: { type: 'string' },
      root: { type: 'string' },
      'no-start': { type: 'boolean' },
      serve: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    io,
  );
  if (!flags) return EXIT.USAGE;
  const v = flags.values;
  if (v.help) {
    io.stdout(USAGE);
    return EXIT.OK;
  }
  const mode = v.mode ?? 'timer';
  if (mode !== 'timer' && mode !== 'run') {
    io.stderr(`argus: --mode must be "timer" or "run", not ${JSON.stringify(mode)}\n${USAGE}`);
    return EXIT.USAGE;
  }
  const root = resolve(io.cwd, v.root ?? '/');
  const argusDir = resolve(io.cwd, v.prefix ?? PACKAGE_DIR);
  const node = v.node ? resolve(io.cwd, v.node) : realpathSync(process.execPath);
  for (const path of [argusDir, node]) {
    const problem = checkUnitPath(path);
    if (problem) {
      io.stderr(`argus: ${problem}\n`);
      return EXIT.USAGE;
    }
  }
  const dryRun = v['dry-run'] === true;
  const problems: string[] = [];
  if (!existsSync(resolve(argusDir, 'dist/cli.js')))
    problems.push(`${argusDir}/dist/cli.js not found: run \`npm run build\` there (or pass --prefix)`);
  if (root === '/' && process.getuid?.() !== 0)
    problems.push('installing into / needs root (use sudo, or --root DIR / --dry-run)');
  if (problems.length && !dryRun) {
    for (const p of problems) io.stderr(`argus: ${p}\n`);
    return EXIT.FAILED;
  }

  const { watched, solicitor } = watchedUnits(root, io);
  const steps = planInstall({
    root,
    vars: { node, argusDir },
    mode,
    start: root === '/' && v['no-start'] !== true,
    watched,
    serve: v.serve === true,
    solicitor,
  });
  io.stdout(
    `argus install (${mode} mode): units run ${node} ${argusDir}/dist/cli.js${root === '/' ? '' : `; root ${root}`}\n`,
  );
  if (dryRun) for (const p of problems) io.stdout(`  warning: ${p}\n`);
  const failed = await runPlan(steps, dryRun, io);
  if (dryRun) return EXIT.OK;
  if (failed) {
    io.stderr(
      `argus: ${failed} step(s) failed; fix the cause and run \`argus install\` again (it is safe to repeat)\n`,
    );
    return EXIT.FAILED;
  }
  io.stdout(
    `Done. Secrets and settings: ${root === '/' ? '' : root}${ENV_FILE} (mode 0600). Then check with \`argus doctor\`.\n`,
  );
  return EXIT.OK;
};

export default install;
