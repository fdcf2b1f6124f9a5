// Registries of past incidents for the search_incidents, diagnosis and bead tests: each incident as a cycle records it.
import { writeFileSync } from 'node:fs';
import type { ProblemRecord } from '../../../src/model/record.js';
import { rec } from '../../support/registry-gen.js';

export const DAY = 86_400_000;
export const MIN = 60_000;

export interface PastSpec {
  identity: string;
  /** Opening time, epoch ms. */
  at: number;
  /** Minutes until resolved; null: still open. */
  minutes: number | null;
  /** The playbook's fix and its result; none: nothing was tried. */
  fix?: { action: string; result: 'success' | 'failure' } | null;
  gaveUp?: boolean;
  bead?: string;
  severity?: 'warning' | 'critical';
  cause?: string;
  id?: string;
}

/** The records one incident leaves: detection, opened, the fix, a bead, an rca record, resolved. */
export function incidentRecords(s: PastSpec): ProblemRecord[] {
  const type = s.identity.slice(0, s.identity.indexOf(':'));
  const id = s.id ?? `${s.identity}#${new Date(s.at).toISOString()}`;
  const base = { identity: s.identity, type, incident_id: id, severity: s.severity ?? ('critical' as const) };
  const out: ProblemRecord[] = [
    rec(s.at, { ...base, kind: 'detection', description: `${s.identity} is down` }),
    rec(s.at, { ...base, kind: 'transition', description: `opened ${s.identity}`, details: { transition: 'opened' } }),
  ];
  if (s.fix)
    out.push(
      rec(s.at + 1000, {
        ...base,
        kind: 'action',
        action_taken: s.fix.action,
        action_result: s.fix.result,
        description: `${s.fix.action}: ${s.fix.result}`,
      }),
    );
  if (s.gaveUp)
    out.push(
      rec(s.at + 2000, {
        ...base,
        kind: 'action',
        action_taken: s.fix?.action ?? 'restart_service:x',
        action_result: 'skipped',
        description: 'skipped — backoff',
        details: { exhausted: true },
      }),
    );
  if (s.bead)
    out.push(
      rec(s.at + 3000, {
        ...base,
        kind: 'action',
        action_taken: 'create_bead:create_bead:service',
        action_result: 'success',
        description: `created ${s.bead}`,
        bead_id: s.bead,
      }),
    );
  if (s.cause) {
    out.push(
      rec(s.at + 4000, {
        ...base,
        incident_id: null,
        severity: 'info',
        kind: 'rca',
        description: `diagnosis: ${s.cause}`,
        details: { source: 'deterministic', verdict: 'cause_found', summary: s.cause, causes: [] },
      }),
    );
  }
  if (s.minutes !== null)
    out.push(
      rec(s.at + s.minutes * MIN, {
        ...base,
        severity: 'info',
        kind: 'transition',
        description: `resolved ${s.identity}`,
        details: { transition: 'resolved' },
      }),
    );
  return out;
}

/** Write the registry (time order, as appended) of these incidents. */
export function writePast(path: string, specs: readonly PastSpec[]): void {
  const records = specs.flatMap(incidentRecords).sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
