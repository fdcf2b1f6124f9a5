// One line of problems.jsonl: the seed schema (ARG-001) plus identity, incident, source and details.
import { z } from 'zod';
import { FindingTypeSchema, SeveritySchema, SourceSchema } from './finding.js';

export const RecordKindSchema = z.enum(['detection', 'decision', 'transition', 'action', 'rca', 'llm', 'self']);
export type RecordKind = z.infer<typeof RecordKindSchema>;

/** Every `type` a record can have: the finding types, `action` (an action without an identity), `summary` (the daily digest). */
export const RECORD_TYPES: readonly string[] = [...FindingTypeSchema.options, 'action', 'summary'];

export const ActionResultValueSchema = z.enum([
  'success',
  'failure',
  'refused',
  'skipped',
  'dry_run',
  'suppressed',
  'silenced',
  'pending',
]);
export type ActionResultValue = z.infer<typeof ActionResultValueSchema>;

export const ProblemRecordSchema = z.object({
  // --- the seed schema (ARG-001) ---
  ts: z.string(),
  severity: SeveritySchema,
  /** disk | memory | swap | cpu | service | process | probe | tmux | athena | self | action */
  type: z.string(),
  description: z.string(),
  /** `action:target`, e.g. `restart_service:nginx.service`; null when nothing was done. */
  action_taken: z.string().nullable(),
  action_result: ActionResultValueSchema.nullable(),
  bead_id: z.string().nullable(),
  host: z.string(),
  // --- Argus additions ---
  kind: RecordKindSchema,
  identity: z.string().nullable(),
  incident_id: z.string().nullable(),
  source: SourceSchema,
  cycle_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type ProblemRecord = z.infer<typeof ProblemRecordSchema>;
