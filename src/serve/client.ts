/// <reference lib="dom" />
// The dashboard's browser code. It runs in the page, not in Node: `dashboardClient.toString()` is inlined into the
// HTML (page.ts), so the function must be self-contained — no imports, nothing from this module's scope.
// Host text is put on the page with textContent only, never as HTML.
import type UPlot from 'uplot';
import type { DashboardData } from './dashboard-data.js';

/** What the page exposes for tests and the benchmark (`window.__argus`). */
export interface ClientProbe {
  ready: boolean;
  readyMs: number;
  refreshes: number;
  /** Per chart: points drawn, and each incident span in canvas pixels (top/height: the plotting area). */
  charts: Array<{
    id: string;
    points: number;
    series: number;
    top: number;
    height: number;
    spans: Array<{ identity: string; x0: number; x1: number }>;
  }>;
}

export function dashboardClient(): void {
  const U = (window as unknown as { uPlot: typeof UPlot }).uPlot;
  const root = document.documentElement;
  const isStatic = root.dataset.mode === 'static';
  const holder = document.getElementById('argus-data');
  let full = JSON.parse(holder?.textContent ?? '{}') as DashboardData;
  let data = full;
  const probe: ClientProbe = { ready: false, readyMs: 0, refreshes: 0, charts: [] };
  (window as unknown as { __argus: ClientProbe }).__argus = probe;
  const RANGE_SEC: Record<string, number> = { '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400 };
  const params = new URLSearchParams(location.search);
  let range =
    params.get('range') && RANGE_SEC[params.get('range')!] ? params.get('range')! : (root.dataset.range ?? data.range);
  const refreshSec = Math.max(2, Number(params.get('refresh') ?? 60) || 60);

  const $ = (id: string): HTMLElement => document.getElementById(id)!;
  const el = (tag: string, cls?: string, text?: string): HTMLElement => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${Math.round(v)} %`);
  const bytes = (v: number | null | undefined): string => {
    if (v === null || v === undefined) return '—';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let n = v;
    let i = 0;
    while (Math.abs(n) >= 1000 && i < units.length - 1) {
      n /= 1000;
      i++;
    }
    return `${n >= 100 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
  };
  const age = (sec: number | null): string => {
    if (sec === null) return '—';
    if (sec < 120) return `${Math.round(sec)} s`;
    if (sec < 7200) return `${Math.round(sec / 60)} min`;
    if (sec < 172_800) return `${(sec / 3600).toFixed(1)} h`;
    return `${(sec / 86_400).toFixed(1)} d`;
  };
  const when = (iso: string): string =>
    new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const SEVERITY_FILL: Record<string, string> = {
    critical: 'rgba(220,38,38,0.22)',
    warning: 'rgba(234,179,8,0.25)',
    info: 'rgba(59,130,246,0.18)',
  };

  /** The data of another range: fetched from the server, or cut from the 30 days a static file holds. */
  function slice(d: DashboardData, r: string): DashboardData {
    const from = d.to - RANGE_SEC[r]!;
    const i = d.series.t.findIndex((t) => t >= from);
    const start = i < 0 ? d.series.t.length : i;
    const cut = <T>(a: T[]): T[] => a.slice(start);
    const disks: Record<string, Array<number | null>> = {};
    for (const [m, col] of Object.entries(d.series.disks)) disks[m] = cut(col);
    const s = d.series;
    const incidents = d.incidents.filter((x) => x.resolvedAt === null || Date.parse(x.resolvedAt) / 1000 >= from);
    return {
      ...d,
      range: r as DashboardData['range'],
      from,
      series: {
        t: cut(s.t),
        mem: cut(s.mem),
        swap: cut(s.swap),
        swapIn: cut(s.swapIn),
        swapOut: cut(s.swapOut),
        cpu: cut(s.cpu),
        load: cut(s.load),
        disks,
      },
      incidents,
    };
  }

  function renderHeader(): void {
    document.title = `Argus — ${data.host ?? 'no snapshot yet'}`;
    $('host').textContent = data.host ?? 'Argus';
    const badge = $('badge');
    const v = data.freshness.verdict;
    badge.textContent = v === 'ok' ? 'OK' : v === 'stale' ? 'STALE' : v === 'failing' ? 'FAILING' : 'NO CYCLE';
    badge.className = `badge ${v}`;
    $('fresh').textContent = data.freshness.line;
    for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('#ranges button')))
      b.setAttribute('aria-pressed', String(b.dataset.range === range));
  }

  function card(title: string, value: string, detail: string, bad = false): HTMLElement {
    const c = el('div', bad ? 'card bad' : 'card');
    c.append(el('div', 'label', title), el('div', 'value', value), el('div', 'detail', detail));
    return c;
  }

  function renderNow(): void {
    const box = $('now');
    box.replaceChildren();
    const n = data.now;
    if (!n) {
      box.append(el('p', 'muted', 'No snapshot yet: no cycle has run with this state dir.'));
      return;
    }
    const m = n.memory;
    box.append(
      card(
        'Memory',
        pct(m?.effectivePct),
        m ? `of ${bytes(m.totalBytes)}${m.cgroupPct !== null ? ` · cgroup ${pct(m.cgroupPct)}` : ''}` : 'not collected',
        (m?.effectivePct ?? 0) >= 90,
      ),
    );
    box.append(
      card(
        'Swap',
        pct(n.swap?.usedPct),
        n.swap
          ? `of ${bytes(n.swap.totalBytes)} · in ${bytes(n.swap.inBps)}/s · out ${bytes(n.swap.outBps)}/s`
          : 'not collected',
      ),
    );
    box.append(
      card(
        'CPU',
        pct(n.cpu?.utilPct),
        n.cpu ? `load ${n.cpu.load1} / ${n.cpu.load5} / ${n.cpu.load15} on ${n.cpu.cores} cores` : 'not collected',
        (n.cpu?.load1 ?? 0) / (n.cpu?.cores || 1) > 2,
      ),
    );
    for (const d of n.disks)
      box.append(
        card(
          `Disk ${d.mount}`,
          pct(d.usedPct),
          `${bytes(d.availBytes)} free · inodes ${pct(d.inodesPct)}`,
          d.usedPct >= 90,
        ),
      );
    const lists: Array<[string, Array<[string, boolean, string]>]> = [
      ['Services', n.services.map((s) => [s.unit, s.up, s.state])],
      ['Probes', n.probes.map((p) => [p.name, p.ok, `${p.status ?? '—'} · ${p.latencyMs} ms`])],
      ['tmux agents', n.tmux.map((t) => [t.name, true, t.attached ? 'attached' : 'detached'])],
    ];
    for (const [title, rows] of lists) {
      if (rows.length === 0) continue;
      const c = el('div', 'card list');
      c.append(el('div', 'label', title));
      const ul = el('ul');
      for (const [name, ok, detail] of rows) {
        const li = el('li', ok ? 'ok' : 'down');
        li.append(el('span', 'dot'), el('span', 'name', name), el('span', 'muted', ` ${detail}`));
        ul.append(li);
      }
      c.append(ul);
      box.append(c);
    }
    if (n.gaps.length) box.append(card('Gaps', String(n.gaps.length), `not collected: ${n.gaps.join(', ')}`, true));
    box.append(
      card(
        'Argus',
        data.freshness.verdict.toUpperCase(),
        `last cycle ${age(data.freshness.ageSec)} ago · every ${age(data.intervalSec)}`,
        data.freshness.verdict !== 'ok',
      ),
    );
  }

  /** The Solicitor's requests waiting for an answer. Answered in Telegram only: nothing on this page acts. */
  function renderApprovals(): void {
    const box = $('approvals');
    box.replaceChildren();
    const list = data.approvals ?? [];
    box.hidden = list.length === 0;
    if (list.length === 0) return;
    box.append(el('h2', '', `Waiting for a person (${list.length})`));
    box.append(
      el('p', 'muted', 'Approve or reject in Telegram; a request nobody answers expires and nothing is done.'),
    );
    for (const a of list) {
      const row = el('div', 'incident warning open approval');
      const head = el('div', 'head');
      head.append(el('span', 'sev warning', a.kind.replace(/_/g, ' ')), el('span', 'identity', a.identity ?? ''));
      head.append(
        el('span', 'muted', ` asked ${when(a.createdAt)} by ${a.requestedBy} · expires ${when(a.expiresAt)}`),
      );
      row.append(head, el('div', 'acts', a.summary));
      box.append(row);
    }
  }

  /** The fleet receiver's view: hosts heard of (with links to their dashboards), fleet incidents. Absent without one. */
  function renderFleet(): void {
    const box = $('fleet');
    box.replaceChildren();
    const f = data.fleet;
    box.hidden = !f;
    if (!f) return;
    const nowMs = Date.parse(data.generatedAt);
    const ago = (iso: string | null): string =>
      iso === null ? 'not heard from' : `heard ${age(Math.max(0, (nowMs - Date.parse(iso)) / 1000))} ago`;
    const firingHosts = f.hosts.filter((h) => h.firing.length > 0).length;
    box.append(el('h2', '', 'Fleet'));
    box.append(
      el(
        'p',
        'muted',
        `${f.hosts.length} host${f.hosts.length === 1 ? '' : 's'} heard of, ${firingHosts} with incidents firing · ${f.firingGroups} fleet incident${f.firingGroups === 1 ? '' : 's'} firing · silences are kept in Alertmanager`,
      ),
    );
    if (f.hostsFile?.error) {
      const err = el('p', 'fleet-error', f.hostsFile.error);
      err.id = 'fleet-error';
      box.append(err);
    }
    const hosts = el('div', 'cards');
    hosts.id = 'fleet-hosts';
    for (const h of f.hosts) {
      const c = el('div', `card fleet-host${h.worst === 'critical' ? ' bad' : ''}`);
      const name = el('div', 'label');
      if (h.url) {
        const a = document.createElement('a');
        a.href = h.url;
        a.rel = 'noopener noreferrer';
        a.textContent = h.name;
        name.append(a);
      } else name.textContent = h.name;
      c.append(name, el('div', `value sev ${h.worst ?? ''}`, h.firing.length ? `${h.firing.length} firing` : 'OK'));
      c.append(
        el(
          'div',
          'detail',
          `${h.worst ? `${h.worst} · ` : ''}${ago(h.lastHeardAt)}${h.firing.length ? ` · ${h.firing.join(', ')}` : ''}`,
        ),
      );
      hosts.append(c);
    }
    box.append(hosts);
    const groups = el('div');
    groups.id = 'fleet-groups';
    box.append(el('h3', '', 'Fleet incidents'), groups);
    if (f.groups.length === 0) groups.append(el('p', 'muted', 'No fleet incidents remembered.'));
    for (const g of f.groups) {
      const worst = g.alerts.some((a) => a.firing && a.severity === 'critical') ? 'critical' : 'warning';
      const row = el('div', `incident fleet-group ${g.status === 'firing' ? `${worst} open` : ''}`);
      const head = el('div', 'head');
      head.append(el('span', `sev ${g.status === 'firing' ? worst : ''}`, g.status), el('span', 'identity', g.title));
      head.append(
        el(
          'span',
          'muted',
          ` since ${when(g.since)} · ${g.hosts.length} host${g.hosts.length === 1 ? '' : 's'}: ${g.hosts.join(', ')}`,
        ),
      );
      row.append(head);
      const lines = g.alerts.map(
        (a) =>
          `${a.host} · ${a.identity} · ${a.severity}${a.firing ? '' : ' (resolved)'}${a.summary ? ` — ${a.summary}` : ''}`,
      );
      if (g.alertsLeftOut) lines.push(`… and ${g.alertsLeftOut} more`);
      const ul = el('ul', 'acts');
      for (const l of lines) ul.append(el('li', '', l));
      row.append(ul, el('div', 'acts', g.beadId ? `bead ${g.beadId}` : 'no bead yet'));
      groups.append(row);
    }
  }

  interface ChartSpec {
    id: string;
    title: string;
    unit: 'pct' | 'bps' | 'num';
    series: Array<{ label: string; values: Array<number | null>; stroke: string }>;
  }
  const PALETTE = [
    '#2563eb',
    '#db2777',
    '#059669',
    '#d97706',
    '#7c3aed',
    '#0891b2',
    '#65a30d',
    '#dc2626',
    '#4b5563',
    '#9333ea',
    '#0d9488',
    '#ca8a04',
  ];
  function specs(): ChartSpec[] {
    const s = data.series;
    return [
      {
        id: 'chart-memory',
        title: 'Memory and swap',
        unit: 'pct',
        series: [
          { label: 'memory %', values: s.mem, stroke: PALETTE[0]! },
          { label: 'swap %', values: s.swap, stroke: PALETTE[1]! },
        ],
      },
      {
        id: 'chart-disks',
        title: 'Disks',
        unit: 'pct',
        series: Object.entries(s.disks).map(([m, v], i) => ({
          label: `${m} %`,
          values: v,
          stroke: PALETTE[(i + 2) % PALETTE.length]!,
        })),
      },
      {
        id: 'chart-cpu',
        title: 'CPU and load per core',
        unit: 'num',
        series: [
          { label: 'CPU %', values: s.cpu, stroke: PALETTE[3]! },
          {
            label: 'load/core ×100',
            values: s.load.map((v) => (v === null ? null : Math.round(v * 100))),
            stroke: PALETTE[4]!,
          },
        ],
      },
      {
        id: 'chart-swapio',
        title: 'Swap I/O',
        unit: 'bps',
        series: [
          { label: 'in B/s', values: s.swapIn, stroke: PALETTE[5]! },
          { label: 'out B/s', values: s.swapOut, stroke: PALETTE[6]! },
        ],
      },
    ];
  }

  const plots = new Map<string, UPlot>();
  function spansFor(u: UPlot): Array<{ identity: string; x0: number; x1: number; fill: string }> {
    const out: Array<{ identity: string; x0: number; x1: number; fill: string }> = [];
    const left = u.bbox.left;
    const right = u.bbox.left + u.bbox.width;
    for (const inc of data.incidents) {
      const a = Date.parse(inc.openedAt) / 1000;
      const b = inc.resolvedAt ? Date.parse(inc.resolvedAt) / 1000 : data.to;
      if (b < data.from || a > data.to) continue;
      let x0 = Math.max(left, u.valToPos(Math.max(a, data.from), 'x', true));
      let x1 = Math.min(right, u.valToPos(Math.min(b, data.to), 'x', true));
      if (x1 - x0 < 3) {
        x0 -= 1.5;
        x1 = x0 + 3;
      }
      out.push({ identity: inc.identity, x0, x1, fill: SEVERITY_FILL[inc.severity] ?? SEVERITY_FILL.info! });
    }
    return out;
  }

  function renderCharts(): void {
    const box = $('charts');
    probe.charts = [];
    for (const spec of specs()) {
      let holderEl = document.getElementById(spec.id);
      if (!holderEl) {
        holderEl = el('div', 'chart');
        holderEl.id = spec.id;
        holderEl.append(el('h3', '', spec.title));
        box.append(holderEl);
      }
      plots.get(spec.id)?.destroy();
      // The chart's own box (one or two columns by screen width), less its padding.
      const width = Math.max(240, (holderEl.clientWidth || 800) - 12);
      const fmt = spec.unit === 'bps' ? (v: number) => bytes(v) : (v: number) => String(Math.round(v));
      const opts: UPlot.Options = {
        width,
        height: width < 500 ? 160 : 200,
        scales: {
          x: { time: true, min: data.from, max: data.to },
          y: spec.unit === 'pct' ? { range: [0, 100] } : { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        },
        axes: [{}, { values: (_u, ticks) => ticks.map(fmt), size: spec.unit === 'bps' ? 70 : 45 }],
        series: [
          {},
          ...spec.series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            width: 1.5,
            spanGaps: false,
            points: { show: false },
          })),
        ],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        hooks: {
          // After each draw (uPlot lays out asynchronously): what the tests and the benchmark read.
          draw: [
            (u: UPlot) => {
              const entry = probe.charts.find((c) => c.id === spec.id);
              if (!entry) return;
              entry.top = u.bbox.top;
              entry.height = u.bbox.height;
              entry.spans = spansFor(u).map(({ identity, x0, x1 }) => ({ identity, x0, x1 }));
            },
          ],
          drawClear: [
            (u: UPlot) => {
              for (const sp of spansFor(u)) {
                u.ctx.fillStyle = sp.fill;
                u.ctx.fillRect(sp.x0, u.bbox.top, sp.x1 - sp.x0, u.bbox.height);
              }
            },
          ],
        },
      };
      const aligned = [data.series.t, ...spec.series.map((s) => s.values)] as UPlot.AlignedData;
      probe.charts.push({
        id: spec.id,
        points: data.series.t.length,
        series: spec.series.length,
        top: 0,
        height: 0,
        spans: [],
      });
      plots.set(spec.id, new U(opts, aligned, holderEl));
      holderEl.dataset.points = String(data.series.t.length);
    }
  }

  function renderTimeline(): void {
    const box = $('timeline');
    box.replaceChildren();
    if (data.incidents.length === 0) box.append(el('p', 'muted', 'No incidents in this range.'));
    for (const inc of data.incidents) {
      const row = el('div', `incident ${inc.severity}${inc.resolvedAt ? '' : ' open'}`);
      const head = el('div', 'head');
      head.append(el('span', `sev ${inc.severity}`, inc.severity), el('span', 'identity', inc.identity));
      head.append(
        el(
          'span',
          'muted',
          ` ${when(inc.openedAt)} → ${inc.resolvedAt ? `${when(inc.resolvedAt)} (${inc.mttrSec === null ? 'last seen; its end was not recorded' : `recovered in ${age(inc.mttrSec)}`})` : 'still open'}`,
        ),
      );
      row.append(head);
      const acts = inc.actions.map((a) => `${a.action} ${a.result}`).join(' · ');
      if (acts || inc.bead)
        row.append(el('div', 'acts', `${acts}${inc.bead ? `${acts ? ' · ' : ''}bead ${inc.bead}` : ''}`));
      box.append(row);
    }
    const rec = $('recurring');
    rec.replaceChildren();
    for (const r of data.recurring) rec.append(el('li', '', `${r.identity} — opened ${r.opened}×`));
    if (data.recurring.length === 0) rec.append(el('li', 'muted', 'Nothing recurring.'));
    $('generated').textContent =
      `Data as of ${when(data.generatedAt)}${isStatic ? ' (static copy)' : ` · refreshed every ${refreshSec} s`}`;
  }

  function render(): void {
    renderHeader();
    renderNow();
    renderApprovals();
    renderFleet();
    renderCharts();
    renderTimeline();
  }

  async function load(r: string): Promise<void> {
    if (isStatic) {
      data = slice(full, r);
      return;
    }
    const res = await fetch(`api/dashboard?range=${encodeURIComponent(r)}`, {
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    full = data = (await res.json()) as DashboardData;
  }

  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('#ranges button'))) {
    b.addEventListener('click', () => {
      range = b.dataset.range!;
      const url = new URL(location.href);
      url.searchParams.set('range', range);
      history.replaceState(null, '', url);
      load(range).then(render, (e: Error) => ($('generated').textContent = `Could not load: ${e.message}`));
    });
  }
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(renderCharts, 200);
  });
  if (isStatic) data = slice(full, range);
  render();
  // Ready once the browser has painted the first frame of the charts.
  requestAnimationFrame(() => {
    probe.readyMs = performance.now();
    probe.ready = true;
    root.dataset.ready = '1';
  });
  if (!isStatic) {
    window.setInterval(() => {
      load(range).then(
        () => {
          probe.refreshes++;
          render();
        },
        () => ($('generated').textContent = 'Refresh failed: is argus serve running?'),
      );
    }, refreshSec * 1000);
  }
}
