// Every key of the schema, given a value of the wrong kind, gets one plain line naming it and the expected form —
// never zod's own phrasing ("Invalid input", "expected string, received number", "too_big … items").
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { loadConfig } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import { makeTmp } from '../support/tmp.js';

type Leaf = { path: string[]; kind: string };

/** The schema's leaves, found by walking it here (not with the code under test). */
function leaves(schema: z.ZodType, path: string[] = []): Leaf[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
      return leaves(def.innerType as z.ZodType, path);
    case 'pipe':
      return leaves(def.in as z.ZodType, path);
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([k, v]) => leaves(v, [...path, k]));
    case 'array':
      return [{ path, kind: 'array' }, ...leaves(def.element as z.ZodType, [...path, '0'])];
    default:
      return [{ path, kind: String(def.type) }];
  }
}

const tmp = makeTmp();
afterAll(() => tmp.cleanup());
const file = join(tmp.dir, 'argus.json');
// A valid whole configuration (one probe, so a probe's keys can be spoilt one at a time).
const base = (): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify(ConfigSchema.parse({ stateDir: '/tmp/x', probes: [{ name: 'gw', url: 'http://127.0.0.1/' }] })),
  ) as Record<string, unknown>;

function set(target: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  let node = target;
  path.slice(0, -1).forEach((k, i) => {
    if (typeof node[k] !== 'object' || node[k] === null) node[k] = /^\d+$/.test(path[i + 1]!) ? [] : {};
    node = node[k] as Record<string, unknown>;
  });
  node[path[path.length - 1]!] = value;
  return target;
}

function refuse(raw: Record<string, unknown>): string {
  writeFileSync(file, JSON.stringify(raw));
  try {
    loadConfig({ env: {}, cwd: tmp.dir });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return '(accepted)';
}

const ZOD_PHRASING = /Invalid input|received|Too (big|small)|items|9007199254740991|\bundefined\b|\bNaN\b/;
const all = leaves(ConfigSchema as unknown as z.ZodType);

describe('config errors, key by key', () => {
  it('walks the whole schema', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it.each(all.map((l) => [l.path.join('.'), l] as const))('%s: a value of the wrong kind', (dotted, leaf) => {
    const wrong = leaf.kind === 'string' || leaf.kind === 'enum' ? { a: 1 } : 'x';
    const message = refuse(set(base(), leaf.path, wrong));
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(
      new RegExp(`^invalid configuration: ${dotted.replace(/\./g, '\\.')} in .*argus\\.json = .+; expected .{6,}$`),
    );
    expect(message).not.toMatch(ZOD_PHRASING);
  });

  it.each(all.filter((l) => l.kind === 'number').map((l) => [l.path.join('.'), l] as const))(
    '%s: a 20-digit number gets its range',
    (dotted, leaf) => {
      const message = refuse(set(base(), leaf.path, Number('12345678901234567890')));
      if (message === '(accepted)') return; // a number with no upper bound (a load, a cost cap)
      // A clear level is also bounded by its fire level.
      expect(message).toMatch(
        new RegExp(
          `^invalid configuration: ${dotted.replace(/\./g, '\\.')} in .* = 12345678901234567000; expected an? (whole )?number (from -?[\\d.]+ to [\\d.]+|at most thresholds\\.\\w+\\.fire \\([\\d.]+\\): .+)$`,
        ),
      );
      expect(message).not.toMatch(ZOD_PHRASING);
    },
  );

  it.each(all.filter((l) => l.kind === 'number').map((l) => [l.path.join('.'), l] as const))(
    '%s: a negative number',
    (dotted, leaf) => {
      const message = refuse(set(base(), leaf.path, -1));
      expect(message).toMatch(
        new RegExp(
          `^invalid configuration: ${dotted.replace(/\./g, '\\.')} in .* = -1; expected an? (whole )?number (from|at least|above) `,
        ),
      );
      expect(message).not.toMatch(ZOD_PHRASING);
    },
  );
});
