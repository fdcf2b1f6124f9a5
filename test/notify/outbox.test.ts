import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../src/notify/notifier.js';
import { createOutbox, DROPPED_ID } from '../../src/notify/outbox.js';

const alert = (id: string): AlertMessage => ({
  id,
  ts: '2026-05-01T12:00:00.000Z',
  severity: 'info',
  text: `text ${id}`,
  identity: null,
});

describe('outbox', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'argus-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps alerts in order, ignores repeats by id, removes only what was delivered', () => {
    const outbox = createOutbox(join(dir, 'outbox.jsonl'));
    outbox.add([alert('a'), alert('b')], 'now');
    outbox.add([alert('b'), alert('c')], 'now');
    expect(outbox.read().map((e) => e.id)).toEqual(['a', 'b', 'c']);
    outbox.remove(['b']);
    expect(outbox.read().map((e) => e.id)).toEqual(['a', 'c']);
    const lines = readFileSync(outbox.path, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a', 'c']);
  });

  it('keeps the newest N and counts the dropped ones in a leading entry', () => {
    const outbox = createOutbox(join(dir, 'outbox.jsonl'), 3);
    outbox.add(['1', '2', '3', '4', '5'].map(alert), 'now');
    let entries = outbox.read();
    expect(entries.map((e) => e.id)).toEqual([DROPPED_ID, '3', '4', '5']);
    expect(entries[0]?.text).toMatch(/^2 older alerts dropped/);
    outbox.add([alert('6')], 'now');
    entries = outbox.read();
    expect(entries.map((e) => e.id)).toEqual([DROPPED_ID, '4', '5', '6']);
    expect(entries[0]?.text).toMatch(/^3 older alerts dropped/);
  });

  it('skips a torn line', () => {
    const outbox = createOutbox(join(dir, 'outbox.jsonl'));
    outbox.add([alert('a')], 'now');
    appendFileSync(outbox.path, '{"id":"to');
    expect(outbox.read().map((e) => e.id)).toEqual(['a']);
  });
});
