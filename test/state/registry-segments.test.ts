import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { maintainRegistry } from '../../src/state/registry-segments.js';
import { Registry } from '../../src/state/registry.js';
import { rec } from '../support/registry-gen.js';
import { makeTmp } from '../support/tmp.js';

let tmp: ReturnType<typeof makeTmp>;
afterEach(() => tmp?.cleanup());

const at = (iso: string) => rec(Date.parse(iso), { kind: 'detection', type: 'disk', identity: 'disk:/', description: iso });
const line = (iso: string) => `${JSON.stringify(at(iso))}\n`;
const descriptions = async (r: Registry, sinceMs?: number) => (await r.list({ sinceMs })).map((x) => x.description);

describe('registry segments and retention', () => {
  it('a new month rotates the current file into its month; readers see one registry, oldest first', async () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'problems.jsonl');
    writeFileSync(path, line('2026-11-20T10:00:00.000Z') + line('2026-11-30T23:58:00.000Z') + line('2026-12-01T00:02:00.000Z'));
    const result = maintainRegistry(path, new Date('2026-12-01T00:05:00Z'), 180);
    expect(result).toEqual({ rotated: join(tmp.dir, 'problems-2026-11.jsonl'), deleted: [] });
    const registry = new Registry(path);
    registry.append([at('2026-12-01T00:05:00.000Z')]);
    expect(readdirSync(tmp.dir).sort()).toEqual(['problems-2026-11.jsonl', 'problems.jsonl']);
    expect(await descriptions(registry)).toEqual(['2026-11-20T10:00:00.000Z', '2026-11-30T23:58:00.000Z', '2026-12-01T00:02:00.000Z', '2026-12-01T00:05:00.000Z']);
    // A window inside December still finds the record the November segment holds (rotated a few minutes late).
    expect(await descriptions(registry, Date.parse('2026-12-01T00:00:00Z'))).toEqual(['2026-12-01T00:02:00.000Z', '2026-12-01T00:05:00.000Z']);
    // Each segment is plain JSONL.
    for (const f of readdirSync(tmp.dir)) for (const l of readFileSync(join(tmp.dir, f), 'utf8').trim().split('\n')) expect(() => JSON.parse(l)).not.toThrow();
  });

  it('nothing to do within the month; a second run in the new month does not rotate again', () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'problems.jsonl');
    writeFileSync(path, line('2026-12-01T08:00:00.000Z'));
    expect(maintainRegistry(path, new Date('2026-12-15T00:00:00Z'), 180)).toEqual({ rotated: null, deleted: [] });
    expect(existsSync(path)).toBe(true);
  });

  it('segments that ended longer ago than the retention are deleted, newer ones kept', () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'problems.jsonl');
    writeFileSync(join(tmp.dir, 'problems-2026-01.jsonl'), line('2026-01-10T00:00:00.000Z'));
    writeFileSync(join(tmp.dir, 'problems-2026-06.jsonl'), line('2026-06-10T00:00:00.000Z'));
    writeFileSync(join(tmp.dir, 'history-2026-01.jsonl'), 'not ours\n');
    writeFileSync(path, line('2026-12-02T00:00:00.000Z'));
    const r = maintainRegistry(path, new Date('2026-12-02T12:00:00Z'), 180);
    expect(r.deleted).toEqual([join(tmp.dir, 'problems-2026-01.jsonl')]);
    expect(readdirSync(tmp.dir).sort()).toEqual(['history-2026-01.jsonl', 'problems-2026-06.jsonl', 'problems.jsonl']);
  });

  it('a segment of that month already there (a clock set back) is never overwritten', () => {
    tmp = makeTmp();
    const path = join(tmp.dir, 'problems.jsonl');
    writeFileSync(join(tmp.dir, 'problems-2026-11.jsonl'), line('2026-11-01T00:00:00.000Z'));
    writeFileSync(path, line('2026-11-05T00:00:00.000Z'));
    expect(maintainRegistry(path, new Date('2026-12-02T00:00:00Z'), 180).rotated).toBeNull();
    expect(readFileSync(join(tmp.dir, 'problems-2026-11.jsonl'), 'utf8')).toBe(line('2026-11-01T00:00:00.000Z'));
  });
});
