// Renders replay results for a person: one block per scenario (pass/fail with reasons, timing, actions, alerts, beads).
import type { ScenarioResult } from './outcome.js';

function counts(items: string[]): string {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return [...m].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ') || 'none';
}

function byAgent(r: ScenarioResult): string {
  const parts = Object.entries(r.model.byAgent).map(([a, v]) => `${a} ${v.calls}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

export function renderResult(r: ScenarioResult): string {
  const lines = [`${r.pass ? 'PASS' : 'FAIL'}  ${r.name} — ${r.description}`];
  lines.push(
    `      ${r.cycles} cycles over ${r.durationMin} min (${r.wallMs} ms)${r.failedCycles ? `, ${r.failedCycles} FAILED` : ''}`,
  );
  for (const i of r.incidents) {
    const detect = i.detectMin === null ? 'not opened' : `detected after ${i.detectMin} min (${i.detectCycles} cycles)`;
    const recover =
      i.recoverMin === null
        ? i.openedAtMin.length
          ? ', still open'
          : ''
        : `, recovered in ${i.recoverMin} min (${i.recoverCycles} cycles)`;
    lines.push(
      `      incident ${i.identity}: ${detect}${recover}${i.flapping ? ', flapping' : ''}${i.openedAtMin.length > 1 ? `, opened ${i.openedAtMin.length}×` : ''}`,
    );
  }
  const acts = r.actions.filter((a) => a.action !== 'alert');
  lines.push(`      actions: ${counts(acts.map((a) => `${a.action} ${a.target} → ${a.result}`))}`);
  lines.push(
    `      alerts: ${r.alerts.length}; beads: ${r.beads.opened} opened, ${r.beads.closed} closed, ${r.beads.commented} comments; model ${r.model.mode}: ${r.model.calls} calls, ${r.model.inputTokens + r.model.outputTokens} tokens${byAgent(r)}`,
  );
  for (const p of r.model.proposals) {
    const outcome =
      p.refused === null
        ? 'not answered'
        : `${p.refused ? 'refused' : 'ran'}: ${
            (p.result ?? '')
              .split('\n')
              .find((l) => l && !l.startsWith('ref:'))
              ?.slice(0, 120) ?? ''
          }`;
    lines.push(
      `      model (${p.agent}) t=${p.minute} proposed ${p.name} ${JSON.stringify(p.input).slice(0, 120)} → ${outcome}`,
    );
  }
  for (const reason of r.reasons) lines.push(`      ✗ ${reason}`);
  return `${lines.join('\n')}\n`;
}

export function renderSummary(results: ScenarioResult[]): string {
  const failed = results.filter((r) => !r.pass);
  return `${results.length - failed.length}/${results.length} scenarios passed${failed.length ? `; failed: ${failed.map((r) => r.name).join(', ')}` : ''}\n`;
}
