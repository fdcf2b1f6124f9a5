// The chronicler's runbooks and post-mortems as MCP resources, through a real SDK client: every document the chronicle
// wrote is listed with its title and read back as markdown; nothing else is (no traversal, no symlink, no FIFO).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { runChronicle } from '../../src/agents/chronicler/chronicle.js';
import { z } from 'zod';
import { createServer } from '../../src/mcp/server.js';
import { READ_ONLY } from '../../src/tools/define.js';
import type { ToolDef } from '../../src/tools/tool.js';
import { generateWeek } from '../support/registry-gen.js';
import { makeTmp } from '../support/tmp.js';

let tmp: ReturnType<typeof makeTmp>;
let docs: string;
let written: string[];
let client: Client | undefined;

beforeAll(async () => {
  tmp = makeTmp();
  const week = generateWeek(tmp.dir);
  docs = join(tmp.dir, 'docs');
  const r = await runChronicle({ ...week, outDir: docs, statePath: join(tmp.dir, 'chronicle_state.json') });
  written = r.written.docs.map((d) => d.path).sort();
  // What is not the chronicler's: a symlink out, a FIFO, a directory named like a document, a file of another kind.
  writeFileSync(join(tmp.dir, 'secret.md'), '# secret\nnot a runbook');
  symlinkSync(join(tmp.dir, 'secret.md'), join(docs, 'runbooks', 'evil.md'));
  execFileSync('mkfifo', [join(docs, 'runbooks', 'fifo.md')]);
  mkdirSync(join(docs, 'runbooks', 'dir.md'));
  writeFileSync(join(docs, 'runbooks', 'notes.txt'), 'x');
}, 60_000);
afterAll(() => tmp.cleanup());
afterEach(async () => {
  await client?.close();
  client = undefined;
});

/** One tool: the SDK wants at least one to register the tools capability. */
const PING: ToolDef = {
  name: 'get_ping',
  title: 'Ping',
  description: 'pong',
  input: z.strictObject({}),
  annotations: { title: 'Ping', ...READ_ONLY },
  run: async () => ({ pong: true }),
};

async function connect(docsDirs?: string[]): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createServer([PING], docsDirs ? { docsDirs } : {}).connect(serverSide);
  client = new Client({ name: 'resources-test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

describe('runbooks and post-mortems as MCP resources', () => {
  it('lists every document the chronicle wrote, with a title from its first heading, and nothing else', async () => {
    const c = await connect([docs]);
    const { resources } = await c.listResources();
    expect(written.filter((p) => p.startsWith('runbooks/')).length).toBeGreaterThanOrEqual(3);
    expect(written.some((p) => p.startsWith('postmortems/'))).toBe(true);
    expect(resources.map((r) => r.uri).sort()).toEqual(written.map((p) => `argus://${p}`));
    const nginx = resources.find((r) => r.uri === 'argus://runbooks/service-nginx-service.md')!;
    const heading = /^# (.*)$/m.exec(readFileSync(join(docs, 'runbooks/service-nginx-service.md'), 'utf8'))![1];
    expect(nginx).toMatchObject({
      name: 'runbooks/service-nginx-service.md',
      title: heading,
      mimeType: 'text/markdown',
    });
    expect(heading).toMatch(/nginx/);
  });

  it('reads a document back as markdown, byte for byte', async () => {
    const c = await connect([docs]);
    for (const path of written) {
      const r = await c.readResource({ uri: `argus://${path}` });
      expect(r.contents).toEqual([
        { uri: `argus://${path}`, mimeType: 'text/markdown', text: readFileSync(join(docs, path), 'utf8') },
      ]);
    }
  });

  it.each([
    ['a symlink out of the docs dir', 'argus://runbooks/evil.md'],
    ['a FIFO', 'argus://runbooks/fifo.md'],
    ['a directory', 'argus://runbooks/dir.md'],
    ['another kind of file', 'argus://runbooks/notes.txt'],
    ['a missing document', 'argus://runbooks/nope.md'],
    ['an encoded traversal', 'argus://runbooks/..%2F..%2Fsecret.md'],
    ['a dot-dot path', 'argus://runbooks/../secret.md'],
    ['an encoded NUL', 'argus://runbooks/a%00.md'],
    ['another folder', 'argus://state/problems.jsonl'],
    ['a look-alike folder', 'argus://runbooks.evil/service-nginx-service.md'],
    ['a huge name', `argus://runbooks/${'a'.repeat(5000)}.md`],
  ])('refuses %s', async (_what, uri) => {
    const c = await connect([docs]);
    await expect(c.readResource({ uri })).rejects.toThrow(/no such document|not found/);
  });

  it('serves nothing when the server has no docs dir, and an empty list when the chronicle has not run', async () => {
    await expect((await connect()).listResources()).rejects.toThrow();
    await client!.close();
    const empty = join(tmp.dir, 'empty');
    mkdirSync(empty);
    expect((await (await connect([empty])).listResources()).resources).toEqual([]);
  });
});
