// `argus dashboard --out FILE.html`: the dashboard as one self-contained file (30 days inlined, no server, no network).
import { resolve } from 'node:path';
import { writeTextAtomic } from '../../agents/chronicler/write-atomic.js';
import { EXIT, type Command } from '../command.js';
import { loadOrExplain, parseFlags } from '../common.js';

const dashboard: Command = async (argv, io) => {
  const flags = parseFlags(argv, { out: { type: 'string' }, range: { type: 'string' } }, io);
  if (!flags) return EXIT.USAGE;
  const { dashboardData, isRange } = await import('../../serve/dashboard-data.js');
  const range = flags.values.range ?? '24h';
  if (!isRange(range)) {
    io.stderr(`argus: --range must be 24h, 7d or 30d, not ${JSON.stringify(range)}\n`);
    return EXIT.USAGE;
  }
  const loaded = loadOrExplain(io, flags.values.config);
  if (typeof loaded === 'number') return loaded;
  const { renderPage } = await import('../../serve/page.js');
  const data = await dashboardData(loaded.paths, loaded.config.intervalSec, '30d', new Date());
  const out = resolve(io.cwd, flags.values.out ?? 'argus-dashboard.html');
  const html = renderPage(data, 'static', range);
  writeTextAtomic(out, html);
  io.stdout(
    `wrote ${out} (${Math.round(Buffer.byteLength(html) / 1024)} KB; ${data.series.t.length} points, ${data.incidents.length} incidents over 30 days)\n`,
  );
  return EXIT.OK;
};
export default dashboard;
