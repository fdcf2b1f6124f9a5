// Bundle the compiled CLI into one CommonJS entry plus lazy chunks (dist/argus.cjs, dist/bin/*.cjs), loaded by a
// tiny launcher (dist/cli.js) that first installs V8's code cache (scripts/code-cache.cjs).
// Why: a cycle is a cold start every 5 minutes; loading ~200 small modules (zod's among them) cost more CPU than the
// cycle itself, and after bundling, compiling the bundle was the largest cost left. CommonJS because Node 20 gives
// code caching (vm.Script cachedData) to scripts, not to ES modules. Measured in `npm run bench`. The unbundled
// modules stay in dist/ for tests that import them.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';

rmSync('dist/bin', { recursive: true, force: true });
rmSync('dist/.code-cache', { recursive: true, force: true });
await build({
  input: { argus: 'dist/cli.js' },
  platform: 'node',
  logLevel: 'warn',
  output: { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'bin/[name]-[hash].cjs' },
});
copyFileSync('scripts/code-cache.cjs', 'dist/code-cache.cjs');
writeFileSync(
  'dist/cli.js',
  `#!/usr/bin/env node
// The argus command: installs V8's code cache, then loads the bundled CLI (dist/argus.cjs). Built by scripts/bundle.mjs.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
const require = createRequire(import.meta.url);
require('./code-cache.cjs').install(dirname(fileURLToPath(import.meta.url)));
require('./argus.cjs');
`,
);
chmodSync('dist/cli.js', 0o755);

// Warm the cache on the paths that run most: a dry cycle in a throwaway state dir (it acts on nothing), and help.
const state = mkdtempSync(join(tmpdir(), 'argus-warm-'));
for (const args of [['--help'], ['once', '--dry-run']]) {
  spawnSync(process.execPath, ['dist/cli.js', ...args], {
    env: { PATH: process.env.PATH, ARGUS_STATE_DIR: state, HOME: state },
    stdio: 'ignore',
    timeout: 60_000,
  });
}
rmSync(state, { recursive: true, force: true });
