// Logging: pino JSON to stderr (journald under systemd) and to a rotating file (10 MB x 3); secrets redacted.
import { closeSync, mkdirSync, openSync, renameSync, statSync, writeSync, existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { isLogLevel } from './log-levels.js';

export type Log = Logger;

export const REDACT_PATHS = [
  'token',
  'botToken',
  'apiKey',
  'authorization',
  '*.token',
  '*.botToken',
  '*.apiKey',
  '*.authorization',
  'config.telegram.botToken',
  'config.anthropic.apiKey',
];

/** A synchronous file destination that rotates at `maxBytes`, keeping `keep` old files (argus.log.1 …). */
export class RotatingFile {
  private fd: number;
  private size: number;
  constructor(
    readonly path: string,
    readonly maxBytes = 10 * 1024 * 1024,
    readonly keep = 3,
  ) {
    this.fd = openSync(path, 'a', 0o600);
    this.size = statSync(path).size;
  }
  /** Lines that could not be written (a full disk): the log never throws into the code that logs. */
  dropped = 0;
  write(chunk: string): boolean {
    try {
      if (this.size + Buffer.byteLength(chunk) > this.maxBytes && this.size > 0) this.rotate();
      this.size += writeSync(this.fd, chunk);
    } catch {
      this.dropped++;
    }
    return true;
  }
  private rotate(): void {
    closeSync(this.fd);
    const oldest = `${this.path}.${this.keep}`;
    if (existsSync(oldest)) unlinkSync(oldest);
    for (let i = this.keep - 1; i >= 1; i--) {
      const from = `${this.path}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.path}.${i + 1}`);
    }
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = 0;
  }
}

export interface LogOptions {
  logDir?: string | null;
  level?: string;
  /** Level for the stderr stream; default: `level`, or 'warn' when stderr is a terminal (the report is the output). */
  stderrLevel?: string;
  quiet?: boolean;
}

const LEVEL_WORD: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};
const NOT_SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'app', 'msg', 'v']);

/**
 * A log line as a person on a terminal reads it: `argus: warning: message (key=value …)`, not JSON (journald and the
 * log file keep JSON). Hand-made: pino's pretty transport costs a worker thread on every cold start.
 */
export function humanLine(json: string): string {
  try {
    const o = JSON.parse(json) as Record<string, unknown>;
    const extra = Object.entries(o)
      .filter(([k]) => !NOT_SHOWN.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`.slice(0, 200));
    return `argus: ${LEVEL_WORD[Number(o.level)] ?? 'log'}: ${String(o.msg ?? '')}${extra.length ? ` (${extra.join(' ')})` : ''}\n`;
  } catch {
    return json;
  }
}

/** A synchronous logger: a short-lived CLI loses nothing at exit. */
export function createLog(options: LogOptions = {}): Log {
  // An unknown level never throws here: the configuration check refuses it first with a clear message.
  const wanted = options.level ?? process.env.ARGUS_LOG_LEVEL;
  const level = isLogLevel(wanted) ? wanted : 'info';
  const stderrLevel = isLogLevel(options.stderrLevel) ? options.stderrLevel : process.stderr.isTTY ? 'warn' : level;
  const streams: pino.StreamEntry[] = [];
  const stderr = process.stderr.isTTY
    ? { write: (line: string) => void process.stderr.write(humanLine(line)) }
    : pino.destination({ dest: 2, sync: true });
  if (!options.quiet) streams.push({ level: stderrLevel as pino.Level, stream: stderr });
  if (options.logDir) {
    try {
      mkdirSync(options.logDir, { recursive: true });
      streams.push({ level: level as pino.Level, stream: new RotatingFile(join(options.logDir, 'argus.log')) });
    } catch {
      // An unwritable log dir must not stop the cycle; doctor reports it.
    }
  }
  return pino(
    { level, base: { app: 'argus' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    pino.multistream(streams),
  );
}

/** A logger that drops everything (tests, and the stdio MCP server before its own is set up). */
export function silentLog(): Log {
  return pino({ level: 'silent' });
}
