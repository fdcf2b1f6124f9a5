// The deterministic diagnosis: always produced, no model. The LLM starts from it; without one it is the answer.
import { z } from 'zod';
import type { Finding } from '../../model/finding.js';
import { memoryShare } from '../../model/memory-share.js';
import type { ProcessInfo, Snapshot } from '../../model/snapshot.js';
import { PastIncidentSchema, pastLine, type PastSearch } from './past.js';

const ProcessSummarySchema = z.object({
  pid: z.number(),
  comm: z.string(),
  cmdline: z.string(),
  rssBytes: z.number(),
  memPct: z.number(),
  swapBytes: z.number(),
  cpuPct: z.number().nullable(),
  /** Its own cgroup's memory limit and use, when that binds tighter than the host. */
  cgroupMemory: z.object({ limitBytes: z.number(), usageBytes: z.number(), usedPct: z.number() }).nullable().optional(),
});
export type ProcessSummary = z.infer<typeof ProcessSummarySchema>;

export const DirUsageSchema = z.object({ path: z.string(), bytes: z.number() });
export type DirUsage = z.infer<typeof DirUsageSchema>;

export const CulpritSchema = z.object({
  kind: z.enum(['process', 'directory', 'service']),
  /** One sentence a person can act on. */
  description: z.string(),
  pid: z.number().optional(),
  path: z.string().optional(),
  unit: z.string().optional(),
  /** Which part of the diagnosis shows it, e.g. "diagnosis:topMemory". */
  evidence: z.string(),
});
export type Culprit = z.infer<typeof CulpritSchema>;

export const DiagnosisSchema = z.object({
  identity: z.string(),
  type: z.string(),
  subject: z.string(),
  topMemory: ProcessSummarySchema.nullable(),
  topSwap: ProcessSummarySchema.nullable(),
  topCpu: ProcessSummarySchema.nullable(),
  disk: z
    .object({ mount: z.string(), usedPct: z.number(), usedBytes: z.number(), largestDirs: z.array(DirUsageSchema) })
    .nullable(),
  service: z
    .object({
      unit: z.string(),
      activeState: z.string(),
      subState: z.string(),
      result: z.string(),
      nRestarts: z.number(),
      journal: z.array(z.string()),
    })
    .nullable(),
  /** A clear culprit, when the facts name one; null otherwise (the honest answer is then "unknown"). */
  culprit: CulpritSchema.nullable(),
  notes: z.array(z.string()),
  /**
   * What the past says (search_incidents): one line with numbers when this identity was seen before (null when it
   * was not: never invented), its runbook when the chronicle wrote one, and up to 3 past incidents like it.
   */
  past: z
    .object({
      line: z.string().nullable(),
      runbook: z.string().nullable(),
      match: z.enum(['identity', 'similar', 'none']),
      similar: z.array(PastIncidentSchema).max(3),
    })
    .nullable()
    .optional(),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

export interface DiagnoseExtras {
  /** The largest directories on a mount (e.g. `du` inside the safelist roots); failures are noted, not thrown. */
  largestDirs?: (mount: string) => Promise<readonly DirUsage[]> | readonly DirUsage[];
  /** The unit's last journal lines (`journalctl -u UNIT -n N -o cat`). */
  journal?: readonly string[];
  /** Past incidents like this one (searchPast, the current incident left out); absent or null: no history read. */
  past?: PastSearch | null;
}

/** A process is the clear culprit when it holds at least this share of what is short. */
const CULPRIT_SHARE = 0.3;
const SERVICE_CAUSES = new Set(['oom-kill', 'core-dump', 'signal', 'timeout', 'watchdog', 'start-limit-hit']);
const JOURNAL_ERROR = /\b(error|fatal|panic|segfault|killed|out of memory|oom|cannot|failed|exception)\b/i;

const summary = (p: ProcessInfo | undefined): ProcessSummary | null =>
  p
    ? {
        pid: p.pid,
        comm: p.comm,
        cmdline: p.cmdline.slice(0, 300),
        rssBytes: p.rssBytes,
        memPct: p.memPct,
        swapBytes: p.swapBytes,
        cpuPct: p.cpuPct,
        ...(p.cgroupMemory ? { cgroupMemory: p.cgroupMemory } : {}),
      }
    : null;

const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GiB`;

export async function diagnose(finding: Finding, snapshot: Snapshot, extras: DiagnoseExtras = {}): Promise<Diagnosis> {
  const notes: string[] = [];
  const procs = snapshot.processes;
  if (!procs) notes.push('process data missing from the snapshot');
  const d: Diagnosis = {
    identity: finding.identity,
    type: finding.type,
    subject: finding.subject,
    topMemory: summary(procs?.topByRss[0]),
    topSwap: summary(procs?.topBySwap.find((p) => p.swapBytes > 0)),
    topCpu: summary(procs?.topByCpu[0]),
    disk: null,
    service: null,
    culprit: null,
    notes,
  };
  if (extras.past)
    d.past = {
      line: pastLine(extras.past),
      runbook: extras.past.runbook,
      match: extras.past.match,
      similar: extras.past.incidents.slice(0, 3),
    };

  if (finding.type === 'disk') {
    const disk = snapshot.disks?.find((x) => x.mount === finding.subject) ?? null;
    let dirs: DirUsage[] = [];
    if (extras.largestDirs) {
      try {
        dirs = [...(await extras.largestDirs(finding.subject))].sort((a, b) => b.bytes - a.bytes).slice(0, 10);
      } catch (error) {
        notes.push(`largest directories unavailable: ${(error as Error).message}`);
      }
    }
    if (disk) d.disk = { mount: disk.mount, usedPct: disk.usedPct, usedBytes: disk.usedBytes, largestDirs: dirs };
    const top = dirs[0];
    if (disk && top && top.bytes >= CULPRIT_SHARE * disk.usedBytes) {
      d.culprit = {
        kind: 'directory',
        path: top.path,
        evidence: 'diagnosis:disk.largestDirs',
        description: `${top.path} holds ${gb(top.bytes)} of the ${gb(disk.usedBytes)} used on ${disk.mount}`,
      };
    }
  }

  if (finding.type === 'memory' && d.topMemory && snapshot.memory) {
    const used = snapshot.memory.totalBytes - snapshot.memory.availableBytes;
    if (used > 0 && d.topMemory.rssBytes >= CULPRIT_SHARE * used) {
      const p = d.topMemory;
      d.culprit = {
        kind: 'process',
        pid: p.pid,
        evidence: 'diagnosis:topMemory',
        description: `${p.comm} (PID ${p.pid}) uses ${gb(p.rssBytes)} of the ${gb(used)} of memory in use (${memoryShare(p)})`,
      };
    }
  }

  if (finding.type === 'swap' && d.topSwap && snapshot.swap && snapshot.swap.usedBytes > 0) {
    const p = d.topSwap;
    if (p.swapBytes >= CULPRIT_SHARE * snapshot.swap.usedBytes) {
      d.culprit = {
        kind: 'process',
        pid: p.pid,
        evidence: 'diagnosis:topSwap',
        description: `${p.comm} (PID ${p.pid}) holds ${gb(p.swapBytes)} of the ${gb(snapshot.swap.usedBytes)} swap in use`,
      };
    }
  }

  if (finding.type === 'cpu' && d.topCpu && (d.topCpu.cpuPct ?? 0) >= 80) {
    const p = d.topCpu;
    d.culprit = {
      kind: 'process',
      pid: p.pid,
      evidence: 'diagnosis:topCpu',
      description: `${p.comm} (PID ${p.pid}) uses ${Math.round(p.cpuPct ?? 0)}% CPU`,
    };
  }

  if (finding.type === 'service') {
    const unit =
      snapshot.services?.find((s) => s.unit === finding.subject || s.unit === `${finding.subject}.service`) ?? null;
    const journal = (extras.journal ?? []).slice(-20).map((l) => l.slice(0, 500));
    if (unit) {
      d.service = {
        unit: unit.unit,
        activeState: unit.activeState,
        subState: unit.subState,
        result: unit.result,
        nRestarts: unit.nRestarts,
        journal,
      };
      const errorLine = [...journal].reverse().find((l) => JOURNAL_ERROR.test(l));
      if (SERVICE_CAUSES.has(unit.result)) {
        d.culprit = {
          kind: 'service',
          unit: unit.unit,
          evidence: 'diagnosis:service',
          description: `${unit.unit} stopped with result ${unit.result}${errorLine ? `; last error: ${errorLine}` : ''}`,
        };
      } else if (unit.activeState !== 'active' && errorLine) {
        d.culprit = {
          kind: 'service',
          unit: unit.unit,
          evidence: 'diagnosis:service.journal',
          description: `${unit.unit} is ${unit.activeState}; its journal says: ${errorLine}`,
        };
      }
    } else {
      notes.push(`unit ${finding.subject} not in the snapshot`);
    }
  }

  if (finding.type === 'process') {
    const pid = Number(finding.details.pid);
    const p = [...(procs?.orphans ?? []), ...(procs?.topByRss ?? [])].find((x) => x.pid === pid);
    if (p)
      d.culprit = {
        kind: 'process',
        pid: p.pid,
        evidence: 'diagnosis:finding',
        description: `process ${p.comm} (PID ${p.pid}, running ${Math.round(p.ageSec / 60)} min) is the subject of this finding`,
      };
  }
  return d;
}

/** The diagnosis's lines about the past for an alert or a bead: "Seen 4 times in 30 days; …", "Runbook: …". */
export function pastNotes(d: Pick<Diagnosis, 'past'>): string[] {
  const p = d.past;
  if (!p) return [];
  return [...(p.line ? [p.line] : []), ...(p.runbook ? [`Runbook: ${p.runbook}`] : [])];
}
