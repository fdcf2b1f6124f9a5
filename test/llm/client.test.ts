import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModelClient } from '../../src/llm/client.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(`${os.tmpdir()}/argus-`);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const request = { system: 's', messages: [{ role: 'user' as const, content: 'hi' }], tools: [], max_tokens: 10 };

describe('createModelClient', () => {
  it('loads the SDK on the first call only, once', async () => {
    let loads = 0;
    const client = createModelClient({
      apiKey: 'k',
      maxRetries: 0,
      fetch: async () => new Response(null, { status: 500, headers: { 'x-should-retry': 'false' } }),
      loadSdk: () => {
        loads += 1;
        return import('@anthropic-ai/sdk');
      },
    });
    expect(loads).toBe(0);
    const first = await client.create(request);
    await client.create(request);
    expect(loads).toBe(1);
    expect(first).toMatchObject({ ok: false, failure: { kind: 'server', status: 500 } });
  });

  it('a healthy process that imports the client never loads @anthropic-ai/sdk (real node, compiled module)', () => {
    // Compile client.ts alone and point its SDK import at a marker module that re-exports the real SDK.
    const source = fs.readFileSync(path.join(ROOT, 'src/llm/client.ts'), 'utf8');
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    expect(js.match(/['"]@anthropic-ai\/sdk['"]/g)?.length, 'exactly one (dynamic) reference to the SDK').toBe(1);
    const sdkUrl = pathToFileURL(path.join(ROOT, 'node_modules/@anthropic-ai/sdk/index.mjs')).href;
    fs.writeFileSync(path.join(dir, 'sdk-marker.mjs'), `globalThis.__sdkLoaded = true;\nexport * from '${sdkUrl}';\n`);
    fs.writeFileSync(path.join(dir, 'client.mjs'), js.replace(/['"]@anthropic-ai\/sdk['"]/, `'./sdk-marker.mjs'`));
    const script = `
      const m = await import(${JSON.stringify(pathToFileURL(path.join(dir, 'client.mjs')).href)});
      const out = { afterImport: globalThis.__sdkLoaded === true };
      const c = m.createModelClient({ apiKey: 'k', maxRetries: 0, fetch: async () => new Response(null, { status: 503, headers: { 'x-should-retry': 'false' } }) });
      out.afterCreate = globalThis.__sdkLoaded === true;
      const r = await c.create({ system: 's', messages: [{ role: 'user', content: 'hi' }], tools: [], max_tokens: 10 });
      out.afterCall = globalThis.__sdkLoaded === true;
      out.kind = r.ok ? null : r.failure.kind;
      console.log(JSON.stringify(out));`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(JSON.parse(stdout.trim())).toEqual({
      afterImport: false,
      afterCreate: false,
      afterCall: true,
      kind: 'server',
    });
  });
});
