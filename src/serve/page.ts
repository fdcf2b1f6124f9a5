// The dashboard page: one HTML document with everything inlined — uPlot (from npm, MIT), the page's code, its
// data — so it works offline and as a single static file. Served with a CSP that allows exactly these scripts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dashboardClient } from './client.js';
import type { DashboardData } from './dashboard-data.js';

interface Assets {
  uplotJs: string;
  uplotCss: string;
  clientJs: string;
  /** The Content-Security-Policy for a page made of exactly these assets. */
  csp: string;
}

let cached: Assets | null = null;

/** uPlot's own dist files, read from the installed package once. */
function assets(): Assets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const uplotJs = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const clientJs = `(${dashboardClient.toString()})();`;
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  const csp = [
    "default-src 'none'",
    `script-src ${hash(uplotJs)} ${hash(clientJs)}`,
    `style-src ${hash(`${uplotCss}\n${STYLE}`)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (cached = { uplotJs, uplotCss, clientJs, csp });
}

export const pageCsp = (): string => assets().csp;

/** JSON inside a <script> element: nothing in it can close the element or open a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const STYLE = `
:root{color-scheme:light dark;--bg:#f8fafc;--fg:#0f172a;--muted:#64748b;--card:#fff;--line:#e2e8f0;--ok:#16a34a;--bad:#dc2626;--warn:#d97706}
@media (prefers-color-scheme:dark){:root{--bg:#0b1120;--fg:#e2e8f0;--muted:#94a3b8;--card:#111827;--line:#1f2937}}
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.75rem 1rem;border-bottom:1px solid var(--line);position:sticky;top:0;background:var(--bg);z-index:2}
h1{font-size:1.15rem;margin:0}h2{font-size:1rem;margin:1.25rem 0 .5rem}h3{font-size:.9rem;margin:.25rem 0;font-weight:600}
main{padding:0 1rem 2rem;max-width:1400px;margin:0 auto}
.badge{font-weight:700;padding:.15rem .5rem;border-radius:.3rem;color:#fff;background:var(--muted)}
.badge.ok{background:var(--ok)}.badge.stale{background:var(--bad)}.badge.failing{background:var(--warn)}
#fresh{color:var(--muted);flex:1 1 16rem}
#ranges button{font:inherit;padding:.3rem .7rem;border:1px solid var(--line);background:var(--card);color:var(--fg);border-radius:.3rem;cursor:pointer}
#ranges button[aria-pressed=true]{border-color:#2563eb;color:#2563eb;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.5rem;margin-top:.75rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.5rem .7rem;min-width:0}
.card.bad{border-color:var(--bad)}.card .label{color:var(--muted);font-size:.8rem}.card .value{font-size:1.4rem;font-weight:600}
.card .detail{color:var(--muted);font-size:.8rem;overflow-wrap:anywhere}.card.list ul{list-style:none;margin:.2rem 0 0;padding:0}
.card.list li{overflow-wrap:anywhere}.dot{display:inline-block;width:.55rem;height:.55rem;border-radius:50%;margin-right:.35rem;background:var(--ok)}
li.down .dot{background:var(--bad)}.muted{color:var(--muted)}
#charts{display:grid;grid-template-columns:1fr;gap:.75rem}.chart{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.4rem;overflow:hidden}
@media (min-width:1100px){#charts{grid-template-columns:1fr 1fr}}
.incident{border-left:4px solid var(--muted);background:var(--card);padding:.35rem .6rem;margin:.35rem 0;border-radius:.25rem;overflow-wrap:anywhere}
.incident.critical{border-color:var(--bad)}.incident.warning{border-color:var(--warn)}.incident.open{box-shadow:0 0 0 1px var(--bad) inset}
.sev{font-size:.75rem;text-transform:uppercase;font-weight:700;margin-right:.4rem}.sev.critical{color:var(--bad)}.sev.warning{color:var(--warn)}
.identity{font-weight:600}.acts{color:var(--muted);font-size:.85rem}footer{color:var(--muted);font-size:.8rem;margin-top:1.5rem}
.fleet-error{color:var(--bad);font-weight:600;overflow-wrap:anywhere}.fleet-group ul{margin:.2rem 0;padding-left:1.1rem}.card a{color:inherit}
.uplot{font-family:inherit}.u-legend{font-size:.8rem}`;

/** The whole page. `mode: 'static'` holds 30 days, shows `range` first and never calls a server. */
export function renderPage(data: DashboardData, mode: 'served' | 'static', range: string = data.range): string {
  const a = assets();
  return `<!doctype html>
<html lang="en" data-mode="${mode}" data-range="${range}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Argus</title>
<style>${a.uplotCss}
${STYLE}</style>
</head>
<body>
<header><h1 id="host">Argus</h1><span id="badge" class="badge">…</span><span id="fresh"></span>
<nav id="ranges"><button type="button" data-range="24h">24 h</button> <button type="button" data-range="7d">7 d</button> <button type="button" data-range="30d">30 d</button></nav></header>
<main>
<section id="now" class="cards" aria-label="Health now"></section>
<section id="approvals" aria-label="Waiting for a person" hidden></section>
<section id="fleet" aria-label="Fleet" hidden></section>
<h2>Trends</h2>
<section id="charts"></section>
<h2>Incidents</h2>
<section id="timeline"></section>
<h2>Recurring problems</h2>
<ol id="recurring"></ol>
${mode === 'served' ? '<p><a href="docs/">Runbooks and post-mortems</a></p>' : ''}
<footer id="generated"></footer>
</main>
<script type="application/json" id="argus-data">${scriptJson(data)}</script>
<script>${a.uplotJs}</script>
<script>${a.clientJs}</script>
</body>
</html>
`;
}
