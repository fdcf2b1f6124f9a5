// Every runtime dependency does a real job: each package in `dependencies` is imported somewhere under src/.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('dependencies', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  // A type-only import does no job at run time: it does not count.
  const text = sources(join(ROOT, 'src'))
    .map((f) => readFileSync(f, 'utf8').replace(/^import type [^;]*;/gm, ''))
    .join('\n');

  // Imported, or a file of it loaded at run time (the dashboard inlines uPlot's browser build: require.resolve).
  it.each(Object.keys(pkg.dependencies))('%s is used by src/', (name) => {
    const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    expect(text).toMatch(new RegExp(`(from |import\\(|require\\.resolve\\()'${escaped}(/[^']*)?'`));
  });

  it('every version is pinned exactly (an unpinned install on Node 20 pulls Node-22-only majors)', () => {
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }))
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
