// Probe rule: an HTTP probe failing for confirmCycles.probe consecutive cycles; clears on the first success. A probe
// that fails often but never twice in a row (a flaky upstream) is a finding too: "intermittent".
import type { Finding } from '../../../model/finding.js';
import type { ProbeResult, Snapshot } from '../../../model/snapshot.js';
import { makeFinding } from '../format.js';
import { countEvents, noteEvent, sweep, track, type RuleContext } from '../state.js';

const HOUR_MS = 3_600_000;
/** Intermittent: at least this share of the last hour's checks failed (and at least MIN_FAILURES of them). */
const INTERMITTENT_SHARE = 0.25;
const MIN_FAILURES = 3;

function why(p: ProbeResult): string {
  if (p.error !== null) return p.error;
  if (p.status !== null) return `HTTP ${p.status} (expected ${p.expectStatus})`;
  return 'no response';
}

export function probeRule(s: Snapshot, ctx: RuleContext): Finding[] {
  if (s.probes === null) return [];
  const out: Finding[] = [];
  const serviceOf = new Map(ctx.config.probes.flatMap((c) => (c.service ? [[c.name, c.service] as const] : [])));
  for (const p of s.probes) {
    const failures = p.ok ? countEvents(ctx, failKey(p.name), HOUR_MS) : noteEvent(ctx, failKey(p.name), HOUR_MS);
    if (!track(ctx, `probe:${p.name}`, { fires: !p.ok, clears: p.ok }, ctx.config.confirmCycles.probe)) {
      const intermittent = intermittentFinding(p, failures, ctx);
      if (intermittent) out.push(intermittent);
      continue;
    }
    // A confirmed outage explains its own failures: they must not read as "intermittent" once it is over.
    delete ctx.events[failKey(p.name)];
    out.push(
      makeFinding('probe', p.name, 'warning', `Probe ${p.name} failing: ${why(p)} at ${p.url}`, {
        name: p.name,
        url: p.url,
        status: p.status,
        expectStatus: p.expectStatus,
        error: p.error,
        latencyMs: p.latencyMs,
        ...(serviceOf.has(p.name) ? { service: serviceOf.get(p.name) } : {}),
      }),
    );
  }
  sweep(ctx, (id) => id.startsWith('probe:'));
  return out;
}

/** Failure times of a probe (the evaluator's event log, kept for a day), whether or not they were confirmed. */
function failKey(name: string): string {
  return `probe-failures:${name}`;
}

/**
 * A probe that failed in a good share of the last hour's checks but never long enough to confirm: without this, a
 * health check failing every other cycle is never reported. Not tied to its service: a restart is for a service that
 * is down, not for one that mostly answers. The incident stays open while the hour holds that many failures.
 */
function intermittentFinding(p: ProbeResult, failures: number, ctx: RuleContext): Finding | null {
  const checksPerHour = Math.max(1, Math.round(HOUR_MS / 1000 / ctx.config.intervalSec));
  if (failures < Math.max(MIN_FAILURES, Math.ceil(checksPerHour * INTERMITTENT_SHARE))) return null;
  const last = p.ok ? 'the last check passed' : `the last check: ${why(p)}`;
  return makeFinding(
    'probe',
    p.name,
    'warning',
    `Probe ${p.name} failing intermittently: ${failures} of about ${checksPerHour} checks in the last hour failed (${last}) at ${p.url}`,
    {
      name: p.name,
      url: p.url,
      intermittent: true,
      failuresLastHour: failures,
      checksPerHour,
      status: p.status,
      expectStatus: p.expectStatus,
      error: p.error,
      latencyMs: p.latencyMs,
    },
  );
}
