// Plain words for what the registry stores in code: actions and results as a person reads them, RCA records as notes.
import type { ProblemRecord } from '../../model/record.js';
import type { RcaNote } from './schemas.js';
import { parseAction } from './util.js';

/** `restart_service:api.service` → "restart api.service"; `alert:alert:critical` → "critical alert". */
export function actionWords(actionTaken: string): string {
  const { action, target } = parseAction(actionTaken);
  switch (action) {
    case 'restart_service':
      return `restart ${target}`;
    case 'alert':
      return `${target.replace(/^alert:/, '') || 'an'} alert`.replace(/^an alert$/, 'alert');
    case 'create_bead':
      return 'file a bead';
    case 'clean_disk':
      return 'clean the disk safelist';
    case 'kill_pid':
      return `kill PID ${target}`;
    case 'kill_tmux':
      return `end tmux session ${target}`;
    case 'log':
      return 'note an observation';
    default:
      return target ? `${action} ${target}` : action;
  }
}

const RESULT_WORDS: Record<string, string> = {
  success: 'done',
  failure: 'failed',
  skipped: 'skipped',
  refused: 'refused',
  dry_run: 'dry run only',
};

export function resultWords(result: string): string {
  return RESULT_WORDS[result] ?? result;
}

/** The actions that change something on the host to fix a problem (alerts, beads and notes do not). */
export const FIXES = new Set(['restart_service', 'clean_disk', 'kill_pid', 'kill_tmux']);

/** The reason part of an action record's description (`restart_service api.service: success — <reason>`). */
export function actionDetail(description: string): string | undefined {
  const i = description.indexOf(' — ');
  return i < 0 ? undefined : description.slice(i + 3);
}

/** An `rca` record (src/orchestrator/think.ts) as a note; null when the record is not one. */
export function rcaNote(r: ProblemRecord): RcaNote | null {
  if (r.kind !== 'rca') return null;
  const d = r.details;
  const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
  const causes = Array.isArray(d.causes)
    ? d.causes.flatMap((c: unknown) => {
        const o = c as { cause?: unknown; confidence?: unknown; evidence?: unknown } | null;
        const cause = str(o?.cause);
        if (!cause) return [];
        const evidence = Array.isArray(o?.evidence)
          ? o.evidence.filter((e): e is string => typeof e === 'string').slice(0, 5)
          : [];
        return [{ cause, confidence: typeof o?.confidence === 'number' ? o.confidence : null, evidence }];
      })
    : [];
  return {
    ts: r.ts,
    source: str(d.source) ?? (r.source === 'llm' ? 'llm' : 'deterministic'),
    verdict: str(d.verdict) ?? 'unknown',
    summary: str(d.summary) ?? str(d.cause),
    causes: causes.slice(0, 5),
  };
}

/** "model" or "deterministic diagnosis", as a reader would say it. */
export function rcaSourceWords(source: string): string {
  return source === 'llm' ? 'model RCA' : 'deterministic diagnosis';
}

/** 75 → "1 min 15 s"; 2100 → "35 min"; 7200 → "2 h". */
export function durationWords(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** `2026-03-02T00:10:00.000Z` → `2026-03-02 00:10` (UTC, as the docs print times). */
export function minuteOf(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
