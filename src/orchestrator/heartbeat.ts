// The dead-man's switch's outside half: ping a push monitor after each cycle (healthchecks.io, Uptime Kuma).

/** Where a failed cycle pings: the same URL with `/fail` appended to its path (the healthchecks.io convention). */
export function heartbeatTarget(url: string, ok: boolean): string {
  if (ok) return url;
  const u = new URL(url);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/fail`;
  return u.toString();
}

/**
 * GET the heartbeat URL. Bounded by `timeoutMs` (a hanging monitor cannot hold the cycle longer); never throws:
 * a monitor that is down is what the monitor itself will notice.
 */
export async function pingHeartbeat(
  fetchFn: typeof fetch,
  url: string,
  ok: boolean,
  warn: (detail: string) => void,
  timeoutMs = 5000,
): Promise<boolean> {
  const target = heartbeatTarget(url, ok);
  try {
    const response = await fetchFn(target, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) warn(`heartbeat ${new URL(target).host} answered ${response.status}`);
    return response.ok;
  } catch (error) {
    const name = (error as Error).name;
    warn(
      `heartbeat ${new URL(target).host}: ${name === 'TimeoutError' || name === 'AbortError' ? `no answer in ${timeoutMs} ms` : (error as Error).message}`,
    );
    return false;
  }
}
