// `argus problems`: query the registry (problems.jsonl) by time, type, identity and kind.
import { RECORD_TYPES, RecordKindSchema } from '../../model/record.js';
import { Registry } from '../../state/registry.js';
import { terminalLines } from '../../model/escape.js';
import { EXIT, type Command } from '../command.js';
import { loadOrExplain, parseFlags } from '../common.js';
import { parseSince } from '../../model/duration.js';

const problems: Command = async (argv, io) => {
  const flags = parseFlags(
    argv,
    {
      since: { type: 'string', default: '24h' },
      type: { type: 'string' },
      identity: { type: 'string' },
      kind: { type: 'string' },
      limit: { type: 'string', default: '200' },
      json: { type: 'boolean' },
    },
    io,
  );
  if (!flags) return EXIT.USAGE;
  const since = parseSince(flags.values.since!, new Date());
  if (since === null) {
    io.stderr(
      `argus: --since must be a duration like 30m, 24h, 7d or an ISO date, not ${JSON.stringify(flags.values.since)}\n`,
    );
    return EXIT.USAGE;
  }
  const limit = Number(flags.values.limit);
  if (!Number.isInteger(limit) || limit <= 0) {
    io.stderr('argus: --limit must be a positive whole number\n');
    return EXIT.USAGE;
  }
  // An unknown value would print "No records" and exit 0: a typo looks like a quiet registry.
  const choices: Array<[string, string | undefined, readonly string[]]> = [
    ['type', flags.values.type, RECORD_TYPES],
    ['kind', flags.values.kind, RecordKindSchema.options],
  ];
  for (const [flag, value, valid] of choices) {
    if (value !== undefined && !valid.includes(value)) {
      io.stderr(`argus: --${flag} ${JSON.stringify(value)} is not one of: ${valid.join(', ')}\n`);
      return EXIT.USAGE;
    }
  }
  const loaded = loadOrExplain(io, flags.values.config);
  if (typeof loaded === 'number') return loaded;
  const registry = new Registry(loaded.paths.registry);
  const filter = { sinceMs: since, type: flags.values.type, identity: flags.values.identity, kind: flags.values.kind };
  // Keep only the newest `limit` records while streaming: bounded memory on a large registry.
  const kept: unknown[] = [];
  let total = 0;
  for await (const r of registry.query(filter)) {
    total++;
    kept.push(r);
    if (kept.length > limit) kept.shift();
  }
  if (flags.values.json) {
    io.stdout(`${JSON.stringify(kept, null, 2)}\n`);
    return EXIT.OK;
  }
  if (total === 0) {
    io.stdout(`No records since ${new Date(since).toISOString()} in ${loaded.paths.registry}.\n`);
    return EXIT.OK;
  }
  const lines = (kept as Array<Record<string, unknown>>).map((r) =>
    [
      String(r.ts),
      String(r.severity).padEnd(8),
      String(r.kind).padEnd(10),
      String(r.identity ?? r.type).padEnd(28),
      String(r.description),
      r.action_taken
        ? `[${String(r.action_taken)} → ${String(r.action_result)}]`
        : r.action_result
          ? `[${String(r.action_result)}]`
          : '',
    ]
      .join(' ')
      .trimEnd(),
  );
  if (total > kept.length) lines.unshift(`(${total} records; showing the newest ${kept.length}: use --limit)`);
  io.stdout(terminalLines(lines).join('\n') + '\n');
  return EXIT.OK;
};
export default problems;
