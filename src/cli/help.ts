// What every command takes and says about itself: `argus --help`, `argus <command> --help`, shell completion.
// One table; a test holds it against the flags each command really parses.

export interface FlagHelp {
  /** Long name without dashes. */
  name: string;
  /** Placeholder of the value; absent for a switch. */
  value?: string;
  text: string;
}

export interface CommandHelp {
  /** One line: what it does. */
  summary: string;
  /** Positional arguments, as shown in the usage line. */
  args?: string;
  flags: FlagHelp[];
  /** A few lines after the flags: examples, exit codes that matter here. */
  notes?: string[];
}

const json: FlagHelp = { name: 'json', text: 'print JSON instead of text' };
const dryRun = (what: string): FlagHelp => ({ name: 'dry-run', text: what });
const since = (d: string): FlagHelp => ({
  name: 'since',
  value: 'WHEN',
  text: `from when: 30m, 24h, 7d or an ISO date (default ${d})`,
});

export const COMMAND_HELP: Record<string, CommandHelp> = {
  once: {
    summary: 'run one guarded cycle: collect, evaluate, act through the gate, alert, ticket; print the report',
    flags: [
      dryRun('record what would be done and change nothing'),
      json,
      { name: 'fail-on', value: 'warning|critical', text: 'exit 4 when a finding at or above this severity is active' },
    ],
    notes: [
      'Exit codes: 0 done, 1 the cycle failed, 2 bad configuration, 3 another cycle holds the lock, 4 --fail-on.',
    ],
  },
  run: {
    summary: 'run a cycle every ARGUS_INTERVAL seconds until SIGTERM/SIGINT (which let the current cycle finish)',
    flags: [
      dryRun('record what would be done and change nothing'),
      { name: 'cycles', value: 'N', text: 'stop after N cycles' },
    ],
  },
  status: {
    summary: 'the age of the last cycle (STALE when old), its health, the latest snapshot, open incidents, silences',
    flags: [
      json,
      {
        name: 'check',
        text: "one line; exit 1 unless the last cycle is recent and worked (a dead-man's switch for Monit, cron, Nagios)",
      },
      {
        name: 'fleet',
        text: "the fleet receiver's view instead: hosts heard of, fleet incidents (exit 2 when ARGUS_FLEET_HOSTS is bad)",
      },
    ],
  },
  problems: {
    summary: 'query the registry (problems.jsonl)',
    flags: [
      since('24h'),
      {
        name: 'type',
        value: 'TYPE',
        text: 'disk, memory, swap, cpu, service, process, probe, tmux, athena, self, action',
      },
      { name: 'identity', value: 'ID', text: 'an identity or a glob: service:*, disk:/var*' },
      { name: 'kind', value: 'KIND', text: 'detection, decision, transition, action, rca, llm, self' },
      { name: 'limit', value: 'N', text: 'at most N records, the newest (default 200)' },
      json,
    ],
  },
  silence: {
    summary: 'mute notifications for matching findings (they are still recorded)',
    args: '<matcher>',
    flags: [
      { name: 'for', value: 'DURATION', text: 'how long: 30m, 2h, 1d' },
      { name: 'reason', value: 'TEXT', text: 'why (shown in status)' },
      { name: 'list', text: 'list active silences' },
      { name: 'remove', value: 'ID', text: 'end a silence now' },
    ],
    notes: ['A matcher is an identity or glob (service:nginx.service, disk:*) or a bare type (memory).'],
  },
  doctor: {
    summary: 'check configuration, permissions, free space, the last cycle, systemd, tmux, bd, Telegram, the heartbeat',
    flags: [json, { name: 'offline', text: 'contact nothing outside this machine (Telegram, the heartbeat URL)' }],
    notes: ['Exit 1 when something blocks Argus.'],
  },
  chronicle: {
    summary: 'patterns over the registry; write runbooks and post-mortems; publish the daily summary',
    flags: [
      since('7d'),
      dryRun('compute and print, write nothing'),
      { name: 'out', value: 'DIR', text: 'where docs go (default ARGUS_DOCS_DIR, else <state>/docs)' },
      { name: 'commit', text: 'commit the docs when DIR is a git work tree' },
      { name: 'no-publish', text: 'do not publish the daily summary (bead, Relay, Telegram)' },
      json,
    ],
  },
  stats: {
    summary: 'counts and success rates by type, severity and action; hourly and daily buckets',
    flags: [
      since('7d'),
      json,
      {
        name: 'prometheus',
        text: 'the Prometheus metrics, as `argus serve` /metrics (counters over the whole registry: --since does not apply)',
      },
      {
        name: 'textfile-dir',
        value: 'DIR',
        text: "write those metrics to DIR/argus.prom for node_exporter's textfile collector",
      },
    ],
  },
  mcp: {
    summary: 'serve the tool registry over MCP: stdio, or Streamable HTTP on loopback with a bearer token',
    flags: [
      { name: 'http', text: 'Streamable HTTP instead of stdio (needs ARGUS_MCP_TOKEN)' },
      { name: 'port', value: 'PORT', text: 'HTTP port (default 8787)' },
      { name: 'host', value: 'ADDR', text: 'HTTP address (default 127.0.0.1)' },
      { name: 'allowed-host', value: 'NAME', text: 'a Host header to accept besides loopback names (repeatable)' },
      dryRun('actions called over MCP are recorded, not done'),
    ],
  },
  serve: {
    summary:
      'one HTTP server: the dashboard (/), Prometheus metrics (/metrics), /healthz, MCP (/mcp) and the fleet receiver (POST /alertmanager), loopback by default',
    flags: [
      {
        name: 'host',
        value: 'ADDR',
        text: 'address (default 127.0.0.1); any other needs ARGUS_MCP_TOKEN for every path',
      },
      { name: 'port', value: 'PORT', text: 'port (default 8787)' },
      { name: 'allowed-host', value: 'NAME', text: 'a Host header to accept besides loopback names (repeatable)' },
      dryRun('actions called over /mcp are recorded, not done'),
      {
        name: 'read-only',
        text: '/mcp offers only the tools that change nothing and POST /alertmanager is refused (argus-serve.service: its state dir is read-only)',
      },
    ],
    notes: [
      '/mcp is on when ARGUS_MCP_TOKEN is set (bearer token). Off loopback, browsers open /?token=TOKEN once (kept as a cookie).',
      '/healthz: 200 while the last cycle is recent and worked, else 503.',
    ],
  },
  solicit: {
    summary:
      'the Telegram listener: approval buttons and chat commands (/status /incidents /ack /silence …) until SIGTERM',
    flags: [
      dryRun('approved actions are recorded, not done'),
      { name: 'poll-timeout', value: 'SECONDS', text: 'long-poll timeout of getUpdates, 1–50 (default 25)' },
    ],
    notes: [
      'Needs TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID and telegram.approvers (or TELEGRAM_APPROVERS). Run by argus-solicitor.service.',
    ],
  },
  dashboard: {
    summary: 'write the dashboard as one self-contained HTML file (no server, no network)',
    flags: [
      { name: 'out', value: 'FILE', text: 'where to write it (default argus-dashboard.html)' },
      { name: 'range', value: '24h|7d|30d', text: 'the range shown first (default 24h; the file holds 30 days)' },
    ],
  },
  simulate: {
    summary: 'replay scenarios through the real pipeline on a simulated host; exit 1 if any fails',
    args: '<scenario.json|dir>',
    flags: [json],
  },
  'notify-failure': {
    summary: 'tell Telegram that an Argus unit failed (run by systemd OnFailure=); needs only the environment',
    args: '<unit>',
    flags: [],
  },
  install: {
    summary: 'install the systemd units and the env file template; idempotent',
    flags: [
      dryRun('show what would be written (with the unit files) and change nothing'),
      {
        name: 'mode',
        value: 'timer|run',
        text: 'a timer-driven cycle (default) or the long-running argus-run.service',
      },
      { name: 'prefix', value: 'DIR', text: 'where Argus is installed (default: this package)' },
      { name: 'node', value: 'PATH', text: 'the node binary the units run (default: this one)' },
      {
        name: 'root',
        value: 'DIR',
        text: 'install into an image or a test root (systemctl works offline; nothing is started)',
      },
      { name: 'no-start', text: 'enable the timers but do not start them now' },
      {
        name: 'serve',
        text: 'also enable argus-serve.service: the dashboard, /metrics and /healthz on 127.0.0.1:8787',
      },
    ],
  },
  uninstall: {
    summary: 'remove the systemd units (keeps state and the env file)',
    flags: [dryRun('show what would be removed'), { name: 'root', value: 'DIR', text: 'act under DIR instead of /' }],
  },
  completion: {
    summary: 'print a shell completion script',
    args: 'bash|zsh',
    flags: [],
    notes: ['bash: source <(argus completion bash)    zsh: argus completion zsh > "${fpath[1]}/_argus"'],
  },
};

/** Flags every command accepts. */
export const COMMON_FLAGS: FlagHelp[] = [
  { name: 'config', value: 'FILE', text: 'the JSON configuration file (else ARGUS_CONFIG, else ./argus.json)' },
  { name: 'help', text: 'this help' },
];

const flagLabel = (f: FlagHelp): string => `--${f.name}${f.value ? ` ${f.value}` : ''}`;

export function synopsis(name: string, c: CommandHelp): string {
  return [`argus ${name}`, c.args, ...c.flags.map((f) => `[${flagLabel(f)}]`)].filter(Boolean).join(' ');
}

export function commandHelp(name: string): string | null {
  const c = COMMAND_HELP[name];
  if (!c) return null;
  const width = Math.max(...[...c.flags, ...COMMON_FLAGS].map((f) => flagLabel(f).length));
  const lines = [`usage: ${synopsis(name, c)}`, '', c.summary, '', 'options:'];
  for (const f of [...c.flags, ...COMMON_FLAGS]) lines.push(`  ${flagLabel(f).padEnd(width)}  ${f.text}`);
  if (c.notes) lines.push('', ...c.notes);
  return `${lines.join('\n')}\n`;
}

export function topHelp(): string {
  const names = Object.keys(COMMAND_HELP);
  const width = Math.max(...names.map((n) => n.length));
  const lines = ['usage: argus <command> [options]', '', 'commands:'];
  for (const n of names) lines.push(`  ${n.padEnd(width)}  ${COMMAND_HELP[n]!.summary}`);
  lines.push(
    '',
    '`argus <command> --help` lists its options. Every command takes --config FILE, and --no-color',
    '(colour is used only on a terminal, never with NO_COLOR set or for --json).',
    'Configuration: environment variables (see README) and an optional JSON file (--config or ARGUS_CONFIG).',
    'Exit codes: 0 ok, 1 failed, 2 usage or configuration error, 3 lock held, 4 --fail-on.',
  );
  return `${lines.join('\n')}\n`;
}
