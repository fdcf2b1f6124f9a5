// Probe rule: an HTTP probe failing for confirmCycles.probe consecutive cycles; clears on the first success.
import type { Finding } from '../../../model/finding.js';
import type { ProbeResult, Snapshot } from '../../../model/snapshot.js';
import { makeFinding } from '../format.js';
import { sweep, track, type RuleContext } from '../state.js';

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
    if (!track(ctx, `probe:${p.name}`, { fires: !p.ok, clears: p.ok }, ctx.config.confirmCycles.probe)) continue;
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
