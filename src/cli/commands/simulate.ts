// `argus simulate <scenario-file | dir> [--json]`: replay scenarios through the real pipeline on a simulated host.
import { resolve } from 'node:path';
import { EXIT, type Command } from '../command.js';
import { parseFlags } from '../common.js';
import { progress } from '../progress.js';

const simulate: Command = async (argv, io) => {
  const flags = parseFlags(argv, { json: { type: 'boolean' } }, io, true);
  if (!flags) return EXIT.USAGE;
  const arg = flags.positionals[0];
  if (!arg || flags.positionals.length > 1) {
    io.stderr('usage: argus simulate <scenario-file | dir> [--json]\n');
    return EXIT.USAGE;
  }
  const target = resolve(io.cwd, arg);
  const { loadScenario, scenarioFiles } = await import('../../simulate/load.js');
  const { runScenario } = await import('../../simulate/runner.js');
  const { renderResult, renderSummary } = await import('../../simulate/report.js');
  let files: string[];
  try {
    files = scenarioFiles(target);
  } catch (error) {
    io.stderr(`argus: cannot read ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return EXIT.USAGE;
  }
  const loaded = files.map(loadScenario);
  const bad = loaded.filter((l) => !l.ok);
  for (const l of bad) if (!l.ok) io.stderr(`argus: ${l.file}: ${l.error}\n`);
  if (bad.length > 0 || loaded.length === 0) {
    if (loaded.length === 0) io.stderr(`argus: no scenario files in ${target}\n`);
    return EXIT.USAGE;
  }
  const results = [];
  const shown = progress(io, loaded.length, 'scenario');
  for (const l of loaded) {
    if (!l.ok) continue;
    shown.step(l.scenario.name);
    const r = await runScenario(l.scenario);
    shown.done();
    results.push(r);
    if (!flags.values.json) io.stdout(renderResult(r));
  }
  if (flags.values.json)
    io.stdout(
      `${JSON.stringify({ passed: results.filter((r) => r.pass).length, total: results.length, results }, null, 2)}\n`,
    );
  else io.stdout(renderSummary(results));
  return results.every((r) => r.pass) ? EXIT.OK : EXIT.FAILED;
};
export default simulate;
