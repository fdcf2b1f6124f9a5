// The fake clock of a simulation: time moves only when the runner advances it.
export interface SimClock {
  now(): Date;
  /** Minutes since the start. */
  minutes(): number;
  advance(minutes: number): void;
  readonly startMs: number;
}

export function createSimClock(start: Date): SimClock {
  const startMs = start.getTime();
  let ms = startMs;
  return {
    startMs,
    now: () => new Date(ms),
    minutes: () => (ms - startMs) / 60_000,
    advance(minutes: number) {
      ms += Math.round(minutes * 60_000);
    },
  };
}
