// `argus status`: the latest snapshot, open incidents and last cycle health, from the state files (no collection).
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { SnapshotSchema } from '../../model/snapshot.js';
import { readJsonState } from '../../state/atomic.js';
import { readCycleState } from '../../orchestrator/cycle-state.js';
import { freshness } from '../../orchestrator/freshness.js';
import { cachedInventory } from '../../orchestrator/inventory.js';
import { describeInventory } from '../../host/inventory.js';
import { SelfHealthSchema } from '../../orchestrator/self-health.js';
import { readFixedRecord } from '../../state/fixed-record.js';
import { activeSilences } from '../../orchestrator/silences.js';
import type { StatePaths } from '../../config/load.js';
import { readFleetView } from '../../fleet/view.js';
import { fleetStatusLines, NO_FLEET } from '../../fleet/view-text.js';
import { EXIT, type Command, type CommandIO } from '../command.js';
import { loadOrExplain, parseFlags } from '../common.js';
import { renderHealth } from '../report.js';
import { terminalLines } from '../../model/escape.js';

const IncidentLooseSchema = z.looseObject({
  identity: z.string().optional(),
  severity: z.string().optional(),
  openedAt: z.string().optional(),
  status: z.string().optional(),
});
const IncidentsFileSchema = z.looseObject({ incidents: z.record(z.string(), IncidentLooseSchema) });
type IncidentsFile = { incidents: Record<string, z.infer<typeof IncidentLooseSchema>> };

const status: Command = async (argv, io) => {
  const flags = parseFlags(
    argv,
    { json: { type: 'boolean' }, check: { type: 'boolean' }, fleet: { type: 'boolean' } },
    io,
  );
  if (!flags) return EXIT.USAGE;
  const loaded = loadOrExplain(io, flags.values.config);
  if (typeof loaded === 'number') return loaded;
  const { paths } = loaded;
  const now = new Date();
  if (flags.values.fleet) return fleetStatus(paths, flags.values.json === true, now, io);
  const snapshot = readJsonState(paths.snapshot, SnapshotSchema.nullable(), () => null);
  const incidentsFile: IncidentsFile = readJsonState<IncidentsFile>(paths.incidents, IncidentsFileSchema, () => ({
    incidents: {},
  }));
  const incidents = Object.entries(incidentsFile.incidents).map(([identity, i]) => ({
    ...i,
    identity: i.identity ?? identity,
  }));
  const cycle = readCycleState(paths.cycleState);
  const silences = activeSilences(paths.silences, now);
  const self = readFixedRecord(paths.selfHealth, SelfHealthSchema);
  const fresh = freshness(cycle, self, loaded.config.intervalSec, now);
  // --check: the dead-man's switch for Monit, cron or Nagios — exit 1 unless the last cycle is recent and worked.
  const checkCode = flags.values.check && fresh.verdict !== 'ok' ? EXIT.FAILED : EXIT.OK;
  if (flags.values.json) {
    io.stdout(
      `${JSON.stringify({ stateDir: paths.stateDir, stateFrom: loaded.stateFrom, freshness: fresh, cycle, self, incidents, silences, snapshot }, null, 2)}\n`,
    );
    return checkCode;
  }
  if (flags.values.check) {
    io.stdout(`argus ${fresh.line} (state in ${paths.stateDir})\n`);
    return checkCode;
  }
  if (fresh.verdict === 'never' && !existsSync(paths.cycleState)) {
    io.stdout(
      `No cycle has run yet with state in ${paths.stateDir} (from ${loaded.stateFrom}).\n` +
        'Installed as a service? Check the timer: `systemctl status argus.timer`. A first look that changes nothing: `argus once --dry-run`.\n',
    );
    return EXIT.OK;
  }
  const inventory = cachedInventory(paths.stateDir);
  const out: string[] = [`Argus: ${fresh.line}`, `State: ${paths.stateDir} (from ${loaded.stateFrom})`];
  if (inventory) out.push(`Host: ${describeInventory(inventory)}`);
  out.push(
    `Last cycle ${cycle.lastCycleId ?? '?'} finished ${cycle.lastFinishedAt ?? '?'}: ${cycle.lastOk ? 'ok' : `FAILED (${cycle.lastError ?? 'unknown error'})`}` +
      `, ${cycle.lastDurationMs ?? '?'} ms; ${cycle.cyclesTotal} cycle${cycle.cyclesTotal === 1 ? '' : 's'} run; ${cycle.consecutiveFailures} consecutive failure${cycle.consecutiveFailures === 1 ? '' : 's'}`,
  );
  if (snapshot) out.push('', `Health at ${snapshot.ts}`, ...renderHealth(snapshot));
  out.push('', incidents.length ? `Open incidents (${incidents.length})` : 'Open incidents: none');
  for (const i of incidents)
    out.push(
      `  ${(i.severity ?? '').toUpperCase().padEnd(8)} ${i.identity} since ${i.openedAt ?? '?'}${i.status ? ` (${i.status})` : ''}`,
    );
  if (silences.length) {
    out.push('', 'Silences');
    for (const s of silences) out.push(`  ${s.id} ${s.matcher} until ${s.until}${s.reason ? ` — ${s.reason}` : ''}`);
  }
  io.stdout(terminalLines(out).join('\n') + '\n');
  return EXIT.OK;
};
/** `--fleet`: what the fleet receiver knows; exit 2 when the hosts file is bad (naming the key), else 0. */
function fleetStatus(paths: StatePaths, json: boolean, now: Date, io: CommandIO): number {
  const view = readFleetView(paths.fleetGroups, paths.fleetHosts);
  if (view?.hostsFile?.error) {
    io.stderr(`argus: ${terminalLines([view.hostsFile.error]).join('')}\n`);
    return EXIT.USAGE;
  }
  if (json) {
    io.stdout(`${JSON.stringify(view ? { fleet: view } : { fleet: null, reason: NO_FLEET }, null, 2)}\n`);
    return EXIT.OK;
  }
  io.stdout(`${view ? terminalLines(fleetStatusLines(view, paths.fleetGroups, now)).join('\n') : NO_FLEET}\n`);
  return EXIT.OK;
}

export default status;
