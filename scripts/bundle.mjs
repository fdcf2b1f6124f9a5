// Bundle the compiled CLI into one entry plus lazy chunks (dist/cli.js, dist/bin/*.js).
// Why: a cycle is a cold start every 5 minutes; loading ~200 small modules (zod's among them) costs more CPU than
// the cycle itself. Measured in `npm run bench`. The unbundled modules stay in dist/ for tests that import them.
import { chmodSync } from 'node:fs';
import { build } from 'rolldown';

await build({
  input: { cli: 'dist/cli.js' },
  platform: 'node',
  logLevel: 'warn',
  output: { dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'bin/[name]-[hash].js' },
});
chmodSync('dist/cli.js', 0o755);
