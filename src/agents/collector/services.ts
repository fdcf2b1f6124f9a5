// Services: the configured systemd units, read with one `systemctl show` call (argument array, no shell).
import type { Host } from '../../host/port.js';
import type { Service } from '../../model/snapshot.js';
import { withUnitType } from '../../model/unit.js';

const PROPERTIES = [
  'Id',
  'LoadState',
  'ActiveState',
  'SubState',
  'Result',
  'NRestarts',
  'MainPID',
  'ActiveEnterTimestamp',
];

/** `nginx` → `nginx.service` (the one rule: src/model/unit.ts). */
export const normaliseUnit = withUnitType;

/** Blocks of Key=Value lines separated by blank lines, in the order the units were asked for. */
export function parseSystemctlShow(stdout: string): Array<Map<string, string>> {
  return stdout
    .split(/\n\s*\n/)
    .map((block) => {
      const props = new Map<string, string>();
      for (const line of block.split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) props.set(line.slice(0, eq), line.slice(eq + 1).trim());
      }
      return props;
    })
    .filter((props) => props.size > 0);
}

function toNumber(text: string | undefined): number {
  const n = Number(text);
  return text !== undefined && /^\d+$/.test(text) ? n : 0;
}

function toService(unit: string, props: Map<string, string> | undefined): Service {
  return {
    unit,
    loadState: props?.get('LoadState') || 'unknown',
    activeState: props?.get('ActiveState') || 'unknown',
    subState: props?.get('SubState') || 'unknown',
    result: props?.get('Result') || '',
    nRestarts: toNumber(props?.get('NRestarts')),
    mainPid: toNumber(props?.get('MainPID')),
    activeEnterTimestamp: props?.get('ActiveEnterTimestamp') ?? '',
  };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  );
}

/** Throws (→ a gap) when systemctl is missing or systemd is not running; a unit that does not exist is a value. */
export async function readServices(host: Host, services: readonly string[], timeoutMs: number): Promise<Service[]> {
  if (services.length === 0) return [];
  const units = [...new Set(services.map(normaliseUnit))];
  const r = await host.exec('systemctl', ['show', '--no-pager', '-p', PROPERTIES.join(','), '--', ...units], {
    timeoutMs,
  });
  if (r.spawnError) {
    throw new Error(
      r.spawnError === 'ENOENT' ? 'systemctl is not installed' : `systemctl could not start (${r.spawnError})`,
    );
  }
  if (r.timedOut) throw new Error(`systemctl show did not answer within ${timeoutMs} ms`);
  if (/not been booted with systemd|Failed to connect to bus/i.test(r.stderr)) {
    throw new Error(`systemd is not running here (${firstLine(r.stderr)})`);
  }
  const blocks = parseSystemctlShow(r.stdout);
  if (r.failed && blocks.length === 0) {
    throw new Error(`systemctl show failed (exit ${r.exitCode ?? r.signal}): ${firstLine(r.stderr) || 'no output'}`);
  }
  // Blocks come in the order asked; an alias answers with its real Id, so match by position when the counts agree.
  const byId = new Map(blocks.map((b) => [b.get('Id') ?? '', b]));
  return units.map((unit, i) => toService(unit, blocks.length === units.length ? blocks[i] : byId.get(unit)));
}
