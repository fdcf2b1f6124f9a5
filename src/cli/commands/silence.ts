// `argus silence`: maintenance windows. Matching findings are still recorded, but nobody is notified.
import { EXIT, type Command } from '../command.js';
import { loadOrExplain, parseFlags } from '../common.js';
import { parseDuration } from '../duration.js';
import { MATCHER_RE, activeSilences, addSilence, removeSilence } from '../../orchestrator/silences.js';

const silence: Command = async (argv, io) => {
  const flags = parseFlags(argv, { for: { type: 'string' }, reason: { type: 'string' }, list: { type: 'boolean' }, remove: { type: 'string' } }, io, true);
  if (!flags) return EXIT.USAGE;
  const loaded = loadOrExplain(io, flags.values.config);
  if (typeof loaded === 'number') return loaded;
  const path = loaded.paths.silences;
  const now = new Date();
  if (flags.values.list) {
    const list = activeSilences(path, now);
    io.stdout(list.length ? list.map((s) => `${s.id}  ${s.matcher}  until ${s.until}${s.reason ? `  — ${s.reason}` : ''}`).join('\n') + '\n' : 'No active silences.\n');
    return EXIT.OK;
  }
  if (flags.values.remove) {
    const removed = removeSilence(path, flags.values.remove, now);
    io.stdout(removed ? `Removed silence ${flags.values.remove}.\n` : `No silence ${flags.values.remove}.\n`);
    return removed ? EXIT.OK : EXIT.FAILED;
  }
  const [matcher, ...extra] = flags.positionals;
  if (!matcher || extra.length) {
    io.stderr('usage: argus silence <matcher> --for 2h [--reason TEXT] | argus silence --list | argus silence --remove ID\n' +
      '  matcher: a finding identity or glob, e.g. "service:nginx.service", "disk:*", or a type such as "memory"\n');
    return EXIT.USAGE;
  }
  if (!MATCHER_RE.test(matcher)) {
    io.stderr(`argus: matcher ${JSON.stringify(matcher)} must be 1-200 characters of letters, digits and _ . : @ / * -\n`);
    return EXIT.USAGE;
  }
  const ms = flags.values.for ? parseDuration(flags.values.for) : null;
  if (ms === null) {
    io.stderr(`argus: --for must be a duration like 30m, 2h or 1d${flags.values.for ? `, not ${JSON.stringify(flags.values.for)}` : ''}\n`);
    return EXIT.USAGE;
  }
  const s = addSilence(path, matcher, new Date(now.getTime() + ms), now, flags.values.reason ?? null);
  io.stdout(`Silenced ${s.matcher} until ${s.until} (id ${s.id}). Findings are still recorded.\n`);
  return EXIT.OK;
};
export default silence;
