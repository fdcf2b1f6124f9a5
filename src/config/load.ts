// Load configuration from the environment (compatible with the first Argus) and an optional JSON file.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { ConfigSchema, type Config } from './schema.js';
import { LOG_LEVELS } from '../log-levels.js';

type Env = Record<string, string | undefined>;

/** Environment variable → config key, and how to read its text. */
const ENV_KEYS: ReadonlyArray<[string, string[], 'int' | 'number' | 'string' | 'bool' | 'list']> = [
  ['ARGUS_INTERVAL', ['intervalSec'], 'int'],
  ['ARGUS_STATE_DIR', ['stateDir'], 'string'],
  ['ARGUS_LOG_DIR', ['logDir'], 'string'],
  ['ARGUS_DEDUP_WINDOW', ['dedupWindowSec'], 'int'],
  ['ARGUS_MEMORY_DIR', ['memoryDir'], 'string'],
  ['ARGUS_OBSERVATIONS_FILE', ['observationsFile'], 'string'],
  ['ARGUS_DRY_RUN', ['dryRun'], 'bool'],
  ['ARGUS_HOSTNAME', ['hostname'], 'string'],
  ['ARGUS_HEARTBEAT_URL', ['heartbeatUrl'], 'string'],
  ['ARGUS_ALERTMANAGER_URL', ['alertmanagerUrl'], 'string'],
  ['ARGUS_TEXTFILE_DIR', ['textfileDir'], 'string'],
  ['ARGUS_RETENTION_DAYS', ['retentionDays'], 'int'],
  ['ARGUS_SERVICES', ['services'], 'list'],
  ['ARGUS_RESTART_ALLOWLIST', ['restartAllowlist'], 'list'],
  ['ARGUS_TMUX_SOCKETS', ['tmuxSockets'], 'list'],
  ['TELEGRAM_BOT_TOKEN', ['telegram', 'botToken'], 'string'],
  ['TELEGRAM_CHAT_ID', ['telegram', 'chatId'], 'string'],
  ['TELEGRAM_APPROVERS', ['telegram', 'approvers'], 'list'],
  ['TELEGRAM_API_BASE', ['telegram', 'apiBase'], 'string'],
  ['ARGUS_RELAY_URL', ['relay', 'url'], 'string'],
  ['ANTHROPIC_API_KEY', ['anthropic', 'apiKey'], 'string'],
  ['ANTHROPIC_BASE_URL', ['anthropic', 'baseUrl'], 'string'],
  ['ARGUS_MODEL', ['anthropic', 'model'], 'string'],
  ['ARGUS_LLM_DAILY_USD', ['anthropic', 'dailyUsd'], 'number'],
];

export interface LoadOptions {
  env?: Env;
  /** Path of the JSON config file; default ARGUS_CONFIG, else `./argus.json` when it exists. */
  configPath?: string;
  /** Overrides from command-line flags, applied last. */
  overrides?: Partial<Record<string, unknown>>;
  cwd?: string;
}

export interface LoadedConfig {
  config: Config;
  /** The JSON file read, if any. */
  configPath: string | null;
}

/** Parse and validate; throws ConfigError naming the first bad key, its value and the expected form. */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.configPath ?? env.ARGUS_CONFIG;
  const configPath = explicit ? resolve(cwd, explicit) : existsSync(resolve(cwd, 'argus.json')) ? resolve(cwd, 'argus.json') : null;

  let raw: Record<string, unknown> = {};
  const origin = new Map<string, string>(); // dotted key → where the value came from
  if (configPath) {
    let text: string;
    try {
      text = readFileSync(configPath, 'utf8');
    } catch (error) {
      const named = options.configPath ? '--config' : explicit ? 'ARGUS_CONFIG' : 'argus.json';
      throw new ConfigError(named, configPath, `a readable JSON file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      raw = parsed as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(configPath, text.slice(0, 60), `a JSON object (${(error as Error).message})`);
    }
  }

  const logLevel = env.ARGUS_LOG_LEVEL;
  if (logLevel !== undefined && logLevel !== '' && !(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('ARGUS_LOG_LEVEL', logLevel, `one of ${LOG_LEVELS.join(', ')}`);
  }
  for (const [name, path, kind] of ENV_KEYS) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    setPath(raw, path, fromEnv(name, text, kind));
    origin.set(path.join('.'), name);
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) {
      setPath(raw, key.split('.'), value);
      origin.set(key, `--${key}`);
    }
  }

  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw toConfigError(parsed.error, raw, origin, configPath);
  const config = parsed.data;
  config.stateDir = resolve(cwd, config.stateDir);
  return { config, configPath };
}

function fromEnv(name: string, text: string, kind: 'int' | 'number' | 'string' | 'bool' | 'list'): unknown {
  switch (kind) {
    case 'string':
      return text;
    case 'int': {
      if (!/^-?\d+$/.test(text.trim())) throw new ConfigError(name, text, 'a whole number (seconds)');
      return Number(text.trim());
    }
    case 'number': {
      if (!/^\d+(\.\d+)?$/.test(text.trim())) throw new ConfigError(name, text, 'a number such as 1.00');
      return Number(text.trim());
    }
    case 'bool': {
      const t = text.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(t)) return true;
      if (['0', 'false', 'no', 'off'].includes(t)) return false;
      throw new ConfigError(name, text, '1/true/yes or 0/false/no');
    }
    case 'list':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function getPath(source: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node = source;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function toConfigError(error: z.ZodError, raw: unknown, origin: Map<string, string>, configPath: string | null): ConfigError {
  // Of several issues on the first bad key, the one the schema states (at most 86400) says more than zod's own
  // safe-integer bound (at most 9007199254740991).
  const first = error.issues[0]!;
  const same = error.issues.filter((i) => i.path.join('.') === first.path.join('.') && i.code === first.code);
  const bound = (i: z.core.$ZodIssue): number => (i.code === 'too_big' ? Number(i.maximum) : i.code === 'too_small' ? -Number(i.minimum) : 0);
  const issue = same.sort((a, b) => bound(a) - bound(b))[0] ?? first;
  const path = issue.path;
  const dotted = path.map(String).join('.') || '(root)';
  let key = dotted;
  for (let i = path.length; i > 0; i--) {
    const from = origin.get(path.slice(0, i).map(String).join('.'));
    if (from) {
      key = `${from} (${dotted})`;
      break;
    }
  }
  if (key === dotted && configPath) key = `${dotted} in ${configPath}`;
  let expected = expectedForm(issue);
  if (issue.code === 'unrecognized_keys') {
    key = `${issue.keys.join(', ')}${dotted === '(root)' ? '' : ` under ${dotted}`}${configPath ? ` in ${configPath}` : ''}`;
    expected = 'no such key (check the spelling against the README)';
    return new ConfigError(key, getPath(raw, [...path, issue.keys[0]!]), expected);
  }
  return new ConfigError(key, getPath(raw, path), expected);
}

const NUMERIC = new Set(['number', 'int', 'bigint']);

/** Say what was expected in plain words ("a number at most 100"), not zod's phrasing. */
function expectedForm(issue: z.core.$ZodIssue): string {
  const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
  switch (issue.code) {
    case 'too_big': {
      const bound = issue.inclusive === false ? 'below' : 'at most';
      if (NUMERIC.has(issue.origin)) return `a number ${bound} ${String(issue.maximum)}`;
      return `${bound} ${String(issue.maximum)} ${issue.origin === 'string' ? 'characters' : 'items'}`;
    }
    case 'too_small': {
      if (NUMERIC.has(issue.origin)) return `a number ${issue.inclusive === false ? 'above' : 'at least'} ${String(issue.minimum)}`;
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'a non-empty text';
      return `at least ${String(issue.minimum)} ${issue.origin === 'string' ? 'characters' : 'items'}`;
    }
    case 'invalid_type':
      return article(issue.expected === 'int' ? 'whole number' : issue.expected);
    case 'invalid_format':
      return issue.format === 'url' ? 'an http:// or https:// URL' : issue.message;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

/** Paths derived from the config. */
export function statePaths(config: Config) {
  const s = config.stateDir;
  return {
    stateDir: s,
    logDir: config.logDir ?? resolve(s, 'logs'),
    registry: resolve(s, 'problems.jsonl'),
    history: resolve(s, 'history.jsonl'),
    outbox: resolve(s, 'outbox.jsonl'),
    cycleState: resolve(s, 'cycle_state.json'),
    /** Argus's own health, a fixed-size record rewritten in place: it still works on a full disk. */
    selfHealth: resolve(s, 'self_health.json'),
    evaluator: resolve(s, 'evaluator.json'),
    incidents: resolve(s, 'incidents.json'),
    silences: resolve(s, 'silences.json'),
    samples: resolve(s, 'samples.json'),
    snapshot: resolve(s, 'snapshot.json'),
    restarts: resolve(s, 'restarts.json'),
    beads: resolve(s, 'beads.json'),
    lock: resolve(s, 'argus.lock'),
    recurrence: resolve(s, 'recurrence.json'),
    /** Resolutions not yet accepted by Alertmanager (fleet mode). */
    alertmanagerOutbox: resolve(s, 'alertmanager_outbox.json'),
    llm: resolve(s, 'llm_state.json'),
    chronicleState: resolve(s, 'chronicle_state.json'),
    observations: config.observationsFile ?? resolve(s, 'observations.md'),
  };
}
export type StatePaths = ReturnType<typeof statePaths>;
