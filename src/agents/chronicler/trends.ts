// Trends over history.jsonl by streaming least squares: disk time to full, host memory creep, leak suspects, swap growth.
import type { HistoryPoint } from '../../model/history.js';
import type { AggregateOptions, Pattern } from './schemas.js';
import { BoundedMap, EvidenceBuffer, cmp, round } from './util.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** Welford-style online linear regression: numerically stable, O(1) memory. */
export class OnlineRegression {
  n = 0;
  private mx = 0;
  private my = 0;
  private cxy = 0;
  private sxx = 0;
  private syy = 0;
  firstX = Number.NaN;
  lastX = Number.NaN;
  lastY = Number.NaN;

  add(x: number, y: number): void {
    this.n++;
    if (this.n === 1) this.firstX = x;
    this.lastX = x;
    this.lastY = y;
    const dx = x - this.mx;
    this.mx += dx / this.n;
    const dy = y - this.my;
    this.my += dy / this.n;
    this.cxy += dx * (y - this.my);
    this.sxx += dx * (x - this.mx);
    this.syy += dy * (y - this.my);
  }

  get slope(): number {
    return this.sxx > 0 ? this.cxy / this.sxx : 0;
  }

  /** Fitted value at x. */
  at(x: number): number {
    return this.my + this.slope * (x - this.mx);
  }

  get r2(): number {
    return this.sxx > 0 && this.syy > 0 ? (this.cxy * this.cxy) / (this.sxx * this.syy) : 0;
  }

  get span(): number {
    return this.n > 0 ? this.lastX - this.firstX : 0;
  }
}

interface Series {
  fit: OnlineRegression;
  total: number | null;
  /** Values are percent (a disk known only by its used %), not bytes. */
  pct: boolean;
  evidence: EvidenceBuffer;
}

export class TrendAccumulator {
  private readonly series: BoundedMap<string, Series>;
  points = 0;
  constructor(
    private readonly options: AggregateOptions,
    private readonly originMs: number,
  ) {
    this.series = new BoundedMap(options.maxKeys);
  }

  get dropped(): number {
    return this.series.dropped;
  }

  add(p: HistoryPoint, ms: number): void {
    this.points++;
    const x = (ms - this.originMs) / 3_600_000;
    for (const [mount, used] of Object.entries(p.disk_used ?? {})) {
      this.push(
        `disk:${mount}`,
        x,
        used,
        p.ts,
        `${mount} used ${round(used / GIB, 2)} GiB`,
        p.disk_total?.[mount] ?? null,
      );
    }
    if (!p.disk_used) {
      for (const [mount, pct] of Object.entries(p.disks))
        this.push(`disk:${mount}`, x, pct, p.ts, `${mount} at ${pct} %`, 100, true);
    }
    if (p.mem_pct !== null) this.push('memory:host', x, p.mem_pct, p.ts, `memory at ${p.mem_pct} %`, 100);
    if (p.swap_pct !== null) this.push('swap:host', x, p.swap_pct, p.ts, `swap at ${p.swap_pct} %`, 100);
    for (const [key, rss] of Object.entries(p.top_rss ?? {})) {
      this.push(`rss:${key}`, x, rss, p.ts, `${key} RSS ${round(rss / MIB, 1)} MiB`, null);
    }
  }

  private push(key: string, x: number, y: number, ts: string, text: string, total: number | null, pct = false): void {
    const s = this.series.upsert(key, () => ({
      fit: new OnlineRegression(),
      total: null,
      pct,
      evidence: new EvidenceBuffer(),
    }));
    if (!s) return;
    s.fit.add(x, y);
    if (total !== null) s.total = total;
    s.evidence.add({ ts, description: text, value: y });
  }

  patterns(): Pattern[] {
    const o = this.options;
    const out: Pattern[] = [];
    const iso = (x: number) => new Date(this.originMs + x * 3_600_000).toISOString().slice(0, 16) + 'Z';
    for (const [key, s] of [...this.series.map.entries()].sort((a, b) => cmp(a[0], b[0]))) {
      const f = s.fit;
      if (f.n < o.minSamples || f.span < o.minSpanHours || f.r2 < o.minR2 || f.slope <= 0) continue;
      const r2 = round(f.r2, 3);
      const subject = key.slice(key.indexOf(':') + 1);
      if (key.startsWith('disk:') && s.total !== null) {
        const now = f.at(f.lastX);
        const hours = (s.total - now) / f.slope;
        if (hours > o.diskHorizonHours) continue;
        const perDay = s.pct ? `${round(f.slope * 24, 2)} points` : `${round((f.slope * 24) / GIB, 2)} GiB`;
        out.push({
          id: `disk_full:${subject}`,
          kind: 'disk_full',
          identity: `disk:${subject}`,
          title: `${subject} fills at ${perDay} a day: full in about ${round(Math.max(hours, 0), 1)} h (${iso(f.lastX + Math.max(hours, 0))})`,
          evidence: s.evidence.toList(),
          metrics: {
            hours_to_full: round(Math.max(hours, 0), 1),
            predicted_full: iso(f.lastX + Math.max(hours, 0)),
            growth_per_hour: round(f.slope, 2),
            r2,
          },
          recommendation: `Find what grows on ${subject} (du -x, journal size, logs, caches), clean or rotate it, or grow the filesystem before the predicted time.`,
        });
      } else if (key === 'memory:host' || key === 'swap:host') {
        if (f.slope < o.creepPctPerHour) continue;
        const kind = key === 'memory:host' ? 'memory_creep' : 'swap_growth';
        const what = key === 'memory:host' ? 'Host memory' : 'Swap use';
        out.push({
          id: `${kind}:host`,
          kind,
          identity: key === 'memory:host' ? 'memory:host' : 'swap:host',
          title: `${what} grows ${round(f.slope, 2)} points an hour (now ${round(f.lastY, 1)} %)`,
          evidence: s.evidence.toList(),
          metrics: { pct_per_hour: round(f.slope, 2), last_pct: round(f.lastY, 1), r2 },
          recommendation: `Find which processes grow (ps by RSS over time, the leak suspects); restart or cap the culprit (systemd MemoryMax=) and report the leak upstream.`,
        });
      } else if (key.startsWith('rss:')) {
        const mbh = f.slope / MIB;
        if (mbh < o.leakMBPerHour) continue;
        out.push({
          id: `leak_suspect:${subject}`,
          kind: 'leak_suspect',
          identity: `process:${subject}`,
          title: `${subject} RSS grows ${round(mbh, 1)} MiB an hour (now ${round(f.lastY / MIB, 1)} MiB): leak suspect`,
          evidence: s.evidence.toList(),
          metrics: { mib_per_hour: round(mbh, 1), last_mib: round(f.lastY / MIB, 1), r2 },
          recommendation: `Watch ${subject}: take a heap profile or restart it in a quiet hour, cap it (MemoryMax=), and file a bead for its owner.`,
        });
      }
    }
    return out;
  }
}
