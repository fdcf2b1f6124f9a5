// `argus silence`: maintenance windows. Matching findings are still recorded, but nobody is notified.
import { EXIT, type Command } from '../command.js';
import { loadOrExplain, parseFlags } from '../common.js';
import { parseDuration } from '../../model/duration.js';
import { activeSilences, addSilence, covered, normalizeMatcher, removeSilence } from '../../orchestrator/silences.js';
import { readJsonState } from '../../state/atomic.js';
import { z } from 'zod';

/** Identities of the open incidents (incidents.json), read loosely: a missing or older file is no incident. */
function openIdentities(path: string): string[] {
  const file = readJsonState(path, z.looseObject({ incidents: z.record(z.string(), z.unknown()) }), () => ({
    incidents: {},
  }));
  return Object.keys(file.incidents);
}

const silence: Command = async (argv, io) => {
  const flags = parseFlags(
    argv,
    { for: { type: 'string' }, reason: { type: 'string' }, list: { type: 'boolean' }, remove: { type: 'string' } },
    io,
    true,
  );
  if (!flags) return EXIT.USAGE;
  const loaded = loadOrExplain(io, flags.values.config);
  if (typeof loaded === 'number') return loaded;
  const path = loaded.paths.silences;
  const now = new Date();
  if (flags.values.list) {
    const list = activeSilences(path, now);
    io.stdout(
      list.length
        ? list.map((s) => `${s.id}  ${s.matcher}  until ${s.until}${s.reason ? `  — ${s.reason}` : ''}`).join('\n') +
            '\n'
        : 'No active silences.\n',
    );
    return EXIT.OK;
  }
  if (flags.values.remove) {
    const removed = removeSilence(path, flags.values.remove, now);
    io.stdout(removed ? `Removed silence ${flags.values.remove}.\n` : `No silence ${flags.values.remove}.\n`);
    return removed ? EXIT.OK : EXIT.FAILED;
  }
  const [matcher, ...extra] = flags.positionals;
  if (!matcher || extra.length) {
    io.stderr(
      'usage: argus silence <matcher> --for 2h [--reason TEXT] | argus silence --list | argus silence --remove ID\n' +
        '  matcher: a finding identity or glob, e.g. "service:nginx.service", "disk:*", or a type such as "memory"\n',
    );
    return EXIT.USAGE;
  }
  const normal = normalizeMatcher(matcher);
  if ('error' in normal) {
    io.stderr(`argus: ${normal.error}\n`);
    return EXIT.USAGE;
  }
  const ms = flags.values.for ? parseDuration(flags.values.for) : null;
  if (ms === null) {
    io.stderr(
      `argus: --for must be a duration like 30m, 2h or 1d${flags.values.for ? `, not ${JSON.stringify(flags.values.for)}` : ''}\n`,
    );
    return EXIT.USAGE;
  }
  const s = addSilence(path, normal.matcher, new Date(now.getTime() + ms), now, flags.values.reason ?? null);
  const open = covered(s.matcher, openIdentities(loaded.paths.incidents));
  io.stdout(
    `Silenced ${s.matcher}${s.matcher !== matcher ? ` (from "${matcher}")` : ''} until ${s.until} (id ${s.id}). Findings are still recorded.\n` +
      (open.length
        ? `It mutes ${open.length} open incident(s) now: ${open.join(', ')}\n`
        : 'It matches no open incident right now.\n'),
  );
  return EXIT.OK;
};
export default silence;
