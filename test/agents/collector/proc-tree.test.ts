import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../../../src/agents/collector/collect.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { SnapshotSchema } from '../../../src/model/snapshot.js';
import { makeProcTree } from '../../support/proc-tree.js';
import { fixtureHost, tempDirs } from './helpers.js';

const temp = tempDirs();
let savedTmpdir: string | undefined;
beforeEach(() => {
  savedTmpdir = process.env.TMUX_TMPDIR;
  process.env.TMUX_TMPDIR = temp.make();
});
afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMUX_TMPDIR;
  else process.env.TMUX_TMPDIR = savedTmpdir;
  temp.cleanup();
});

describe('makeProcTree (the benchmark tree)', () => {
  it('collect() reads a 1000-process synthetic /proc into a valid Snapshot', async () => {
    const root = temp.make();
    const { procs } = makeProcTree(root, { processes: 1000, swapTotalKb: 4_000_000, swapFreeKb: 3_000_000 });
    const host = fixtureHost(root);
    const config = ConfigSchema.parse({});
    const first = await collect({ host, config, previous: null, stateDir: root, consecutiveFailures: 0 });
    const { snapshot } = first;
    expect(SnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot.gaps).toEqual([]);
    expect(snapshot.processes?.total).toBe(procs.length);
    expect(snapshot.processes?.topByRss).toHaveLength(10);
    const biggest = Math.max(...procs.map((p) => p.rssPages ?? 0));
    expect(snapshot.processes?.topByRss[0]?.rssBytes).toBe(biggest * 4096);
    expect(snapshot.swap?.usedPct).toBe(25);
    expect(snapshot.disks?.map((d) => d.mount)).toEqual(['/']);
    expect(first.samples.procs?.list).toHaveLength(procs.length - 8); // kernel threads are not sampled
  });
});
