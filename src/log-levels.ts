// The levels ARGUS_LOG_LEVEL may name: checked with the configuration (config/load.ts) without loading pino.
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const isLogLevel = (l: string | undefined): l is LogLevel =>
  l !== undefined && (LOG_LEVELS as readonly string[]).includes(l);
