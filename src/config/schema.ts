// The configuration schema: one zod object, defaults from the seeds, documented in the README.
import { z } from 'zod';
import { API_BASE_FORM, isSafeApiBase } from './api-base.js';

const pct = z.number().min(1).max(100);

/**
 * A threshold pair: fire at or above `fire`, clear below `clear` (hysteresis: flapping around one threshold makes no
 * noise). `clear` above `fire` would fire and clear at once; equal is allowed (no hysteresis: tests force a finding so).
 */
function pair(key: string, level: z.ZodNumber) {
  return z.strictObject({ fire: level, clear: level }).superRefine((b, ctx) => {
    if (b.clear > b.fire) {
      ctx.addIssue({
        code: 'custom',
        path: ['clear'],
        message: `a number at most thresholds.${key}.fire (${b.fire}): a condition fires at fire and clears below clear`,
      });
    }
  });
}
const band = (key: string, fire: number, clear: number) => pair(key, pct).default({ fire, clear });

/** Consecutive cycles: a day of 5-minute cycles is plenty. */
const CYCLES_MAX = 288;

const unitName = z.string().regex(/^[A-Za-z0-9:_.@-]{1,200}$/, 'a systemd unit name like "nginx" or "nginx.service"');

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
  dedupWindowSec: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(14_400),
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
    .regex(
      /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
      'a host name: letters, digits, - and . (labels of at most 63 characters)',
    )
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
  /**
   * The fleet receiver's hosts file (ARGUS_FLEET_HOSTS): `{ "hosts": [{ "name", "url" }] }`, each host's dashboard, linked
   * from the fleet view (src/fleet/view.ts checks it when shown; a bad file is said there, never a failed start).
   */
  fleetHostsFile: z.string().min(1).optional(),
  /** Where the chronicle writes runbooks and post-mortems (ARGUS_DOCS_DIR; `--out` wins); default `<stateDir>/docs`. */
  docsDir: z.string().min(1).optional(),
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
  killPatterns: z
    .array(z.string().regex(/^[A-Za-z0-9_.+-]{1,64}$/, 'a command name'))
    .default(['node', 'claude', 'codex']),
  /** Command-line prefix marking an orphan candidate (seed: `node --test`). */
  orphanPattern: z.string().min(1).max(200).default('node --test'),
  /** An orphan must be at least this old before it counts, seconds. */
  orphanMinAgeSec: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(300),
  /** Kill memory hogs automatically when they match killPatterns (off by default: alert only). */
  killMemoryHogs: z.boolean().default(false),

  thresholds: z
    .strictObject({
      disk: band('disk', 90, 80),
      inodes: band('inodes', 90, 80),
      memory: band('memory', 90, 80),
      swap: band('swap', 80, 60),
      cpu: band('cpu', 95, 80),
      /** Load average (1 min) per core. */
      loadPerCore: pair('loadPerCore', z.number().positive()).default({ fire: 2, clear: 1.5 }),
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
      disk: z.number().int().min(1).max(CYCLES_MAX).default(2),
      memory: z.number().int().min(1).max(CYCLES_MAX).default(2),
      swap: z.number().int().min(1).max(CYCLES_MAX).default(2),
      cpu: z.number().int().min(1).max(CYCLES_MAX).default(3),
      probe: z.number().int().min(1).max(CYCLES_MAX).default(2),
      process: z.number().int().min(1).max(CYCLES_MAX).default(3),
    })
    .prefault({}),
  /** Healthy cycles before an incident is resolved. */
  resolveAfterCycles: z.number().int().min(1).max(CYCLES_MAX).default(2),
  /** Per-collector timeout, ms. */
  collectorTimeoutMs: z.number().int().min(50).max(60_000).default(5000),

  telegram: z
    .strictObject({
      /** The token travels in the URL's path: only the characters @BotFather uses. */
      botToken: z
        .string()
        .regex(
          /^\d{1,20}:[A-Za-z0-9_-]{1,200}$/,
          'a bot token as @BotFather gives it (digits, a colon, then letters, digits, _ and -)',
        )
        .optional(),
      chatId: z
        .string()
        .regex(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/, 'a chat id (digits, -100… for a group) or @channelname')
        .optional(),
      /** Telegram user ids whose buttons and commands count (the Solicitor, src/solicitor/); nobody else's do. */
      approvers: z
        .array(
          z
            .union([z.number(), z.string()])
            .transform(String)
            .pipe(z.string().regex(/^[1-9]\d{0,19}$/, 'a Telegram user id (digits)')),
        )
        .max(50)
        .default([]),
      /** https:// (http:// only on loopback: a test's fake Bot API) — the token travels in the URL. */
      apiBase: z.string().refine(isSafeApiBase, API_BASE_FORM).default('https://api.telegram.org'),
    })
    .superRefine((t, ctx) => {
      // Half a Telegram configuration sends nothing and says nothing: refuse it.
      if (t.botToken !== undefined && t.chatId === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['chatId'],
          message: 'a chat id too: telegram.botToken (TELEGRAM_BOT_TOKEN) is set, and the two go together',
        });
      } else if (t.chatId !== undefined && t.botToken === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['botToken'],
          message: 'a bot token too: telegram.chatId (TELEGRAM_CHAT_ID) is set, and the two go together',
        });
      }
    })
    .prefault({}),
  /** What a person may approve from Telegram (src/solicitor/policy.ts); hard limits are never approvable. */
  approval: z
    .strictObject({
      actions: z
        .array(z.enum(['restart_unlisted', 'retry_restart', 'kill_process', 'kill_tmux', 'clean_disk']))
        .default(['restart_unlisted', 'retry_restart', 'kill_process', 'kill_tmux', 'clean_disk']),
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
      baseUrl: z.url({ protocol: /^https?$/ }).optional(),
      /** A model id of the API, Bedrock or Vertex (claude-haiku-4-5, anthropic.claude-…-v1:0, claude-…@20241022). */
      model: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/, 'a model id like claude-haiku-4-5 (letters, digits and . _ : @ / -)')
        .default('claude-haiku-4-5'),
      /** Daily cost cap for model calls, USD (ARGUS_LLM_DAILY_USD); reached → no more calls that day. */
      dailyUsd: z.number().min(0).default(1),
      /** Run the evaluator's trend analysis on healthy cycles at most this often, minutes (0 = only when there are findings). */
      analysisEveryMin: z
        .number()
        .int()
        .min(0)
        .max(7 * 1440)
        .default(0),
    })
    .prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;
