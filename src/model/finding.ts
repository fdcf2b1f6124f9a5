// Findings (evaluator output) and Decisions (router output).
import { z } from 'zod';

export const SeveritySchema = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export const FindingTypeSchema = z.enum([
  'disk',
  'memory',
  'swap',
  'cpu',
  'service',
  /** A watched unit restarted between two looks (NRestarts rose, or a new main PID): the crash itself was not seen. */
  'restart',
  'process',
  'probe',
  'tmux',
  'athena',
  'self',
]);
export type FindingType = z.infer<typeof FindingTypeSchema>;

/**
 * Who asked: a playbook, the model, Athena over MCP, the CLI, a person approving from Telegram (`human`), or the fleet
 * receiver turning an Alertmanager webhook into an alert and a bead (`alertmanager`).
 */
export const SourceSchema = z.enum(['rule', 'llm', 'mcp', 'cli', 'human', 'alertmanager']);
export type Source = z.infer<typeof SourceSchema>;

export const FindingSchema = z.object({
  /** Stable identity `type:subject` (e.g. `disk:/`, `service:nginx.service`): never free text, never live numbers. */
  identity: z.string(),
  type: FindingTypeSchema,
  subject: z.string(),
  severity: SeveritySchema,
  /** Human text; may carry live values. Never used for identity. */
  description: z.string(),
  source: SourceSchema,
  details: z.record(z.string(), z.unknown()),
});
export type Finding = z.infer<typeof FindingSchema>;

/** Make the stable identity of a finding. */
export function identityOf(type: FindingType, subject: string): string {
  return `${type}:${subject}`;
}

export const DecisionKindSchema = z.enum(['ignore', 'suppress', 'act', 'escalate']);
export type DecisionKind = z.infer<typeof DecisionKindSchema>;

export const TransitionSchema = z.enum(['opened', 'ongoing', 'worse', 'renotify', 'flapping', 'resolved']);
export type Transition = z.infer<typeof TransitionSchema>;

export const DecisionSchema = z.object({
  identity: z.string(),
  incidentId: z.string(),
  kind: DecisionKindSchema,
  transition: TransitionSchema,
  /** Whether a person should be told now (false when suppressed, silenced or flapping-notified already). */
  notify: z.boolean(),
  reason: z.string(),
  silencedBy: z.string().nullable(),
  finding: FindingSchema,
  /** When the incident opened (reminders say how long it has lasted). */
  openedAt: z.string().optional(),
  /** What the last message about this incident said, and when (reminders say what changed since). */
  previous: z.object({ at: z.string(), description: z.string() }).nullable().optional(),
});
export type Decision = z.infer<typeof DecisionSchema>;
