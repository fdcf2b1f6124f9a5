// Load configuration from the environment (compatible with the first Argus) and an optional JSON file.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { ConfigSchema, type Config } from './schema.js';
import { explainIssue, expectedAt } from './explain.js';
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
  ['ARGUS_DOCS_DIR', ['docsDir'], 'string'],
  ['ARGUS_FLEET_HOSTS', ['fleetHostsFile'], 'string'],
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
  // An empty --config is a mistake (a variable that expanded to nothing), not "no file"; an empty ARGUS_CONFIG is unset.
  if (options.configPath === '') throw new ConfigError('--config', '', 'a path to a JSON file');
  const explicit = options.configPath || env.ARGUS_CONFIG;
  const configPath = explicit
    ? resolve(cwd, explicit)
    : existsSync(resolve(cwd, 'argus.json'))
      ? resolve(cwd, 'argus.json')
      : null;
  const named = options.configPath ? '--config' : explicit ? 'ARGUS_CONFIG' : 'argus.json';

  let raw: Record<string, unknown> = {};
  const origin = new Map<string, { from: string; text?: string }>(); // dotted key → where the value came from
  if (configPath) raw = readConfigFile(configPath, named);

  const logLevel = env.ARGUS_LOG_LEVEL;
  if (logLevel !== undefined && logLevel !== '' && !(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('ARGUS_LOG_LEVEL', logLevel, `one of ${LOG_LEVELS.join(', ')}`);
  }
  for (const [name, path, kind] of ENV_KEYS) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    setPath(raw, path, fromEnv(name, text, kind, path));
    origin.set(path.join('.'), { from: name, text });
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) {
      setPath(raw, key.split('.'), value);
      origin.set(key, { from: `--${key}` });
    }
  }

  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw explainIssue(ConfigSchema, parsed.error, raw, origin, configPath);
  const config = parsed.data;
  config.stateDir = resolve(cwd, config.stateDir);
  if (config.docsDir) config.docsDir = resolve(cwd, config.docsDir);
  if (config.fleetHostsFile) config.fleetHostsFile = resolve(cwd, config.fleetHostsFile);
  return { config, configPath };
}

const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'a directory',
  ENOTDIR: 'a path through something that is not a directory',
  ELOOP: 'a loop of symbolic links',
};

/** The JSON file as an object; a file that is not JSON is named with where it breaks, never with what it says. */
function readConfigFile(path: string, named: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(named, path, `a readable JSON file (${ERRNO_WORDS[code] ?? code})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, '')); // an editor's byte-order mark is not an error
  } catch (error) {
    throw new ConfigError(path, undefined, 'a JSON object', {
      shown: `not JSON (${whereJsonBreaks(text, (error as Error).message)})`,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(path, undefined, 'a JSON object', {
      shown: `a JSON ${Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed}`,
    });
  }
  return parsed as Record<string, unknown>;
}

/** "line 3, column 14: Expected ',' or '}' after property value", without the snippet of the text V8 may quote. */
function whereJsonBreaks(text: string, message: string): string {
  const reason = message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/, (\.\.\.)?".*$/s, '')
    .slice(0, 80);
  const position = /at position (\d+)/.exec(message);
  if (!position) return reason;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return `line ${line}, column ${before.length - before.lastIndexOf('\n')}: ${reason}`;
}

function fromEnv(
  name: string,
  text: string,
  kind: 'int' | 'number' | 'string' | 'bool' | 'list',
  path: string[],
): unknown {
  switch (kind) {
    case 'string':
      return text;
    case 'int': {
      if (!/^-?\d+$/.test(text.trim())) throw new ConfigError(name, text, expectedAt(ConfigSchema, path));
      return Number(text.trim());
    }
    case 'number': {
      if (!/^-?\d+(\.\d+)?$/.test(text.trim())) throw new ConfigError(name, text, expectedAt(ConfigSchema, path));
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
    /** Runbooks and post-mortems (runbooks/, postmortems/): ARGUS_DOCS_DIR, else under the state dir. */
    docs: config.docsDir ? resolve(config.docsDir) : resolve(s, 'docs'),
    /** What the fleet receiver remembers of Alertmanager's groups (src/fleet/group-state.ts). */
    fleetGroups: resolve(s, 'fleet_groups.json'),
    /** ARGUS_FLEET_HOSTS: the hosts file of the fleet view, or null. */
    fleetHosts: config.fleetHostsFile ? resolve(config.fleetHostsFile) : null,
  };
}
export type StatePaths = ReturnType<typeof statePaths>;
