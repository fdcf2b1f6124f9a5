// The configuration schema: one zod object, defaults from the seeds, documented in the README.
import { z } from 'zod';

const pct = z.number().min(1).max(100);
/** Fire at or above `fire`, clear below `clear` (hysteresis: flapping around one threshold makes no noise). */
const band = (fire: number, clear: number) =>
  z
    .strictObject({ fire: pct, clear: pct })
    .refine((b) => b.clear <= b.fire, { message: 'a number at most fire (a condition clears below the level it fires at)', path: ['clear'] })
    .default({ fire, clear });

/** The Bot API base: https, or plain http on the loopback interface only. */
function safeApiBase(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'https:') return true;
  return u.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(u.hostname);
}

const unitName = z
  .string()
  .regex(/^[A-Za-z0-9:_.@-]{1,200}$/, 'a systemd unit name like "nginx" or "nginx.service"');

export const ProbeConfigSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a short name of letters, digits, _ . -'),
  url: z.url({ protocol: /^https?$/ }),
  expectStatus: z.number().int().min(100).max(599).default(200),
  timeoutMs: z.number().int().min(100).max(60_000).default(3000),
  /** The systemd unit this probe checks: its failure is the unit's incident, and may restart it (restartAllowlist). */
  service: unitName.optional(),
});
export type ProbeConfig = z.infer<typeof ProbeConfigSchema>;

export const ConfigSchema = z.strictObject({
  /** Seconds between cycles in `argus run` (ARGUS_INTERVAL). */
  intervalSec: z.number().int().min(10).max(86_400).default(300),
  /** Where problems.jsonl and all state live (ARGUS_STATE_DIR). */
  stateDir: z.string().min(1).default('./state'),
  /** Log directory (ARGUS_LOG_DIR); default `<stateDir>/logs`. */
  logDir: z.string().min(1).optional(),
  /**
   * First reminder of an ongoing incident after this many seconds (ARGUS_DEDUP_WINDOW); later reminders wait 3× and
   * 6× as long (4 h → 12 h → daily by default; src/agents/router/reminders.ts).
   */
  dedupWindowSec: z.number().int().min(0).max(7 * 86_400).default(14_400),
  /** Athena's memory directory (ARGUS_MEMORY_DIR); its latest activity is reported. */
  memoryDir: z.string().optional(),
  /** Observations file for the `log` action (ARGUS_OBSERVATIONS_FILE); default `<stateDir>/observations.md`. */
  observationsFile: z.string().optional(),
  /** Record what would be done and do nothing (ARGUS_DRY_RUN=1 or --dry-run). */
  dryRun: z.boolean().default(false),
  /** The name alerts, beads and records carry (ARGUS_HOSTNAME): a DNS host name, at most 253 characters. */
  hostname: z
    .string()
    .max(253)
    .regex(/^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*$/, 'a host name: letters, digits, - and . (labels of at most 63 characters)')
    .optional(),
  /**
   * Dead-man's switch (ARGUS_HEARTBEAT_URL): a push-monitor URL (healthchecks.io, Uptime Kuma) pinged with a GET after
   * every cycle, with `/fail` appended after a failed one; a watcher outside the machine notices when the pings stop.
   */
  heartbeatUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Fleet mode (ARGUS_ALERTMANAGER_URL): Alertmanager's base URL; open incidents are posted to /api/v2/alerts every
   * cycle and resolved ones with endsAt, so Alertmanager groups, inhibits and silences across hosts.
   */
  alertmanagerUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** node_exporter's textfile collector directory (ARGUS_TEXTFILE_DIR): `argus chronicle` writes argus.prom there. */
  textfileDir: z.string().min(1).optional(),
  /**
   * Days of registry history kept (ARGUS_RETENTION_DAYS): problems.jsonl is rotated into monthly segments
   * (problems-2026-11.jsonl) and segments that ended longer ago than this are deleted.
   */
  retentionDays: z.number().int().min(7).max(3650).default(180),

  /** systemd units to watch. */
  services: z.array(unitName).max(200).default([]),
  /** Units Argus may restart (exact names; `.service` is added when missing). */
  restartAllowlist: z.array(unitName).max(200).default([]),
  probes: z.array(ProbeConfigSchema).max(100).default([]),
  /** tmux sockets to list besides the default one (paths). */
  tmuxSockets: z.array(z.string().min(1).max(4096)).max(50).default([]),
  /** Command names (whole names, not substrings) that kill_pid may signal. */
  killPatterns: z.array(z.string().regex(/^[A-Za-z0-9_.+-]{1,64}$/, 'a command name')).default(['node', 'claude', 'codex']),
  /** Command-line prefix marking an orphan candidate (seed: `node --test`). */
  orphanPattern: z.string().min(1).max(200).default('node --test'),
  /** An orphan must be at least this old before it counts, seconds. */
  orphanMinAgeSec: z.number().int().min(0).default(300),
  /** Kill memory hogs automatically when they match killPatterns (off by default: alert only). */
  killMemoryHogs: z.boolean().default(false),

  thresholds: z
    .strictObject({
      disk: band(90, 80),
      inodes: band(90, 80),
      memory: band(90, 80),
      swap: band(80, 60),
      cpu: band(95, 80),
      /** Load average (1 min) per core. */
      loadPerCore: z
        .strictObject({ fire: z.number().positive(), clear: z.number().positive() })
        .refine((b) => b.clear <= b.fire, { message: 'a number at most fire (a condition clears below the level it fires at)', path: ['clear'] })
        .default({ fire: 2, clear: 1.5 }),
      /** Swap thrashing: swap-in + swap-out above this many MB/s. */
      swapIoMBps: z.number().positive().default(10),
      /** Free space on the state filesystem below this many MB is critical; the cycle stays minimal. */
      stateMinFreeMB: z.number().positive().default(100),
      /** Athena memory directory idle longer than this many hours is reported (info). 0 disables. */
      athenaIdleHours: z.number().min(0).default(0),
    })
    .prefault({}),
  /** Consecutive cycles a condition must hold before it fires (a dead service fires at once). */
  confirmCycles: z
    .strictObject({
      /** A one-cycle blip is silent; a disk that would be full within the hour fires at once (rules/disk.ts). */
      disk: z.number().int().min(1).default(2),
      memory: z.number().int().min(1).default(2),
      swap: z.number().int().min(1).default(2),
      cpu: z.number().int().min(1).default(3),
      probe: z.number().int().min(1).default(2),
      process: z.number().int().min(1).default(3),
    })
    .prefault({}),
  /** Healthy cycles before an incident is resolved. */
  resolveAfterCycles: z.number().int().min(1).default(2),
  /** Per-collector timeout, ms. */
  collectorTimeoutMs: z.number().int().min(50).max(60_000).default(5000),

  telegram: z
    .strictObject({
      botToken: z.string().optional(),
      chatId: z.string().optional(),
      /** Telegram user ids whose buttons and commands count (the Solicitor, src/solicitor/); nobody else's do. */
      approvers: z.array(z.union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/, 'a Telegram user id (digits)')]).transform(String)).max(50).default([]),
      /** https:// (http:// only on loopback: a test's fake Bot API) — the token travels in the URL. */
      apiBase: z
        .url()
        .refine(safeApiBase, 'an https:// URL (http:// only on 127.0.0.1, ::1 or localhost)')
        .default('https://api.telegram.org'),
    })
    .superRefine((t, ctx) => {
      // Half a Telegram configuration sends nothing and says nothing: refuse it.
      if ((t.botToken === undefined) !== (t.chatId === undefined)) {
        const missing = t.botToken === undefined ? 'botToken' : 'chatId';
        ctx.addIssue({ code: 'custom', path: [missing], message: `a value too: telegram.${missing === 'botToken' ? 'chatId' : 'botToken'} is set, and the two go together (TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID)` });
      }
    })
    .prefault({}),
  /** What a person may approve from Telegram (src/solicitor/policy.ts); hard limits are never approvable. */
  approval: z
    .strictObject({
      actions: z.array(z.enum(['restart_unlisted', 'retry_restart', 'kill_process', 'kill_tmux', 'clean_disk'])).default(['restart_unlisted', 'retry_restart', 'kill_process', 'kill_tmux', 'clean_disk']),
      /** Minutes an approval request stays answerable. */
      ttlMinutes: z.number().int().min(1).max(1440).default(30),
    })
    .prefault({}),
  /** Optional Relay endpoint for the daily digest (seed 000): POST JSON {title, text}; on failure, Telegram. */
  relay: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }).optional(),
      timeoutMs: z.number().int().min(100).max(60_000).default(5000),
    })
    .prefault({}),
  anthropic: z
    .strictObject({
      apiKey: z.string().optional(),
      baseUrl: z.url().optional(),
      model: z.string().trim().min(1).default('claude-haiku-4-5'),
      /** Daily cost cap for model calls, USD (ARGUS_LLM_DAILY_USD); reached → no more calls that day. */
      dailyUsd: z.number().min(0).default(1),
      /** Run the evaluator's trend analysis on healthy cycles at most this often, minutes (0 = only when there are findings). */
      analysisEveryMin: z.number().int().min(0).default(0),
    })
    .prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;
