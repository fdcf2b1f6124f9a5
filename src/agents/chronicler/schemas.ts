// The chronicler's output schemas: patterns with evidence, per-problem and per-incident summaries, outcomes.
import { z } from 'zod';

export const EvidenceSchema = z.object({
  ts: z.string(),
  description: z.string(),
  identity: z.string().nullable().optional(),
  value: z.number().optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/** At most EVIDENCE_MAX items are kept; `count` is how many there were in all. */
export const EvidenceListSchema = z.object({ items: z.array(EvidenceSchema), count: z.number().int() });
export type EvidenceList = z.infer<typeof EvidenceListSchema>;

export const PatternKindSchema = z.enum([
  'recurring',
  'time_of_day',
  'weekday',
  'disk_full',
  'memory_creep',
  'leak_suspect',
  'swap_growth',
  'action_failures',
  'cluster',
]);
export type PatternKind = z.infer<typeof PatternKindSchema>;

export const PatternSchema = z.object({
  id: z.string(),
  kind: PatternKindSchema,
  identity: z.string().optional(),
  title: z.string(),
  evidence: EvidenceListSchema,
  /** The numbers behind the title (rounded as shown), for tests, stats and the facts check. */
  metrics: z.record(z.string(), z.union([z.number(), z.string()])),
  recommendation: z.string(),
});
export type Pattern = z.infer<typeof PatternSchema>;

export const ResultCountsSchema = z.record(z.string(), z.number().int());
export type ResultCounts = z.infer<typeof ResultCountsSchema>;

export const OutcomeSchema = z.object({
  /** `action`, `source:action` (a playbook) or `source` */
  key: z.string(),
  by: z.enum(['action', 'playbook', 'source']),
  results: ResultCountsSchema,
  attempts: z.number().int(),
  /** success / (success + failure), percent rounded to 0.1; null when neither happened. */
  success_pct: z.number().nullable(),
});
export type Outcome = z.infer<typeof OutcomeSchema>;

export const TimingSchema = z.object({
  type: z.string(),
  detect_count: z.number().int(),
  mean_time_to_detect_s: z.number().nullable(),
  recover_count: z.number().int(),
  mean_time_to_recover_s: z.number().nullable(),
});
export type Timing = z.infer<typeof TimingSchema>;

export const HotspotSchema = z.object({
  group: z.enum(['service', 'mount', 'process', 'other']),
  identity: z.string(),
  incidents: z.number().int(),
  detections: z.number().int(),
});
export type Hotspot = z.infer<typeof HotspotSchema>;

export const DayRowSchema = z.object({
  day: z.string(),
  detections: z.number().int(),
  opened: z.number().int(),
  resolved: z.number().int(),
  actions: z.number().int(),
  failures: z.number().int(),
});
export type DayRow = z.infer<typeof DayRowSchema>;

/** The same observation seen several times, said once: first and last time, how many times. */
export const EvidenceRowSchema = z.object({
  description: z.string(),
  first: z.string(),
  last: z.string(),
  count: z.number().int(),
});
export type EvidenceRow = z.infer<typeof EvidenceRowSchema>;

/** What a root-cause analysis record (`kind: "rca"`) said: deterministic or model, with its causes and confidence. */
export const RcaNoteSchema = z.object({
  ts: z.string(),
  source: z.string(),
  verdict: z.string(),
  summary: z.string().nullable(),
  causes: z.array(z.object({ cause: z.string(), confidence: z.number().nullable(), evidence: z.array(z.string()) })),
});
export type RcaNote = z.infer<typeof RcaNoteSchema>;

/** How a closed incident ended, for "what has worked before". */
export const IncidentBriefSchema = z.object({
  incident_id: z.string(),
  opened: z.string(),
  resolved: z.string(),
  duration_s: z.number(),
  /** The last automatic fix that succeeded before it resolved (`restart_service`, `clean_disk`, `kill_pid`, `kill_tmux`), or null. */
  fixed_by: z.string().nullable(),
  /** Automatic attempts (successful or not, skipped ones excluded). */
  attempts: z.number().int(),
  gave_up: z.boolean(),
  bead_ids: z.array(z.string()),
  cause: z.string().nullable(),
});
export type IncidentBrief = z.infer<typeof IncidentBriefSchema>;

/** Facts known from the detections, used to print commands that run as printed (no placeholders). */
export const KnownFactsSchema = z.object({
  unit: z.string().optional(),
  /** The service rule's latest condition: failed, died, crash-loop, not-found. */
  condition: z.string().optional(),
  url: z.string().optional(),
  probe: z.string().optional(),
  /** A probe's own unit (`probes[].service`). */
  service: z.string().optional(),
  mount: z.string().optional(),
  /** The process named by the latest detection (memory hog, orphan). */
  process: z.string().optional(),
  pid: z.number().int().optional(),
  cmdline: z.string().optional(),
});
export type KnownFacts = z.infer<typeof KnownFactsSchema>;

/** One problem kind (identity) seen in the window: what a runbook is written from. */
export const ProblemSummarySchema = z.object({
  identity: z.string(),
  type: z.string(),
  subject: z.string(),
  severities: z.array(z.string()),
  first_seen: z.string(),
  last_seen: z.string(),
  last_description: z.string(),
  detail_keys: z.array(z.string()),
  detections: z.number().int(),
  opened: z.number().int(),
  /** `action:target` → result → count */
  actions: z.record(z.string(), ResultCountsSchema),
  days: z.array(DayRowSchema),
  evidence: EvidenceListSchema,
  /** The evidence with repeats folded: the latest EVIDENCE_MAX distinct descriptions. */
  evidence_rows: z.array(EvidenceRowSchema),
  known: KnownFactsSchema,
  /** Closed incidents of this identity (the latest INCIDENTS_MAX), oldest first. */
  closed: z.array(IncidentBriefSchema),
  /** How every closed incident of the window ended (not only the kept ones): `gave_up`, a fix's name, or `none`. */
  closed_outcomes: z.record(z.string(), z.number().int()),
  /** Incidents still open at the end of the window. */
  still_open: z.number().int(),
  /** The latest root-cause analyses of this identity (distinct summaries). */
  rca: z.array(RcaNoteSchema),
});
export type ProblemSummary = z.infer<typeof ProblemSummarySchema>;

export const TimelineEntrySchema = z.object({
  ts: z.string(),
  kind: z.string(),
  text: z.string(),
  /** The same event seen again in later cycles: how many times in all, and the last time. */
  repeats: z.number().int().optional(),
  until: z.string().optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

/** A closed incident worth a post-mortem (escalated, failed remediation, or long open). */
export const IncidentSummarySchema = z.object({
  incident_id: z.string(),
  identity: z.string(),
  type: z.string(),
  severity: z.string(),
  opened: z.string(),
  resolved: z.string(),
  duration_s: z.number(),
  /** duration_s in minutes, rounded to 0.1 (what the post-mortem shows) */
  duration_min: z.number(),
  reasons: z.array(z.enum(['escalated', 'failed_remediation', 'long_outage'])),
  cause: z.string().nullable(),
  /** The root-cause analysis records of the incident (deterministic and model), latest last. */
  rca: z.array(RcaNoteSchema),
  /** Time from the first detection to the opening, seconds (null when the detection was not in the window). */
  detect_s: z.number().nullable(),
  first_description: z.string(),
  detections: z.number().int(),
  timeline: z.array(TimelineEntrySchema),
  timeline_count: z.number().int(),
  actions: z.array(
    z.object({
      ts: z.string(),
      action: z.string(),
      result: z.string(),
      source: z.string(),
      bead_id: z.string().nullable(),
      detail: z.string().optional(),
    }),
  ),
  bead_ids: z.array(z.string()),
});
export type IncidentSummary = z.infer<typeof IncidentSummarySchema>;

export const AggregateOptionsSchema = z.object({
  /** Same identity opened or acted on at least this many times on one day. */
  recurringPerDay: z.number().int().min(1).default(3),
  /** Same hour of day on at least this many distinct days. */
  timeOfDayMinDays: z.number().int().min(2).default(3),
  /** Disk predicted full within this many hours is a pattern. */
  diskHorizonHours: z
    .number()
    .positive()
    .default(14 * 24),
  /** Host memory or swap growing at least this many percentage points per hour. */
  creepPctPerHour: z.number().positive().default(0.1),
  /** A process's RSS growing at least this many MB per hour (leak suspect). */
  leakMBPerHour: z.number().positive().default(5),
  /** Minimum fit quality (r²) for a trend to count. */
  minR2: z.number().min(0).max(1).default(0.8),
  /** Minimum samples and hours spanned for a trend. */
  minSamples: z.number().int().min(3).default(12),
  minSpanHours: z.number().positive().default(6),
  /** An action failing at least this share (percent) of at least `failureMinAttempts` attempts is a pattern. */
  failurePct: z.number().min(0).max(100).default(25),
  failureMinAttempts: z.number().int().min(1).default(3),
  /** At least this many distinct identities opened in one clock hour is a cluster. */
  clusterMinIdentities: z.number().int().min(2).default(3),
  /** Incidents open longer than this get a post-mortem. */
  longOutageMinutes: z.number().positive().default(30),
  /** Cap on distinct keys per map (identities, series, incidents): memory stays bounded on any registry. */
  maxKeys: z.number().int().min(10).default(5000),
});
export type AggregateOptions = z.infer<typeof AggregateOptionsSchema>;

export const AnalysisSchema = z.object({
  since: z.string(),
  until: z.string(),
  records: z.number().int(),
  history_points: z.number().int(),
  options: AggregateOptionsSchema,
  patterns: z.array(PatternSchema),
  outcomes: z.array(OutcomeSchema),
  timings: z.array(TimingSchema),
  hotspots: z.array(HotspotSchema),
  problems: z.array(ProblemSummarySchema),
  incidents: z.array(IncidentSummarySchema),
  /** Keys dropped because a map reached `maxKeys` (0 on a sane registry). */
  dropped_keys: z.number().int(),
});
export type Analysis = z.infer<typeof AnalysisSchema>;

export const EVIDENCE_MAX = 10;
export const INCIDENTS_MAX = 20;
export const RCA_MAX = 5;
