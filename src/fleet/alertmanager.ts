// Fleet mode: each host posts its incidents to Alertmanager (POST /api/v2/alerts), which groups, inhibits and
// silences across hosts. Open incidents are re-posted every cycle with an endsAt a few intervals ahead (Alertmanager
// resolves an alert that stops being posted); a resolution is posted with its endsAt and kept in a small outbox until
// Alertmanager accepted it. Alertmanager down never fails or slows a cycle beyond one bounded request.
import { z } from 'zod';
import type { Incident, ResolvedIncident } from '../agents/router/incidents.js';
import { readJsonState, writeJsonAtomic } from '../state/atomic.js';

/** One alert in Alertmanager's API v2 shape (postableAlert). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

const PostableAlertSchema = z.object({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
});
const OutboxSchema = z.object({ resolved: z.array(PostableAlertSchema).max(1000).default([]) });

/** The alertname every incident carries; Prometheus's own rules use other names (deploy/prometheus/argus.rules.yml). */
export const INCIDENT_ALERTNAME = 'ArgusIncident';

const labelsOf = (host: string, identity: string, severity: string, incidentId: string): Record<string, string> => ({
  alertname: INCIDENT_ALERTNAME,
  host,
  identity,
  severity,
  incident: incidentId,
});

/** Open incidents a person would hear of (not info), as alerts that stay firing for `holdSec` unless posted again. */
export function openAlerts(incidents: Iterable<Incident>, host: string, now: Date, holdSec: number): PostableAlert[] {
  const endsAt = new Date(now.getTime() + holdSec * 1000).toISOString();
  return [...incidents]
    .filter((inc) => inc.severity !== 'info')
    .map((inc) => ({
      labels: labelsOf(host, inc.identity, inc.severity, inc.incidentId),
      annotations: { summary: inc.lastFinding.description.slice(0, 1000), opened: inc.openedAt },
      startsAt: inc.openedAt,
      endsAt,
    }));
}

/** Resolved incidents as alerts that ended at their resolution. */
export function resolvedAlerts(resolved: readonly ResolvedIncident[], host: string): PostableAlert[] {
  return resolved
    .filter((r) => r.lastFinding.severity !== 'info')
    .map((r) => ({
      labels: labelsOf(host, r.identity, r.lastFinding.severity, r.incidentId),
      annotations: {
        summary: `resolved after ${r.durationSec}s: ${r.lastFinding.description}`.slice(0, 1000),
        opened: r.openedAt,
      },
      startsAt: r.openedAt,
      endsAt: r.resolvedAt,
    }));
}

export interface PublishOptions {
  url: string;
  outboxPath: string;
  fetch: typeof fetch;
  timeoutMs?: number;
}

export interface PublishResult {
  posted: number;
  /** Resolutions kept for the next cycle (Alertmanager did not accept them). */
  pending: number;
  error: string | null;
}

/** Post the open alerts and the resolutions (with those left from earlier cycles) in one request. */
export async function publishToAlertmanager(
  open: PostableAlert[],
  resolved: PostableAlert[],
  options: PublishOptions,
): Promise<PublishResult> {
  const outbox = readJsonState(options.outboxPath, OutboxSchema, () => ({ resolved: [] }));
  const pendingResolved = [...outbox.resolved, ...resolved].slice(-1000);
  const body = [...open, ...pendingResolved];
  if (body.length === 0) return { posted: 0, pending: 0, error: null };
  let error: string | null = null;
  try {
    const response = await options.fetch(`${options.url.replace(/\/+$/, '')}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    if (!response.ok) error = `Alertmanager answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
    else await response.body?.cancel();
  } catch (e) {
    error = `Alertmanager unreachable: ${(e as Error).message}`;
  }
  const keep = error === null ? [] : pendingResolved;
  if (keep.length > 0 || outbox.resolved.length > 0) writeJsonAtomic(options.outboxPath, { resolved: keep });
  return { posted: error === null ? body.length : 0, pending: keep.length, error };
}
