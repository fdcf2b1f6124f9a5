// get_runbook: the runbooks the chronicle wrote, served back to the RCA, the planner's RCA and Athena (MCP).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runChronicle } from '../../../../src/agents/chronicler/chronicle.js';
import { readTools } from '../../../../src/agents/rca/tools.js';
import { generateWeek } from '../../../support/registry-gen.js';
import { toolSandbox, type ToolSandbox } from '../../../tools/harness.js';

let box: ToolSandbox;
afterEach(() => box?.cleanup());

async function call(input: unknown): Promise<Record<string, unknown>> {
  const def = readTools(box.deps).find((t) => t.name === 'get_runbook')!;
  expect(def.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  return def.run(def.input.parse(input), { source: 'llm' });
}

async function chronicle(): Promise<string> {
  const week = generateWeek(box.dir);
  const outDir = join(box.dir, 'docs');
  await runChronicle({ ...week, outDir, statePath: box.paths.chronicleState });
  return outDir;
}

describe('get_runbook', () => {
  it('says plainly that no chronicle has run yet', async () => {
    box = toolSandbox();
    expect(await call({ identity: 'service:nginx.service' })).toMatchObject({
      found: false,
      reason: expect.stringMatching(/argus chronicle. has not run/),
      known: [],
    });
  });

  it('gives what worked before, the known causes and the steps; then the notes a person wrote', async () => {
    box = toolSandbox();
    const docs = await chronicle();
    const nginx = await call({ identity: 'service:nginx.service' });
    expect(nginx).toMatchObject({
      found: true,
      file: join(docs, 'runbooks/service-nginx-service.md'),
      worked: 'Of 28 closed incidents: a restart by Argus fixed 28.',
      notes: null,
    });
    expect(nginx.steps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          title: 'Read why it stopped',
          run: ['journalctl -u nginx.service -n 100 --no-pager'],
        }),
      ]),
    );
    const api = await call({ identity: 'service:api.service' });
    expect(api.incidents).toEqual([
      expect.objectContaining({ lasted: '50 min', cause: expect.stringContaining('port 8080 already in use') }),
    ]);

    const file = join(docs, 'runbooks/service-nginx-service.md');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /_Notes written here[^\n]*/,
        'The 03:00 crash is the log shipper rotating under nginx; restart is safe.',
      ),
    );
    expect((await call({ identity: 'service:nginx.service' })).notes).toBe(
      'The 03:00 crash is the log shipper rotating under nginx; restart is safe.',
    );
  });

  it('lists the identities that have a runbook when asked for another', async () => {
    box = toolSandbox();
    await chronicle();
    expect(await call({ identity: 'service:redis.service' })).toMatchObject({
      found: false,
      known: ['disk:/', 'service:api.service', 'service:nginx.service'],
      knownCount: 3,
    });
  });
});
