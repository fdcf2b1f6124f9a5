// The human report of one cycle: health by section, findings with their decisions, what was (or would be) done.
import type { CycleReport } from '../orchestrator/cycle.js';
import type { Snapshot } from '../model/snapshot.js';
import { terminalLines } from '../model/escape.js';

export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

function age(sec: number): string {
  if (sec < 120) return `${Math.round(sec)}s`;
  if (sec < 7200) return `${Math.round(sec / 60)}m`;
  if (sec < 172_800) return `${(sec / 3600).toFixed(1)}h`;
  return `${(sec / 86_400).toFixed(1)}d`;
}

const row = (label: string, text: string) => `  ${label.padEnd(10)} ${text}`;

/** Health of the machine, one line (or a few) per section; a gap says so instead of guessing. */
export function renderHealth(s: Snapshot): string[] {
  const gap = (name: string) => s.gaps.find((g) => g.collector === name)?.error;
  const lines: string[] = [];
  const m = s.memory;
  lines.push(
    row(
      'memory',
      m
        ? `${m.usedPct.toFixed(0)}% used (${bytes(m.totalBytes - m.availableBytes)} of ${bytes(m.totalBytes)})` +
            (m.cgroup
              ? `; cgroup v${m.cgroup.version} ${m.cgroup.usedPct.toFixed(0)}% of ${bytes(m.cgroup.limitBytes)} limit`
              : '')
        : `unknown (${gap('memory') ?? 'not collected'})`,
    ),
  );
  const sw = s.swap;
  lines.push(
    row(
      'swap',
      sw
        ? sw.totalBytes === 0
          ? 'none configured'
          : `${sw.usedPct.toFixed(0)}% used (${bytes(sw.usedBytes)} of ${bytes(sw.totalBytes)})` +
            (sw.inBytesPerSec === null
              ? '; rates from the next cycle'
              : `; in ${bytes(sw.inBytesPerSec ?? 0)}/s, out ${bytes(sw.outBytesPerSec ?? 0)}/s`)
        : `unknown (${gap('swap') ?? 'not collected'})`,
    ),
  );
  if (s.disks) {
    if (s.disks.length === 0) lines.push(row('disks', 'no filesystems found'));
    s.disks.forEach((d, i) =>
      lines.push(
        row(
          i === 0 ? 'disks' : '',
          `${d.mount} ${d.usedPct}% used, ${bytes(d.availBytes)} free, inodes ${d.inodesPct}% (${d.fstype} ${d.device})`,
        ),
      ),
    );
  } else lines.push(row('disks', `unknown (${gap('disks') ?? 'not collected'})`));
  const c = s.cpu;
  lines.push(
    row(
      'cpu/load',
      c
        ? `${c.utilPct === null ? 'busy % from the next cycle' : `${c.utilPct.toFixed(0)}% busy`}; load ${c.load1.toFixed(2)} ${c.load5.toFixed(2)} ${c.load15.toFixed(2)} on ${c.cores} cores (${c.load1PerCore.toFixed(2)}/core); up ${age(c.uptimeSec)}`
        : `unknown (${gap('cpu') ?? 'not collected'})`,
    ),
  );
  if (s.services === null) lines.push(row('services', `unknown (${gap('services') ?? 'not collected'})`));
  else if (s.services.length === 0)
    lines.push(row('services', 'none configured (services in argus.json or ARGUS_SERVICES)'));
  else
    s.services.forEach((u, i) =>
      lines.push(
        row(
          i === 0 ? 'services' : '',
          `${u.unit} ${u.activeState}/${u.subState} (result ${u.result}, restarts ${u.nRestarts})`,
        ),
      ),
    );
  const p = s.processes;
  if (p) {
    const top = p.topByRss
      .slice(0, 3)
      .map((x) => `${x.comm} (PID ${x.pid}) ${bytes(x.rssBytes)}`)
      .join(', ');
    lines.push(row('processes', `${p.total} running; top RSS: ${top || 'none'}`));
    lines.push(
      row(
        '',
        p.orphans.length
          ? `orphans: ${p.orphans.map((o) => `PID ${o.pid} ${o.comm} ${age(o.ageSec)}`).join(', ')}`
          : 'orphans: none',
      ),
    );
  } else lines.push(row('processes', `unknown (${gap('processes') ?? 'not collected'})`));
  if (s.tmux === null) lines.push(row('tmux', `unknown (${gap('tmux') ?? 'not collected'})`));
  else
    lines.push(
      row(
        'tmux',
        s.tmux.length
          ? `${s.tmux.length} sessions: ${s.tmux.map((t) => `${t.name}${t.socket === 'default' ? '' : `@${t.socket}`}${t.attached ? ' (attached)' : ''}`).join(', ')}`
          : 'no sessions',
      ),
    );
  if (s.probes === null) lines.push(row('probes', `unknown (${gap('probes') ?? 'not collected'})`));
  else if (s.probes.length === 0) lines.push(row('probes', 'none configured'));
  else
    s.probes.forEach((pr, i) =>
      lines.push(
        row(
          i === 0 ? 'probes' : '',
          `${pr.name} ${pr.ok ? 'ok' : 'FAILING'} (${pr.status ?? pr.error ?? '?'}, ${pr.latencyMs} ms) ${pr.url}`,
        ),
      ),
    );
  const a = s.athena;
  lines.push(
    row(
      'athena',
      a
        ? a.exists
          ? `memory dir last active ${a.ageSec === null ? 'never' : `${age(a.ageSec)} ago`}`
          : `memory dir ${a.dir} missing`
        : 'not configured (ARGUS_MEMORY_DIR)',
    ),
  );
  if (s.self.stateFreeBytes !== null)
    lines.push(row('argus', `state ${s.self.stateDir}, ${bytes(s.self.stateFreeBytes)} free`));
  for (const g of s.gaps) lines.push(row('gap', `${g.collector}: ${g.error}`));
  return terminalLines(lines);
}

/** What an action did, or would do: an alert says what it sends. */
function actionText(a: CycleReport['actions'][number]): string {
  if (!a.message) return a.reason;
  const verb = a.result === 'dry_run' ? 'would send' : a.result === 'success' ? 'queued' : a.reason;
  return `${verb} (${a.message.severity}): ${a.message.firstLine}`;
}

export function renderCycle(r: CycleReport): string {
  const out: string[] = [];
  out.push(
    `Argus cycle ${r.cycleId} on ${r.snapshot.host}${r.dryRun ? ' (dry run: nothing changed)' : ''} — collected in ${r.snapshot.collectMs} ms, cycle ${r.durationMs} ms`,
  );
  out.push('', 'Health', ...renderHealth(r.snapshot));
  out.push('', r.findings.length ? `Findings (${r.findings.length})` : 'Findings: none — all healthy');
  for (const d of r.decisions) {
    const f = d.finding;
    const tags = [
      d.kind,
      d.transition,
      d.silencedBy ? `silenced by ${d.silencedBy}` : d.notify ? 'notify' : 'no notification',
    ].join(', ');
    out.push(`  ${f.severity.toUpperCase().padEnd(8)} ${f.identity} — ${f.description} [${tags}]`);
  }
  for (const x of r.resolved) out.push(`  RESOLVED ${x.identity} after ${age(x.durationSec)}`);
  if (r.actions.length) {
    out.push('', r.dryRun ? 'What would be done' : 'Actions');
    for (const a of r.actions) out.push(`  ${a.action.padEnd(15)} ${a.result.padEnd(8)} ${actionText(a)}`);
  } else out.push('', 'Actions: none needed');
  const alerts = r.actions.filter(
    (a) => a.action === 'alert' && (a.result === 'success' || a.result === 'dry_run'),
  ).length;
  if (r.dryRun) out.push('', alerts ? `Alerts: none sent (dry run); ${alerts} would be sent` : 'Alerts: none to send');
  else if (r.delivery) out.push('', `Alerts: ${r.delivery.status} — ${r.delivery.detail}`);
  if (r.minimal) out.push('', 'Minimal cycle: the state filesystem is nearly full.');
  for (const w of r.warnings) out.push(`  warning: ${w}`);
  // Host text (process and session names, descriptions) never reaches the terminal raw: one line each, controls shown.
  return terminalLines(out).join('\n') + '\n';
}
