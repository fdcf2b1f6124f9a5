// `argus chronicle`: patterns over the registry and history, runbooks and post-mortems in docs/, the daily summary.
import { resolve } from 'node:path';
import { runChronicle } from '../../agents/chronicler/chronicle.js';
import { createProseImprover } from '../../agents/chronicler/prose.js';
import type { ImproveDoc } from '../../agents/chronicler/write-docs.js';
import { execFile } from '../../host/exec.js';
import { EXIT, type Command } from '../command.js';
import { commandLog, loadOrExplain, parseFlags, type Loaded } from '../common.js';
import { counter } from '../progress.js';
import { freshInventory } from '../../orchestrator/inventory.js';
import { parseSince } from '../../model/duration.js';

async function makePublisher(loaded: Loaded, io: Parameters<Command>[1]) {
  const { createSummaryPublisher } = await import('../../orchestrator/publish.js');
  const { createLinuxHost } = await import('../../host/linux.js');
  return createSummaryPublisher(loaded.config, loaded.paths, createLinuxHost(), commandLog(loaded.paths, io));
}

/** The chronicler micro-agent, only with an API key: without one no model is ever built or called. */
async function makeImprover(loaded: Loaded, io: Parameters<Command>[1]): Promise<ImproveDoc | undefined> {
  const { anthropic } = loaded.config;
  if (!anthropic.apiKey) return undefined;
  const [{ createModelClient }, { createLlmBudget }, { createAgentRunner }] = await Promise.all([
    import('../../llm/client.js'),
    import('../../llm/budget.js'),
    import('../../llm/agent-runner.js'),
  ]);
  const log = commandLog(loaded.paths, io);
  const runner = createAgentRunner({
    client: createModelClient({ apiKey: anthropic.apiKey, baseUrl: anthropic.baseUrl, model: anthropic.model }),
    budget: createLlmBudget({ path: loaded.paths.llm, dailyUsd: anthropic.dailyUsd, log }),
    log,
    now: () => new Date(),
  });
  return createProseImprover({ runner });
}

async function writeMetricsTextfile(loaded: Loaded, now: Date): Promise<string> {
  const { metricsOnce } = await import('../../serve/state.js');
  const { writeTextfile } = await import('../../agents/chronicler/prometheus.js');
  return writeTextfile(loaded.config.textfileDir!, await metricsOnce(loaded.paths, loaded.config.intervalSec, now));
}

const chronicle: Command = async (argv, io) => {
  const flags = parseFlags(
    argv,
    {
      since: { type: 'string', default: '7d' },
      'dry-run': { type: 'boolean' },
      out: { type: 'string' },
      commit: { type: 'boolean' },
      json: { type: 'boolean' },
      'no-publish': { type: 'boolean' },
    },
    io,
  );
  if (!flags) return EXIT.USAGE;
  const now = new Date();
  const since = parseSince(flags.values.since!, now);
  if (since === null || since >= now.getTime()) {
    io.stderr(
      `argus: --since must be a duration like 24h, 7d or a past ISO date, not ${JSON.stringify(flags.values.since)}\n`,
    );
    return EXIT.USAGE;
  }
  const loaded = loadOrExplain(io, flags.values.config);
  if (typeof loaded === 'number') return loaded;
  const outDir = flags.values.out ? resolve(io.cwd, flags.values.out) : loaded.paths.docs;
  const dryRun = flags.values['dry-run'] === true;
  // The daily job refreshes the host inventory (systeminformation, at most once a day) for status, doctor and the docs.
  if (!dryRun) await freshInventory(loaded.paths.stateDir, now);
  const read = counter(io, 'chronicle: registry records read');
  const result = await runChronicle({
    onRecords: read.set,
    registryPath: loaded.paths.registry,
    historyPath: loaded.paths.history,
    since: new Date(since),
    until: now,
    outDir,
    dryRun,
    commit: flags.values.commit === true,
    exec: execFile,
    statePath: loaded.paths.chronicleState,
    publish: flags.values['no-publish'] ? undefined : await makePublisher(loaded, io),
    improve: dryRun ? undefined : await makeImprover(loaded, io),
  });
  read.done();
  const { analysis, written } = result;
  // The node_exporter textfile (ARGUS_TEXTFILE_DIR): refreshed by the chronicle timer for hosts without `argus serve`.
  const textfile = loaded.config.textfileDir && !dryRun ? await writeMetricsTextfile(loaded, now) : null;
  if (flags.values.json) {
    io.stdout(
      `${JSON.stringify({ analysis, docs: written.docs.map(({ path, status, prose }) => ({ path, status, ...(prose ? { prose } : {}) })), commit: written.commit, summary: result.summary }, null, 2)}\n`,
    );
    return EXIT.OK;
  }
  const lines = [
    `Chronicle ${analysis.since} → ${analysis.until}: ${analysis.records} registry records, ${analysis.history_points} history points.`,
    '',
    analysis.patterns.length ? `Patterns (${analysis.patterns.length}):` : 'No patterns.',
    ...analysis.patterns.map((p) => `  [${p.kind}] ${p.title}\n      → ${p.recommendation}`),
    '',
    `${dryRun ? 'Would write' : 'Documents'} in ${outDir}:`,
    ...(written.docs.length
      ? written.docs.map(
          (d) =>
            `  ${(dryRun && d.status !== 'unchanged' ? `would be ${d.status}` : d.status).padEnd(16)} ${d.path}${proseNote(d.prose)}`,
        )
      : ['  (none: no problems in the window)']),
  ];
  if (result.published) lines.push('', `Daily summary: ${result.published.status} (${result.published.detail})`);
  if (flags.values.commit && !dryRun) lines.push('', `git: ${written.commit.status} (${written.commit.detail})`);
  if (textfile) lines.push('', `Metrics textfile: ${textfile}`);
  if (analysis.dropped_keys > 0)
    lines.push('', `note: ${analysis.dropped_keys} keys over the per-map cap were left out`);
  io.stdout(lines.join('\n') + '\n');
  return EXIT.OK;
};
function proseNote(prose: { source: string; rejected?: string; fallback?: string } | undefined): string {
  if (!prose) return '';
  if (prose.rejected) return `  (model prose rejected: ${prose.rejected})`;
  if (prose.fallback) return `  (deterministic prose: ${prose.fallback.split(':')[0]})`;
  return '  (model prose)';
}

export default chronicle;
