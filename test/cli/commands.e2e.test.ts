// The command line as an operator meets it (built CLI): help everywhere, completion, a closed pipe, strict filters,
// a truthful doctor, an install plan that shows what it would write.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_HELP, COMMON_FLAGS } from '../../src/cli/help.js';
import { generateRegistry } from '../support/registry-gen.js';
import { makeTmp } from '../support/tmp.js';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');

function argus(args: string[], env: Record<string, string> = {}, cwd = tmp?.dir ?? ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp: ReturnType<typeof makeTmp> | undefined;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build`');
});
afterEach(() => {
  tmp?.cleanup();
  tmp = undefined;
});

/** The option names a command really parses, read from its source (the `parseFlags(argv, { … })` table). */
function parsedFlags(command: string): string[] {
  const src = readFileSync(join(ROOT, 'src/cli/commands', `${command}.ts`), 'utf8');
  const call = src.slice(src.indexOf('parseFlags('));
  const table = call.slice(0, call.indexOf('io'));
  return [...table.matchAll(/'?([a-z][a-z-]*)'?: \{ type: '(?:boolean|string)'/g)]
    .map((m) => m[1]!)
    .filter((n) => n !== 'help');
}

describe('help everywhere', () => {
  it.each(Object.keys(COMMAND_HELP))('`argus %s --help` exits 0 and lists every flag the command parses', (name) => {
    const r = argus([name, '--help']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`^usage: argus ${name}`));
    const listed = COMMAND_HELP[name]!.flags.map((f) => f.name);
    if (existsSync(join(ROOT, 'src/cli/commands', `${name}.ts`)))
      expect(listed.sort()).toEqual(parsedFlags(name).sort());
    for (const f of [...listed, ...COMMON_FLAGS.map((c) => c.name)]) expect(r.stdout).toContain(`--${f}`);
    expect(argus([name, '-h']).stdout).toBe(r.stdout);
    expect(argus(['help', name]).stdout).toBe(r.stdout);
  });

  it('the top-level help names every command; no command and an unknown one are usage errors', () => {
    const r = argus(['--help']);
    expect(r.code).toBe(0);
    for (const name of Object.keys(COMMAND_HELP)) expect(r.stdout).toContain(`  ${name} `);
    expect(argus([]).code).toBe(2);
    const unknown = argus(['onec']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "onec"');
  });
});

describe('shell completion', () => {
  const complete = (words: string[]) => {
    const script = argus(['completion', 'bash']).stdout;
    const file = join(tmp!.dir, 'argus.bash');
    writeFileSync(file, script);
    const cword = words.length - 1;
    const r = spawnSync(
      'bash',
      [
        '-c',
        `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${cword}; _argus; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: 'utf8' },
    );
    return r.stdout.trim().split('\n');
  };
  it("bash completes commands and each command's flags", () => {
    tmp = makeTmp();
    expect(complete(['argus', 'st'])).toEqual(['status', 'stats']);
    expect(complete(['argus', 'problems', '--ki'])).toEqual(['--kind']);
    expect(complete(['argus', 'status', '--ch'])).toEqual(['--check']);
  });
  it('zsh script parses (when zsh is installed); an unknown shell is a usage error', () => {
    const zsh = argus(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef argus/);
    const which = spawnSync('zsh', ['-n'], { input: zsh.stdout, encoding: 'utf8' });
    if (!which.error) expect(which.status, which.stderr).toBe(0);
    expect(argus(['completion', 'fish']).code).toBe(2);
  });
});

describe('a reader that goes away', () => {
  it('`argus problems --limit 500 | head -1` ends quietly', async () => {
    tmp = makeTmp();
    const state = join(tmp.dir, 'state');
    mkdirSync(state);
    const now = Date.now();
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({
        ts: new Date(now - i * 1000).toISOString(),
        severity: 'info',
        type: 'disk',
        description: `record ${i} ${'x'.repeat(200)}`,
        action_taken: null,
        action_result: null,
        bead_id: null,
        host: 'h',
        kind: 'detection',
        identity: 'disk:/',
        incident_id: null,
        source: 'rule',
        cycle_id: null,
        details: {},
      }),
    );
    writeFileSync(join(state, 'problems.jsonl'), `${lines.join('\n')}\n`);
    const child = spawn(process.execPath, [CLI, 'problems', '--limit', '500'], {
      cwd: tmp.dir,
      env: { PATH: process.env.PATH ?? '', ARGUS_STATE_DIR: state },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head -1`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('strict filters', () => {
  it.each([
    [['--type', 'servce'], /--type "servce" is not one of: disk, memory, swap, cpu, service/],
    [['--kind', 'actions'], /--kind "actions" is not one of: detection, decision, transition, action/],
  ])('problems %j is a usage error listing the valid values', (args, message) => {
    tmp = makeTmp();
    const r = argus(['problems', ...args], { ARGUS_STATE_DIR: join(tmp.dir, 'state') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--identity takes a glob', () => {
    tmp = makeTmp();
    const state = join(tmp.dir, 'state');
    mkdirSync(state);
    const rec = (identity: string) =>
      JSON.stringify({
        ts: new Date().toISOString(),
        severity: 'warning',
        type: identity.split(':')[0],
        description: identity,
        action_taken: null,
        action_result: null,
        bead_id: null,
        host: 'h',
        kind: 'detection',
        identity,
        incident_id: null,
        source: 'rule',
        cycle_id: null,
        details: {},
      });
    writeFileSync(
      join(state, 'problems.jsonl'),
      [rec('service:nginx.service'), rec('service:db.service'), rec('disk:/')].join('\n') + '\n',
    );
    const r = argus(['problems', '--identity', 'service:*', '--json'], { ARGUS_STATE_DIR: state });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ identity: string }>).map((x) => x.identity)).toEqual([
      'service:nginx.service',
      'service:db.service',
    ]);
  });
});

describe('a truthful doctor', () => {
  it.skipIf(existsSync('/run/systemd/system'))(
    'without systemd as PID 1: systemd is ✗ when services are watched, and no ✓ for an unchecked unit',
    () => {
      tmp = makeTmp();
      const r = argus(['doctor', '--offline'], {
        ARGUS_STATE_DIR: join(tmp.dir, 'state'),
        ARGUS_SERVICES: 'openclaw-gateway',
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✗ systemd\s+not running on this machine/);
      expect(r.stdout).not.toMatch(/✓ systemd/);
      expect(r.stdout).not.toMatch(/✓ watched services/);
      expect(r.stdout).toMatch(/! last cycle\s+none has run yet/);
      expect(r.stdout).toMatch(/! heartbeat\s+ARGUS_HEARTBEAT_URL unset/);
    },
  );
});

describe('install --dry-run', () => {
  it('shows the content of every file it would write, and writes nothing', () => {
    tmp = makeTmp();
    const root = join(tmp.dir, 'root');
    const r = argus(['install', '--dry-run', '--root', root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/would create .*argus\.service \(mode 0644\)\n(\s+\| .*\n)+/);
    expect(r.stdout).toContain('      | ExecStart=');
    expect(r.stdout).toContain('      | OnFailure=argus-failure@%n.service');
    expect(existsSync(root)).toBe(false);
  });
});

describe('progress on a terminal, nothing on a pipe', () => {
  const scenario = join(ROOT, 'scenarios/admin-stopped-service.json');
  it('simulate shows "scenario n of N" on a pseudo-terminal (script), and nothing on stderr through a pipe', () => {
    const piped = argus(['simulate', scenario]);
    expect(piped.stderr).toBe('');
    // script(1) gives the command a pseudo-terminal, as an operator's shell would.
    const tty = spawnSync('script', ['-qec', `${process.execPath} ${CLI} simulate ${scenario}`, '/dev/null'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (tty.error) return; // no script(1): nothing to check here
    expect(tty.stdout).toContain('scenario 1 of 1: admin-stopped-service');
  });

  it('chronicle counts the registry records it reads on a terminal, and says nothing on a pipe', () => {
    tmp = makeTmp();
    const state = join(tmp.dir, 'state');
    mkdirSync(state);
    const end = Date.now();
    generateRegistry(join(state, 'problems.jsonl'), 45_000, end);
    const args = ['chronicle', '--since', '60d', '--dry-run', '--no-publish', '--out', join(tmp.dir, 'docs')];
    const piped = argus(args, { ARGUS_STATE_DIR: state });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toBe('');
    const tty = spawnSync('script', ['-qec', [process.execPath, CLI, ...args].join(' '), '/dev/null'], {
      cwd: tmp.dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp.dir, ARGUS_STATE_DIR: state },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (tty.error) return;
    expect(tty.stdout).toContain('chronicle: registry records read: 40,000');
  }, 150_000);
});
