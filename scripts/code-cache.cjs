// V8 code cache for the bundled CLI: every CommonJS chunk under dist/ is compiled with the bytecode V8 produced the
// last time, instead of being parsed and compiled again (a cycle is a cold start every 5 minutes; compiling the
// bundle was the largest cost above bare Node). Installed by dist/cli.js before the bundle loads.
//
// The cache lives beside the code (dist/.code-cache/, same owner and permissions as the code it stands for); V8
// rejects cached data made from other source text or by another V8, and then the chunk is simply compiled. Writing
// is best effort, once per chunk that had no usable cache, at exit, through a temp file and a rename: a read-only
// install (ProtectSystem=strict) runs uncached until `npm run build` or `argus install` warms it.
'use strict';
const Module = require('node:module');
const vm = require('node:vm');
const fs = require('node:fs');
const path = require('node:path');

function install(distDir) {
  const cacheDir = path.join(distDir, '.code-cache');
  const pending = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (!filename.startsWith(distDir + path.sep) || !filename.endsWith('.cjs'))
      return compile.call(this, content, filename);
    const key = path.join(cacheDir, `${path.relative(distDir, filename).replace(/[\\/]/g, '_')}.v8`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(key);
    } catch {
      cachedData = undefined;
    }
    // A shebang is not JavaScript once wrapped in the module function.
    const source = content.startsWith('#!') ? `//${content}` : content;
    const script = new vm.Script(Module.wrap(source), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cachedData === undefined || script.cachedDataRejected) pending.push({ key, script });
    const fn = script.runInThisContext({ displayErrors: true });
    const mod = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the wrapper's require closes over the module
    const require = (id) => mod.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    require.main = process.mainModule;
    require.cache = Module._cache;
    return fn.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    for (const { key, script } of pending) {
      try {
        fs.mkdirSync(cacheDir, { recursive: true });
        const tmp = `${key}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, key);
      } catch {
        // Read-only or full: the next run compiles, as it did before.
      }
    }
  });
}

module.exports = { install };
