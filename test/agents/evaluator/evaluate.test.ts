import { describe, expect, it } from 'vitest';
import {
  emptyEvaluatorState,
  evaluate,
  EvaluatorStateSchema,
  seenIdentities,
} from '../../../src/agents/evaluator/evaluate.js';
import { FindingSchema } from '../../../src/model/finding.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { disk, memory, orphan, probe, processes, proc, service, snapshot, swap } from '../../support/snapshot.js';
import { config, runCycles } from './helpers.js';

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A snapshot where every metric is random but every condition is over its fire threshold. */
function randomSnapshot(r: () => number): Snapshot {
  const hi = () => 97.5 + r() * 2.5;
  const s = snapshot({
    memory: memory({ effectivePct: hi(), usedPct: hi(), availableBytes: r() * 1e9 }),
    swap: swap({
      usedPct: hi(),
      usedBytes: r() * 2e9,
      inBytesPerSec: 6e6 + r() * 1e8,
      outBytesPerSec: 6e6 + r() * 1e8,
    }),
    disks: [
      disk('/', hi(), { availBytes: r() * 1e10, inodesPct: hi(), inodesUsed: Math.floor(r() * 1e6) }),
      disk('/var/lib', hi()),
    ],
    cpu: {
      cores: 4,
      utilPct: hi(),
      load1: r() * 20,
      load5: 1,
      load15: 1,
      load1PerCore: 2 + r() * 5,
      uptimeSec: r() * 1e6,
    },
    services: [
      service('nginx.service', {
        activeState: 'failed',
        result: 'exit-code',
        nRestarts: Math.floor(r() * 100),
        mainPid: Math.floor(r() * 1e5),
      }),
    ],
    processes: processes({
      topByRss: [proc({ pid: Math.floor(r() * 1e5), rssBytes: r() * 1e10 })],
      orphans: [orphan({ pid: 4242, startTicks: 77, ageSec: 1000 + r() * 1e5 })],
    }),
    probes: [probe('gateway', false, { status: 500 + Math.floor(r() * 99), latencyMs: r() * 1000 })],
  });
  return { ...s, self: { ...s.self, stateFreeBytes: r() * 9e7, consecutiveFailures: 3 + Math.floor(r() * 50) } };
}

describe('evaluate', () => {
  it('identities never carry live numbers: the same conditions give the same identities whatever the values', () => {
    const cfg = config({ confirmCycles: { disk: 1, memory: 1, swap: 1, cpu: 1, probe: 1, process: 1 } });
    const r = rng(42);
    const sets = Array.from({ length: 100 }, () => {
      const { findings } = evaluate(randomSnapshot(r), emptyEvaluatorState(), cfg);
      for (const f of findings) {
        expect(() => FindingSchema.parse(f)).not.toThrow();
        expect(f.identity).toBe(`${f.type}:${f.subject}`);
        expect(f.identity).not.toMatch(/\d/);
      }
      return findings.map((f) => f.identity).sort();
    });
    expect(new Set(sets.map((s) => s.join(','))).size).toBe(1);
    expect(sets[0]).toEqual(
      expect.arrayContaining([
        'disk:/',
        'disk:/var/lib',
        'memory:host',
        'swap:thrashing',
        'cpu:util',
        'cpu:load',
        'disk:inodes:/',
        'swap:usage',
        'service:nginx.service',
        'process:orphans',
        'probe:gateway',
      ]),
    );
  });

  it('is pure: the input state is not modified and the same input gives the same output', () => {
    const state = runCycles([snapshot({ disks: [disk('/', 95)] })]).state;
    const frozen = structuredClone(state);
    const s = snapshot({ disks: [disk('/', 70)], memory: memory({ effectivePct: 93 }) });
    const a = evaluate(s, state, config());
    const b = evaluate(s, state, config());
    expect(state).toEqual(frozen);
    expect(a).toEqual(b);
    expect(EvaluatorStateSchema.parse(a.state)).toEqual(a.state);
  });

  it('a fully gapped snapshot yields only the gap findings and keeps every condition', () => {
    const before = runCycles([snapshot({ disks: [disk('/', 95)], memory: memory({ effectivePct: 95 }) })]).state;
    const gapped = snapshot({
      memory: null,
      swap: null,
      disks: null,
      cpu: null,
      services: null,
      processes: null,
      probes: null,
      gaps: [{ collector: 'disks', error: 'x' }],
    });
    const { findings, state } = evaluate(gapped, before, config());
    expect(findings.map((f) => f.identity)).toEqual(['self:collector:disks']);
    expect(state.conditions).toEqual(before.conditions);
  });

  it('state stays bounded: a condition unseen for more than a day is dropped, healthy ones are not kept', () => {
    const cfg = config();
    const { state } = runCycles([snapshot({ disks: [disk('/', 95), disk('/a', 50), disk('/b', 60)] })], cfg);
    expect(Object.keys(state.conditions)).toEqual(['disk:/']);
    const later = snapshot({ ts: '2026-02-20T10:00:01.000Z', disks: null });
    expect(evaluate(later, state, cfg).state.conditions).toEqual({});
    const sameDay = snapshot({ ts: '2026-02-20T09:00:00.000Z', disks: null });
    expect(Object.keys(evaluate(sameDay, state, cfg).state.conditions)).toEqual(['disk:/']);
  });

  it('seenIdentities: gapped sections and unknown rates are not seen', () => {
    const ids = [
      'disk:/',
      'memory:host',
      'swap:thrashing',
      'swap:usage',
      'cpu:util',
      'cpu:util',
      'cpu:load',
      'disk:inodes:/',
      'swap:usage',
      'service:nginx.service',
      'self:collector:x',
      'process:orphans',
    ];
    const s = snapshot({ disks: null, swap: swap({ inBytesPerSec: null, outBytesPerSec: null }), cpu: null });
    expect([...seenIdentities({ ...s, self: { ...s.self, stateFreeBytes: null } }, ids)]).toEqual([
      'memory:host',
      'swap:usage',
      'service:nginx.service',
      'self:collector:x',
      'process:orphans',
    ]);
  });
});
