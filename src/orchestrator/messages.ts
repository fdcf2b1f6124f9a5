// Alert texts: plain words built from findings and playbook notes (the channel escapes them).
import type { Decision } from '../model/finding.js';
import { formatAge } from '../agents/executor/playbooks.js';
import { oneLine } from '../model/escape.js';

const ICON = { info: 'ℹ️', warning: '⚠️', critical: '🔴' } as const;

export function decisionAlert(decision: Decision, notes: readonly string[]): string {
  const f = decision.finding;
  const head =
    decision.transition === 'flapping'
      ? `${ICON[f.severity]} FLAPPING ${f.identity}: changing state often; notifications for it are held until it settles.`
      : `${ICON[f.severity]} ${f.severity.toUpperCase()} ${oneLine(f.description)}`;
  const tail = decision.transition === 'renotify' ? ['(still ongoing)'] : decision.transition === 'worse' ? ['(got worse)'] : [];
  // Descriptions and notes carry host text: a line break in a process name must not split the alert's lines.
  return [head, ...notes.map((n) => `• ${oneLine(n)}`), ...tail].join('\n');
}

export function recoveryAlert(identity: string, description: string, durationSec: number): string {
  return `✅ RESOLVED ${identity} after ${formatAge(durationSec)} (was: ${oneLine(description)})`;
}

export function selfAlert(failures: number, lastError: string): string {
  return `🔴 CRITICAL Argus itself: ${failures} consecutive cycles failed. Last error: ${lastError}`;
}
