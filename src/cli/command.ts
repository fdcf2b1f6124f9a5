// The shape of one CLI command: argv after the command name in, exit code out. Output through io, never console.
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** stderr is a terminal: progress lines are welcome there (never on a pipe). */
  stderrIsTTY?: boolean;
}

export type Command = (argv: string[], io: CommandIO) => Promise<number>;

/** Exit codes shared by every command (documented in the README). */
export const EXIT = {
  OK: 0,
  FAILED: 1,
  USAGE: 2,
  LOCKED: 3,
  FINDINGS: 4,
} as const;
