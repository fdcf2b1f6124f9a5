// The scenario file: the starting machine, a timeline of events, the configuration, and the expected outcome (zod).
import { z } from 'zod';
import { ModelSpecSchema } from '../host/simulated/model.js';
import { SimFileSchema, SimProcessSchema, WorldSpecSchema } from '../host/simulated/world.js';

const t = z.number().min(0);
const until = z.number().min(0).optional();

export const EventSchema = z.discriminatedUnion('type', [
  /** A service crashes (failed, Result=exit-code). */
  z.strictObject({ t, type: z.literal('service_dies'), service: z.string() }),
  /** An administrator stops a service on purpose (inactive, Result=success). */
  z.strictObject({ t, type: z.literal('service_stopped'), service: z.string() }),
  /** The service comes back by itself. */
  z.strictObject({ t, type: z.literal('service_recovers'), service: z.string() }),
  /** Whether a restart revives it from now on. */
  z.strictObject({ t, type: z.literal('service_revives'), service: z.string(), revives: z.boolean() }),
  /** The simulated Telegram Bot API goes down (502) or comes back (world.telegram). */
  z.strictObject({ t, type: z.literal('telegram'), up: z.boolean() }),
  /** The wall clock is set by this many minutes (negative: back), as an NTP step or a restored VM does. */
  z.strictObject({
    t,
    type: z.literal('clock_jump'),
    minutes: z.number().refine((n) => n !== 0, 'a jump of 0 minutes'),
  }),
  /** The service crashed and systemd restarted it (Restart=) before Argus looked: up, new PID, NRestarts + times. */
  z.strictObject({
    t,
    type: z.literal('service_auto_restarts'),
    service: z.string(),
    times: z.number().int().min(1).default(1),
  }),
  /** The service crashes every `everyMin` minutes (whatever brought it back), until `until`. */
  z.strictObject({ t, type: z.literal('service_flaps'), service: z.string(), everyMin: z.number().positive(), until }),
  /** The disk fills at `gbPerHour` (0 stops it). */
  z.strictObject({ t, type: z.literal('disk_fills'), mount: z.string(), gbPerHour: z.number() }),
  /** Set the used space outside listed files, GB (a sudden fill or a cleanup by someone else). */
  z.strictObject({ t, type: z.literal('disk_used'), mount: z.string(), usedGB: z.number().min(0) }),
  /** Files appear in a disk's safelist directories. */
  z.strictObject({ t, type: z.literal('files_appear'), mount: z.string(), files: z.array(SimFileSchema) }),
  /** A process leaks `mbPerMin` (0 stops the leak). */
  z.strictObject({ t, type: z.literal('leak'), pid: z.number().int(), mbPerMin: z.number() }),
  /** A process's RSS (and optionally its swap) is set. */
  z.strictObject({
    t,
    type: z.literal('set_memory'),
    pid: z.number().int(),
    rssMB: z.number().min(0),
    swapMB: z.number().min(0).optional(),
  }),
  /** A process's RSS jumps to rssMB for durationMin minutes, then falls back (a spike). */
  z.strictObject({
    t,
    type: z.literal('memory_spike'),
    pid: z.number().int(),
    rssMB: z.number().min(0),
    durationMin: z.number().positive(),
  }),
  /** Memory use (of the whole machine) follows a wave between lowPct and highPct by resizing one process, until `until`. */
  z.strictObject({
    t,
    type: z.literal('memory_wave'),
    pid: z.number().int(),
    lowPct: z.number().min(0).max(100),
    highPct: z.number().min(0).max(100),
    periodMin: z.number().positive(),
    jitterPct: z.number().min(0).default(0),
    until,
  }),
  /** Swap storm: swap I/O at these MB/s (0 ends it). */
  z.strictObject({ t, type: z.literal('swap_storm'), inMBps: z.number().min(0), outMBps: z.number().min(0) }),
  /** Processes start (e.g. orphaned `node --test` runners: ppid 1). */
  z.strictObject({ t, type: z.literal('processes_start'), processes: z.array(SimProcessSchema) }),
  /** A process exits by itself (its memory is freed). */
  z.strictObject({ t, type: z.literal('process_exits'), pid: z.number().int() }),
  /** CPU utilisation and load change. */
  z.strictObject({
    t,
    type: z.literal('cpu'),
    cpuPct: z.number().min(0).max(100),
    load1: z.number().min(0).optional(),
  }),
  /** An HTTP probe starts answering this status (0 = connection refused). */
  z.strictObject({ t, type: z.literal('probe'), url: z.string(), status: z.number().int().min(0).max(599) }),
  /** tmux sessions appear or end. */
  z.strictObject({
    t,
    type: z.literal('tmux'),
    start: z.array(z.string()).default([]),
    end: z.array(z.string()).default([]),
  }),
]);
export type SimEvent = z.infer<typeof EventSchema>;

const ActionName = z.enum(['restart_service', 'kill_pid', 'kill_tmux', 'alert', 'log', 'create_bead', 'clean_disk']);
const Outcome = z.enum(['success', 'failure', 'refused', 'skipped', 'dry_run']);
/** Who asked for the action (the registry's `source`): the rules, the model, an MCP client, the CLI. */
const Source = z.enum(['rule', 'llm', 'mcp', 'cli']);

export const ExpectSchema = z.strictObject({
  /** Actions that must happen: `target` is matched against the action's target (e.g. "nginx.service", "safelist", a PID). */
  actions: z
    .array(
      z.strictObject({
        action: ActionName,
        target: z.string().optional(),
        result: Outcome.optional(),
        source: Source.optional(),
        byMin: z.number().min(0).optional(),
        afterMin: z.number().min(0).optional(),
        min: z.number().int().min(1).default(1),
        max: z.number().int().min(0).optional(),
      }),
    )
    .default([]),
  /** Actions that must not happen (any result but refused/skipped, unless `result` says which). */
  forbid: z
    .array(
      z.strictObject({
        action: ActionName,
        target: z.string().optional(),
        result: Outcome.optional(),
        source: Source.optional(),
        beforeMin: z.number().min(0).optional(),
      }),
    )
    .default([]),
  /** Alerts delivered (alert actions that succeeded). */
  maxAlerts: z.number().int().min(0).optional(),
  minAlerts: z.number().int().min(0).optional(),
  /** Beads created. */
  maxBeads: z.number().int().min(0).optional(),
  minBeads: z.number().int().min(0).optional(),
  incidents: z
    .array(z.strictObject({ identity: z.string(), opened: z.boolean(), resolved: z.boolean().optional() }))
    .default([]),
  /** Some alert's text must contain each of these strings (e.g. the hog's name, "before"). */
  alertMentions: z.array(z.string()).default([]),
  /**
   * Files that must (exists: true) or must not (false) be there at the end: `<mount>:<dir>/<subdir>/<name>` in a
   * disk's tree, or `victims/<name>` for the target of a symlink-outside file.
   */
  files: z
    .array(
      z.strictObject({
        path: z.string().regex(/^(victims\/[A-Za-z0-9._-]+|\/[A-Za-z0-9._/-]*:[A-Za-z0-9._/-]+)$/),
        exists: z.boolean(),
      }),
    )
    .default([]),
  /**
   * The simulated chat (world.telegram): every alert delivered exactly once (each alert's words in one message), in the
   * order they were raised, in at most `maxMessages` messages.
   */
  telegram: z
    .strictObject({
      allDeliveredOnce: z.boolean().default(true),
      inOrder: z.boolean().default(true),
      maxMessages: z.number().int().min(0).optional(),
    })
    .optional(),
  /** No alert may contain any of these (a secret from a command line, an injected instruction). */
  alertsNeverMention: z.array(z.string()).default([]),
  /** Nothing at all: no alert, no action. */
  quiet: z.boolean().default(false),
  /** The scripted model: calls and tokens (every request counted), and whether every tool call it made was refused. */
  model: z
    .strictObject({
      minCalls: z.number().int().min(0).optional(),
      maxCalls: z.number().int().min(0).optional(),
      maxTokens: z.number().int().min(0).optional(),
      proposalsRefused: z.boolean().optional(),
      /** Strings (secrets planted in the world's command lines) that no request to the model may contain. */
      neverSent: z.array(z.string().min(4)).optional(),
    })
    .optional(),
});
export type Expect = z.infer<typeof ExpectSchema>;

export const ScenarioSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/),
    description: z.string().min(1),
    /** Merged over the defaults (ConfigSchema); telegram and anthropic keys are not allowed here. */
    config: z.record(z.string(), z.unknown()).default({}),
    world: WorldSpecSchema.prefault({}),
    events: z.array(EventSchema).default([]),
    durationMin: z
      .number()
      .positive()
      .max(7 * 1440),
    intervalMin: z.number().positive().default(5),
    /** The start of the fake clock. */
    start: z.iso.datetime().default('2026-03-02T00:00:00Z'),
    /** "off" (no key: no call), or {mode: "scripted", default, replies} answering the Messages API from the script. */
    model: ModelSpecSchema,
    expect: ExpectSchema.prefault({}),
  })
  .superRefine((s, ctx) => {
    // An event about a service or disk the world does not have is a mistake in the file: say so when it is loaded.
    const services = new Set(s.world.services.map((x) => x.name.replace(/\.service$/, '')));
    const mounts = new Set(s.world.disks.map((d) => d.mount));
    s.events.forEach((e, i) => {
      if ('service' in e && !services.has(e.service.replace(/\.service$/, ''))) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'service'],
          message: `names service ${e.service}, which is not in world.services`,
        });
      }
      if ('mount' in e && !mounts.has(e.mount))
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'mount'],
          message: `names disk ${e.mount}, which is not in world.disks`,
        });
    });
  });
export type Scenario = z.infer<typeof ScenarioSchema>;
