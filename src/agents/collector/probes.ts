// HTTP probes: each configured URL fetched concurrently, ok iff the status is the expected one.
import type { Host } from '../../host/port.js';
import type { ProbeConfig } from '../../config/schema.js';
import type { ProbeResult } from '../../model/snapshot.js';

function reason(error: unknown, timeoutMs: number): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}

async function probe(host: Host, p: ProbeConfig): Promise<ProbeResult> {
  const started = performance.now();
  const base = { name: p.name, url: p.url, expectStatus: p.expectStatus };
  try {
    // Redirects are answers too: a probe expecting 302 must see the 302, not the page behind it.
    const res = await host.fetch(p.url, { signal: AbortSignal.timeout(p.timeoutMs), redirect: 'manual' });
    await res.body?.cancel().catch(() => undefined);
    const ok = res.status === p.expectStatus;
    return {
      ...base,
      ok,
      status: res.status,
      latencyMs: Math.round(performance.now() - started),
      error: ok ? null : `status ${res.status}, expected ${p.expectStatus}`,
    };
  } catch (error) {
    return {
      ...base,
      ok: false,
      status: null,
      latencyMs: Math.round(performance.now() - started),
      error: reason(error, p.timeoutMs),
    };
  }
}

/** A failing probe is a value (ok: false, error in words); this never throws. */
export async function runProbes(host: Host, probes: readonly ProbeConfig[]): Promise<ProbeResult[]> {
  return Promise.all(probes.map((p) => probe(host, p)));
}
