// The boundary to the machine. The orchestrator picks an implementation (linux.ts, or a simulated host).

/** An expected outcome is a value: a command never throws for a non-zero exit (execa's `reject: false`). */
export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** True when the command could not start, timed out, was killed by a signal or exited non-zero. */
  failed: boolean;
  /** Set when the command could not start (e.g. ENOENT: not installed). */
  spawnError: string | null;
}

export interface ExecOptions {
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  /** Cap on captured output per stream, bytes (default 1 MiB): a flood never exhausts memory. */
  maxBuffer?: number;
}

export interface StatFs {
  blockSize: number;
  blocks: number;
  blocksFree: number;
  blocksAvail: number;
  files: number;
  filesFree: number;
}

export interface Host {
  /** Root under which `/proc`, `/sys`, `/etc` are read ("/" on a real machine; a fixture tree in tests). */
  root: string;
  hostname(): string;
  /** Run a program with an argument array. Never a shell. */
  exec(file: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  statfs(path: string): Promise<StatFs>;
  now(): Date;
  /** Wait on this host's clock (a simulated host advances its clock). Absent: the host cannot wait. */
  sleep?(ms: number): Promise<void>;
  fetch: typeof fetch;
  kill(pid: number, signal: NodeJS.Signals | 0): void;
  /** Argus's own PID (and so its ancestors can be protected). */
  pid: number;
}
