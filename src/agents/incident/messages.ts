// Alert texts: plain words built from findings, playbook notes and announcements (the channel escapes them).
import type { Decision } from '../../model/finding.js';
import { formatAge } from '../executor/playbooks.js';
import { oneLine } from '../../model/escape.js';

const ICON = { info: 'ℹ️', warning: '⚠️', critical: '🔴' } as const;

/** A reminder says how long it has lasted and what changed since the last message. */
function reminderLine(d: Decision, now: Date): string {
  const lasted = d.openedAt ? ` for ${formatAge((now.getTime() - Date.parse(d.openedAt)) / 1000)}` : '';
  const prev = d.previous;
  if (!prev) return `(still ongoing${lasted})`;
  const ago = formatAge((now.getTime() - Date.parse(prev.at)) / 1000);
  const change =
    prev.description === d.finding.description
      ? 'unchanged since the last message'
      : `${ago} ago it read: ${oneLine(prev.description)}`;
  return `(still ongoing${lasted}; ${change})`;
}

export function decisionAlert(
  decision: Decision,
  notes: readonly string[],
  now: Date = new Date(),
  announcements: readonly string[] = [],
): string {
  const f = decision.finding;
  const head =
    decision.transition === 'flapping'
      ? `${ICON[f.severity]} FLAPPING ${f.identity}: changing state often; notifications for it are held until it settles.`
      : `${ICON[f.severity]} ${f.severity.toUpperCase()} ${oneLine(f.description)}`;
  const tail =
    decision.transition === 'renotify'
      ? [reminderLine(decision, now)]
      : decision.transition === 'worse'
        ? ['(got worse)']
        : [];
  const grouped = Array.isArray(f.details.grouped)
    ? (f.details.grouped as Array<{ identity: string; description: string }>)
    : [];
  // Descriptions and notes carry host text: a line break in a process name must not split the alert's lines.
  return [
    head,
    ...announcements.map((a) => `❗ ${oneLine(a)}`),
    ...grouped.map((g) => `• Same cause: ${oneLine(g.description)}`),
    ...notes.map((n) => `• ${oneLine(n)}`),
    ...tail,
  ].join('\n');
}

export function recoveryAlert(identity: string, description: string, durationSec: number): string {
  return `✅ RESOLVED ${identity} after ${formatAge(durationSec)} (was: ${oneLine(description)})`;
}
