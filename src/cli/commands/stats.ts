// `argus stats`: counts and success rates from the registry, as text or JSON; or the Prometheus metrics (the same as
// `argus serve` /metrics: host gauges, the last cycle, counters over the whole registry), optionally into a textfile dir.
import { resolve } from 'node:path';
import { writeTextfile } from '../../agents/chronicler/prometheus.js';
import { metricsOnce } from '../../serve/state.js';
import { stats as computeStats, type Stats } from '../../agents/chronicler/stats.js';
import { EXIT, type Command } from '../command.js';
import { loadOrExplain, parseFlags } from '../common.js';
import { parseSince } from '../../model/duration.js';

const stats: Command = async (argv, io) => {
  const flags = parseFlags(
    argv,
    {
      since: { type: 'string', default: '7d' },
      json: { type: 'boolean' },
      prometheus: { type: 'boolean' },
      'textfile-dir': { type: 'string' },
    },
    io,
  );
  if (!flags) return EXIT.USAGE;
  if (flags.values.json && flags.values.prometheus) {
    io.stderr('argus: choose one of --json and --prometheus\n');
    return EXIT.USAGE;
  }
  const now = new Date();
  const since = parseSince(flags.values.since!, now);
  if (since === null) {
    io.stderr(
      `argus: --since must be a duration like 24h, 7d or an ISO date, not ${JSON.stringify(flags.values.since)}\n`,
    );
    return EXIT.USAGE;
  }
  const loaded = loadOrExplain(io, flags.values.config);
  if (typeof loaded === 'number') return loaded;
  const textfileDir = flags.values['textfile-dir'];
  if (flags.values.prometheus || textfileDir) {
    // Counters and gauges, not a window: Prometheus computes windows itself (`increase(argus_actions_total[7d])`).
    const text = await metricsOnce(loaded.paths, loaded.config.intervalSec, now);
    if (textfileDir) {
      const path = writeTextfile(resolve(io.cwd, textfileDir), text);
      if (!flags.values.json && !flags.values.prometheus) {
        io.stdout(`wrote ${path}\n`);
        return EXIT.OK;
      }
    }
    if (flags.values.prometheus) {
      io.stdout(text);
      return EXIT.OK;
    }
  }
  const s = await computeStats({ registryPath: loaded.paths.registry, since: new Date(since), until: now });
  if (flags.values.json) io.stdout(`${JSON.stringify(s, null, 2)}\n`);
  else io.stdout(render(s));
  return EXIT.OK;
};
export default stats;

function render(s: Stats): string {
  const lines = [
    `Registry ${s.since} → ${s.until ?? 'now'}: ${s.records} records, ${s.detections} detections, ${s.incidents} incidents opened.`,
  ];
  const section = (title: string, rows: string[]) => {
    lines.push('', title);
    lines.push(...(rows.length ? rows : ['  (none)']));
  };
  section(
    'By type:',
    Object.entries(s.by_type).map(([k, n]) => `  ${k.padEnd(12)} ${n}`),
  );
  section(
    'By severity:',
    Object.entries(s.by_severity).map(([k, n]) => `  ${k.padEnd(12)} ${n}`),
  );
  section(
    'Actions:',
    s.actions.map((a) => `  ${a.action.padEnd(16)} ${a.result.padEnd(10)} ${a.source.padEnd(5)} ${a.count}`),
  );
  section(
    'Success rates:',
    s.success_rates.map(
      (r) =>
        `  ${r.action.padEnd(16)} ${r.success_pct === null ? 'n/a' : `${r.success_pct} %`} (${r.success} ok, ${r.failure} failed)`,
    ),
  );
  section(
    'Daily:',
    s.daily.map((d) => `  ${d.key}  detections ${d.detections}, incidents ${d.incidents}, actions ${d.actions}`),
  );
  return lines.join('\n') + '\n';
}
