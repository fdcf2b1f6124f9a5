// Run one collector with a deadline: a throw or a timeout becomes a value naming what went wrong.
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The collector keeps running after its deadline (a read cannot be cancelled), but nobody waits for it:
 * its late result or rejection is dropped.
 */
export async function bounded<T>(run: () => Promise<T>, timeoutMs: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  const work = (async (): Promise<Outcome<T>> => {
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: message || 'failed without a message' };
    }
  })();
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
