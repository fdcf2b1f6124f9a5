// What a replay produced, read back from the registry and the simulated tracker: actions, alerts, incidents, beads, timing.
import type { ScriptedModel } from '../host/simulated/model.js';
import type { SimTracker } from '../host/simulated/tracker.js';
import type { ProblemRecord } from '../model/record.js';
import type { AlertMessage } from '../notify/notifier.js';
import { summarizeModel, type ModelNote } from './model-outcome.js';
import type { Scenario } from './scenario.js';

export interface CycleNote {
  minute: number;
  ok: boolean;
  error: string | null;
  memPct: number | null;
  findings: string[];
  warnings: string[];
}

export interface ActionNote {
  minute: number;
  action: string;
  target: string;
  result: string;
  reason: string;
  source: string;
  identity: string | null;
  details: Record<string, unknown>;
}

export interface IncidentNote {
  identity: string;
  openedAtMin: number[];
  resolvedAtMin: number[];
  flapping: boolean;
  /** Minutes from the scenario's first event (or t = 0) to the first opening. */
  detectMin: number | null;
  detectCycles: number | null;
  /** Minutes from the first opening to the last resolution. */
  recoverMin: number | null;
  recoverCycles: number | null;
}

export interface ScenarioResult {
  name: string;
  description: string;
  pass: boolean;
  reasons: string[];
  cycles: number;
  failedCycles: number;
  durationMin: number;
  wallMs: number;
  actions: ActionNote[];
  alerts: Array<{ minute: number; severity: string; text: string; identity: string | null }>;
  beads: { opened: number; closed: number; commented: number; titles: string[] };
  incidents: IncidentNote[];
  model: ModelNote;
  killed: Array<{ pid: number; comm: string; signal: string; minute: number }>;
  errors: string[];
  /** Distinct cycle warnings, each with the minute it first appeared (at most 20). */
  warnings: string[];
  /** Messages the simulated Telegram chat accepted, in order (world.telegram). */
  telegram?: Array<{ minute: number; text: string }>;
  /** The files the expectations name, and whether each still exists at the end. */
  files?: Array<{ path: string; exists: boolean }>;
  /** Set when the run kept its temp directory. */
  dir?: string;
}

export interface RawOutcome {
  records: ProblemRecord[];
  cycles: CycleNote[];
  tracker: SimTracker;
  startMs: number;
  wallMs: number;
  killed: Array<{ pid: number; comm: string; signal: string; atMs: number }>;
  /** The alerts as handed to the notifier (whole texts). */
  sink: AlertMessage[];
  /** The scripted model, when the scenario has one. */
  model?: ScriptedModel | null;
}

export function summarize(s: Scenario, raw: RawOutcome): ScenarioResult {
  const minute = (ts: string | number) =>
    Math.round(((typeof ts === 'number' ? ts : Date.parse(ts)) - raw.startMs) / 60_000);
  const actions: ActionNote[] = raw.records
    .filter((r) => r.kind === 'action')
    .map((r) => {
      const taken = r.action_taken ?? '?';
      const colon = taken.indexOf(':');
      return {
        minute: minute(r.ts),
        action: colon < 0 ? taken : taken.slice(0, colon),
        target: colon < 0 ? '' : taken.slice(colon + 1),
        result: r.action_result ?? '?',
        reason: typeof r.details.reason === 'string' ? r.details.reason : r.description,
        source: r.source,
        identity: r.identity,
        details: r.details,
      };
    });
  // Counted from the registry's alert records (what Argus did); texts whole from the notifier, matched by alert id.
  const texts = new Map(raw.sink.map((a) => [a.id, a.text]));
  const alerts = actions
    .filter((a) => a.action === 'alert' && a.result === 'success')
    .map((a) => {
      const input = (a.details.input ?? {}) as { message?: unknown; severity?: unknown };
      const text = texts.get(String(a.details.alertId)) ?? String(input.message ?? '');
      return { minute: a.minute, severity: String(input.severity ?? 'warning'), text, identity: a.identity };
    });

  const onset = s.events.length > 0 ? Math.min(...s.events.map((e) => e.t)) : 0;
  const byIdentity = new Map<string, IncidentNote>();
  const note = (identity: string) => {
    let n = byIdentity.get(identity);
    if (!n)
      byIdentity.set(
        identity,
        (n = {
          identity,
          openedAtMin: [],
          resolvedAtMin: [],
          flapping: false,
          detectMin: null,
          detectCycles: null,
          recoverMin: null,
          recoverCycles: null,
        }),
      );
    return n;
  };
  for (const r of raw.records) {
    if (r.kind !== 'transition' || !r.identity) continue;
    const t = r.details.transition;
    if (t === 'opened') note(r.identity).openedAtMin.push(minute(r.ts));
    else if (t === 'resolved') note(r.identity).resolvedAtMin.push(minute(r.ts));
    else if (t === 'flapping') note(r.identity).flapping = true;
  }
  const cyc = (m: number) => Math.round(m / s.intervalMin);
  for (const n of byIdentity.values()) {
    const first = n.openedAtMin[0];
    if (first !== undefined) {
      n.detectMin = Math.max(0, first - onset);
      n.detectCycles = cyc(n.detectMin);
    }
    const last = n.resolvedAtMin[n.resolvedAtMin.length - 1];
    if (first !== undefined && last !== undefined) {
      n.recoverMin = last - first;
      n.recoverCycles = cyc(n.recoverMin);
    }
  }

  const model = summarizeModel(raw.records, raw.model ?? null, minute);

  const beads = raw.tracker.beads;
  return {
    name: s.name,
    description: s.description,
    pass: false,
    reasons: [],
    cycles: raw.cycles.length,
    failedCycles: raw.cycles.filter((c) => !c.ok).length,
    durationMin: s.durationMin,
    wallMs: Math.round(raw.wallMs),
    actions,
    alerts,
    beads: {
      opened: beads.length,
      closed: beads.filter((b) => b.status === 'closed').length,
      commented: beads.reduce((n, b) => n + b.comments.length, 0),
      titles: beads.map((b) => b.title ?? b.id),
    },
    incidents: [...byIdentity.values()],
    model,
    killed: raw.killed.map((k) => ({ pid: k.pid, comm: k.comm, signal: k.signal, minute: minute(k.atMs) })),
    errors: raw.cycles.filter((c) => !c.ok).map((c) => `t=${c.minute}: ${c.error ?? 'failed'}`),
    warnings: distinctWarnings(raw.cycles),
  };
}

function distinctWarnings(cycles: readonly CycleNote[]): string[] {
  const first = new Map<string, number>();
  for (const c of cycles) for (const w of c.warnings) if (!first.has(w)) first.set(w, c.minute);
  return [...first].slice(0, 20).map(([w, m]) => `t=${m}: ${w}`);
}
