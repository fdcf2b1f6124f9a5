// The seven actions' public contract (also served over MCP: keep it stable) and their result.
import { z } from 'zod';
import { SeveritySchema, type Source } from './finding.js';

const reason = z.string().min(1).max(2000).describe('Why this action is needed, in one or two sentences.');
const dryRun = z.boolean().optional().describe('Record what would be done and do nothing.');

export const RestartServiceInputSchema = z.strictObject({
  service: z
    .string()
    .min(1)
    .max(256)
    .describe('systemd unit name on the restart allowlist, e.g. "nginx" or "nginx.service".'),
  reason,
  failing_probe: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .optional()
    .describe(
      'Restart a unit that is running but whose configured health probe (probes[].name, tied by probes[].service) fails; without it a running unit is left alone.',
    ),
  dry_run: dryRun,
});
export const KillPidInputSchema = z.strictObject({
  pid: z.number().int().describe('Process ID as seen in the latest snapshot.'),
  reason,
  dry_run: dryRun,
});
export const KillTmuxInputSchema = z.strictObject({
  session: z.string().min(1).max(256).describe('Exact tmux session name.'),
  socket: z.string().max(4096).optional().describe('Configured tmux socket path; omit for the default socket.'),
  reason,
  dry_run: dryRun,
});
export const AlertInputSchema = z.strictObject({
  message: z.string().min(1).max(20000).describe('Text for the operators; plain text.'),
  severity: SeveritySchema.optional(),
});
export const LogInputSchema = z.strictObject({
  observation: z.string().min(1).max(20000).describe('One observation to append to the observations file.'),
});
export const CreateBeadInputSchema = z.strictObject({
  title: z.string().min(1).max(300),
  description: z.string().min(1).max(50000),
  type: z.string().max(40).optional().describe('Problem type, e.g. "service", "disk".'),
  severity: SeveritySchema.optional(),
});
export const CleanDiskInputSchema = z.strictObject({
  reason,
  dry_run: dryRun,
});

export const ACTION_NAMES = [
  'restart_service',
  'kill_pid',
  'kill_tmux',
  'alert',
  'log',
  'create_bead',
  'clean_disk',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

export const ACTION_INPUT_SCHEMAS = {
  restart_service: RestartServiceInputSchema,
  kill_pid: KillPidInputSchema,
  kill_tmux: KillTmuxInputSchema,
  alert: AlertInputSchema,
  log: LogInputSchema,
  create_bead: CreateBeadInputSchema,
  clean_disk: CleanDiskInputSchema,
} as const;

export type ActionInput<N extends ActionName> = z.infer<(typeof ACTION_INPUT_SCHEMAS)[N]>;

/** A request to the gate: which action, its raw (unvalidated) input, who asks, and for which incident. */
export interface ActionRequest {
  action: string;
  input: unknown;
  source: Source;
  identity?: string | null;
  incidentId?: string | null;
  /** Added to the attempt's record `details` (a person's approval: its id, who decided). */
  audit?: Record<string, unknown>;
}

export const ActionOutcomeSchema = z.enum(['success', 'failure', 'refused', 'skipped', 'dry_run']);
export type ActionOutcome = z.infer<typeof ActionOutcomeSchema>;

export const ActionResultSchema = z.object({
  result: ActionOutcomeSchema,
  reason: z.string(),
  details: z.record(z.string(), z.unknown()),
  /** The registry record written for this attempt. */
  record: z.unknown(),
});
export type ActionResult = z.infer<typeof ActionResultSchema>;
