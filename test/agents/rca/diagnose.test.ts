import { describe, expect, it } from 'vitest';
import { deterministicVerdict } from '../../../src/agents/rca/agent.js';
import { diagnose } from '../../../src/agents/rca/diagnose.js';
import type { Finding } from '../../../src/model/finding.js';
import { disk, GB, memory, proc, processes, service, snapshot, swap } from '../../support/snapshot.js';

const finding = (type: Finding['type'], subject: string, details: Record<string, unknown> = {}): Finding => ({
  identity: `${type}:${subject}`,
  type,
  subject,
  severity: 'warning',
  description: `${type} problem on ${subject}`,
  source: 'rule',
  details,
});

describe('diagnose', () => {
  it('names the top memory consumer when it holds most of the used memory', async () => {
    const s = snapshot({
      memory: memory({ usedPct: 90 }),
      processes: processes({
        topByRss: [proc({ pid: 31, comm: 'java', rssBytes: 5 * GB, memPct: 62 }), proc({ pid: 32 })],
      }),
    });
    const d = await diagnose(finding('memory', 'host'), s);
    expect(d.topMemory).toMatchObject({ pid: 31, comm: 'java' });
    expect(d.culprit).toMatchObject({ kind: 'process', pid: 31, evidence: 'diagnosis:topMemory' });
    expect(deterministicVerdict(d)).toMatchObject({
      verdict: 'cause_found',
      causes: [{ evidence: ['diagnosis:topMemory'] }],
    });
  });

  it('names no culprit when memory is spread thin: the verdict is unknown', async () => {
    const s = snapshot({
      memory: memory({ usedPct: 90 }),
      processes: processes({ topByRss: [proc({ rssBytes: 0.5 * GB })] }),
    });
    const d = await diagnose(finding('memory', 'host'), s);
    expect(d.culprit).toBeNull();
    expect(deterministicVerdict(d)).toMatchObject({ verdict: 'unknown', causes: [] });
  });

  it('names the top swap user', async () => {
    const s = snapshot({
      swap: swap({ usedBytes: 1.5 * GB, usedPct: 75 }),
      processes: processes({ topBySwap: [proc({ pid: 50, comm: 'redis', swapBytes: 1 * GB })] }),
    });
    const d = await diagnose(finding('swap', 'host'), s);
    expect(d.culprit).toMatchObject({ pid: 50, evidence: 'diagnosis:topSwap' });
  });

  it('asks the callback what filled the disk, and names the biggest directory', async () => {
    const asked: string[] = [];
    const s = snapshot({ disks: [disk('/', 95)] });
    const d = await diagnose(finding('disk', '/'), s, {
      largestDirs: (mount) => {
        asked.push(mount);
        return [
          { path: '/var/log', bytes: 5 * GB },
          { path: '/tmp', bytes: 60 * GB },
        ];
      },
    });
    expect(asked).toEqual(['/']);
    expect(d.disk?.largestDirs[0]).toEqual({ path: '/tmp', bytes: 60 * GB });
    expect(d.culprit).toMatchObject({ kind: 'directory', path: '/tmp' });
  });

  it('notes a failing callback and still produces a diagnosis', async () => {
    const d = await diagnose(finding('disk', '/'), snapshot({ disks: [disk('/', 95)] }), {
      largestDirs: () => {
        throw new Error('du timed out');
      },
    });
    expect(d.culprit).toBeNull();
    expect(d.notes.join()).toContain('du timed out');
  });

  it('reads a dead unit: result and the last error line of its journal', async () => {
    const s = snapshot({
      services: [service('nginx.service', { activeState: 'failed', subState: 'failed', result: 'oom-kill' })],
    });
    const d = await diagnose(finding('service', 'nginx.service'), s, {
      journal: ['started', 'worker: out of memory', 'stopped'],
    });
    expect(d.service).toMatchObject({ unit: 'nginx.service', result: 'oom-kill' });
    expect(d.culprit?.description).toContain('oom-kill');
    expect(d.culprit?.description).toContain('out of memory');
  });

  it('does not invent a cause for a failed unit with a clean journal', async () => {
    const s = snapshot({ services: [service('nginx.service', { activeState: 'failed', result: 'exit-code' })] });
    const d = await diagnose(finding('service', 'nginx.service'), s, { journal: ['Stopping nginx', 'Stopped nginx'] });
    expect(d.culprit).toBeNull();
  });

  it('survives a snapshot without process data', async () => {
    const d = await diagnose(finding('memory', 'host'), snapshot({ processes: null }));
    expect(d.topMemory).toBeNull();
    expect(d.notes).toContain('process data missing from the snapshot');
  });
});
