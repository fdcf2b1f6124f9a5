// The fleet receiver's memory of Alertmanager groups (fleet_groups.json in the state dir): which notification each
// group last had, which alerts were firing, since when. Written atomically; bounded (resolved groups are forgotten
// after a day, and at most MAX_GROUPS are kept).
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonState, writeJsonAtomic } from '../state/atomic.js';

/** One alert of the group's last notification, as the fleet view shows it (host text: one line, cut). */
export const RememberedAlertSchema = z.object({
  fingerprint: z.string(),
  host: z.string(),
  identity: z.string(),
  severity: z.string(),
  summary: z.string(),
  firing: z.boolean(),
});
export type RememberedAlert = z.infer<typeof RememberedAlertSchema>;
/** Alerts kept per group (firing first); the rest are counted in `alertsLeftOut`. */
export const REMEMBERED_ALERTS = 100;

export const GroupRecordSchema = z.object({
  groupKey: z.string(),
  /** `fleet:<hash of the group key>`: the bead's identity and the registry records'. */
  identity: z.string(),
  /** `<identity>#<when it started firing>`: one fleet incident. */
  incidentId: z.string(),
  status: z.enum(['firing', 'resolved']),
  /** Fingerprints of the alerts firing at the last notification, sorted. */
  firing: z.array(z.string()),
  /** The last notification handled (notificationKey): the same one again is a retry. */
  lastKey: z.string(),
  openedAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
  /** The last notification's alerts (absent in files written before the fleet view). */
  alerts: z.array(RememberedAlertSchema).optional(),
  /** Alerts of the last notification not in `alerts` (past REMEMBERED_ALERTS, or Alertmanager's truncatedAlerts). */
  alertsLeftOut: z.number().int().min(0).optional(),
  /** The fleet incident's bead, once bd filed it. */
  beadId: z.string().optional(),
});
export type GroupRecord = z.infer<typeof GroupRecordSchema>;

const GroupFileSchema = z.object({ groups: z.record(z.string(), GroupRecordSchema) });
export type GroupFile = z.infer<typeof GroupFileSchema>;

export const FLEET_GROUPS_FILE = 'fleet_groups.json';
/** A resolved group is remembered this long (a late retry of its last notification is still recognised). */
export const RESOLVED_KEEP_MS = 24 * 3600_000;
export const MAX_GROUPS = 1000;

export const fleetGroupsPath = (stateDir: string): string => join(stateDir, FLEET_GROUPS_FILE);

export function readGroups(path: string, onInvalid?: (reason: string) => void): GroupFile {
  return readJsonState(path, GroupFileSchema, () => ({ groups: {} }), onInvalid);
}

export function writeGroups(path: string, file: GroupFile): void {
  writeJsonAtomic(path, file);
}

/** Forget resolved groups older than `keepMs`; past `max`, the least recently updated go first (resolved before firing). */
export function pruneGroups(file: GroupFile, now: Date, keepMs = RESOLVED_KEEP_MS, max = MAX_GROUPS): GroupFile {
  const cutoff = now.getTime() - keepMs;
  const kept = Object.entries(file.groups).filter(
    ([, g]) => g.status === 'firing' || Date.parse(g.resolvedAt ?? g.updatedAt) > cutoff,
  );
  if (kept.length > max) {
    kept.sort(
      ([, a], [, b]) =>
        Number(a.status === 'firing') - Number(b.status === 'firing') ||
        Date.parse(a.updatedAt) - Date.parse(b.updatedAt),
    );
    kept.splice(0, kept.length - max);
  }
  return { groups: Object.fromEntries(kept) };
}
