// The runbooks and post-mortems as pages of `argus serve` (built CLI, real HTTP): listed, rendered, host text escaped,
// only the chronicler's own files (no traversal, no symlink), no script allowed on the page.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/serve/markdown.js';
import { makeTmp } from '../support/tmp.js';
import { BUILT, startServe, type Served } from './harness.js';

let tmp: ReturnType<typeof makeTmp> | undefined;
let served: Served | null = null;
afterEach(async () => {
  await served?.stop();
  served = null;
  tmp?.cleanup();
  tmp = undefined;
});

const RUNBOOK = [
  '# Runbook: service:nginx.service',
  '**When it applies.** Argus alerts "Service nginx.service failed".',
  '## Confirm',
  '```sh',
  'journalctl -u nginx.service -n 100 --no-pager',
  '```',
  '| Time (UTC) | Description |',
  '|---|---|',
  '| 00:10 | <script>alert(1)</script> a \\| pipe |',
  '1. Read why it stopped',
  '2. See [the post-mortem](../postmortems/2026-03-02-nginx.md) and [elsewhere](https://evil.example/x)',
].join('\n');

describe('markdown to a page', () => {
  it('turns the known subset into tags and keeps everything else text', () => {
    const html = renderMarkdown(RUNBOOK, 'runbooks');
    expect(html).toContain('<h1>Runbook: service:nginx.service</h1>');
    expect(html).toContain('<pre><code>journalctl -u nginx.service -n 100 --no-pager</code></pre>');
    expect(html).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt; a | pipe</td>');
    expect(html).toContain('<ol><li>Read why it stopped</li>');
    expect(html).toContain('<a href="/docs/postmortems/2026-03-02-nginx.md">the post-mortem</a>');
    expect(html).toContain('[elsewhere](https://evil.example/x)');
    expect(html).not.toMatch(/<script|href="https?:/);
  });
});

describe.skipIf(!BUILT)('argus serve /docs/', () => {
  it('lists and shows the chronicler documents under <state>/docs, with a no-script policy; refuses other paths', async () => {
    tmp = makeTmp();
    const docs = join(tmp.dir, 'docs');
    mkdirSync(join(docs, 'runbooks'), { recursive: true });
    mkdirSync(join(docs, 'postmortems'), { recursive: true });
    writeFileSync(join(docs, 'runbooks', 'service-nginx-service.md'), RUNBOOK);
    writeFileSync(join(docs, 'postmortems', '2026-03-02-nginx.md'), '# Post-mortem: nginx\n');
    writeFileSync(join(tmp.dir, 'secret.md'), '# not a doc\n');
    symlinkSync(join(tmp.dir, 'secret.md'), join(docs, 'runbooks', 'link.md'));
    served = await startServe(tmp.dir);
    const index = await fetch(`${served.url}docs/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    const list = await index.text();
    expect(list).toContain('<a href="/docs/runbooks/service-nginx-service.md">Runbook: service:nginx.service</a>');
    expect(list).toContain('Post-mortem: nginx');
    const page = await (await fetch(`${served.url}docs/runbooks/service-nginx-service.md`)).text();
    expect(page).toContain('<pre><code>journalctl -u nginx.service');
    expect(page).not.toContain('<script>');
    for (const bad of [
      'docs/runbooks/link.md',
      'docs/runbooks/..%2F..%2Fsecret.md',
      'docs/etc/passwd.md',
      'docs/runbooks/missing.md',
    ]) {
      expect((await fetch(`${served.url}${bad}`)).status, bad).toBe(404);
    }
    expect(await (await fetch(served.url)).text()).toContain('<a href="docs/">Runbooks and post-mortems</a>');
  });
});
