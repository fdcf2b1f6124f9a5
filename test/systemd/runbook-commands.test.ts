// The commands a generated runbook prints, run on a real systemd (issue 14, "How it is checked"): every read-only
// command runs in the container and exits as the table (EXPECT) says; every command that changes the machine is only
// checked to parse (`bash -n`) and to sit in a step, never in "Confirm"; a command of neither kind fails the test until
// someone classifies it. One container, booted from the cached rootfs the other systemd tests copy, powered off after.
//
// Where the registry comes from: the cycle's own stages, in-process, on what the container really shows. The real
// collector reads the units over nsenter (readServices) and fetches a loopback server (runProbes); the real evaluator,
// router and record writer (evaluate → route → routingRecords) turn that into the detection and transition lines a
// cycle appends. Two things are not real: the disk reading of `/` (the container's `/` is this machine's filesystem,
// which a test must not fill: a 93 % Disk is put in the snapshot, and the disk commands then run against the real `/`),
// and the failed restart attempt (one action line written with `rec`, as the gate would record it). Driving
// `argus once` inside the container was not chosen: it needs a fresh `dist/` and waits a minute between restart attempts.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChronicle } from '../../src/agents/chronicler/chronicle.js';
import { readServices } from '../../src/agents/collector/services.js';
import { runProbes } from '../../src/agents/collector/probes.js';
import { emptyEvaluatorState, evaluate } from '../../src/agents/evaluator/evaluate.js';
import { emptyRouterState, route } from '../../src/agents/router/route.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { execFile } from '../../src/host/exec.js';
import type { ExecResult, Host } from '../../src/host/port.js';
import type { ProblemRecord } from '../../src/model/record.js';
import { historyPoint, recordBase, routingRecords } from '../../src/orchestrator/records.js';
import { rec } from '../support/registry-gen.js';
import { disk, snapshot } from '../support/snapshot.js';
import { bootContainer, systemdAvailable, type Container } from '../support/systemd-container.js';

const UNIT = 'rb-crash.service';
/** A unit name with a typo: systemd has no such unit (the "unit not found" runbook). */
const MISSPELT = 'rb-crsh.service';
/** What the unit prints before it dies: `journalctl -u` must show it. */
const MARKER = 'rb-crash: cannot read /etc/rb-crash.conf';
const OK_FILE = '/run/rb-crash-ok';
/** A unit that runs while its health check fails (the probe's `service`): the probe runbook names it. */
const WEB = 'rb-web.service';
const WEB_TEXT =
  '[Unit]\nDescription=Argus test: the service behind the health check\n[Service]\nExecStart=/bin/sleep infinity\n';
/** Crash-loops (exit 1, Restart=on-failure) until OK_FILE exists; three starts, then systemd leaves it failed. */
const UNIT_TEXT = [
  '[Unit]',
  'Description=Argus test: a service that crash-loops',
  'StartLimitBurst=3',
  'StartLimitIntervalSec=1h',
  '[Service]',
  `ExecStart=/bin/sh -c "test -e ${OK_FILE} && exec sleep infinity; echo '${MARKER}' >&2; exit 1"`,
  'Restart=on-failure',
  'RestartSec=50ms',
  '',
].join('\n');
const INNER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** At least this many read-only commands must have run (the runbooks below print about 15 distinct ones). */
const MIN_RUN = 10;

/*
 * Classification of one simple command (a pipeline is split first; `sudo` is dropped: the container runs as root and
 * has no sudo). READ_ONLY runs; CHANGES is never run. A command in neither list fails the test.
 */
type Words = readonly string[];
const SYSTEMCTL_READ = new Set([
  'status',
  'show',
  'is-active',
  'is-failed',
  'is-enabled',
  'list-units',
  'list-unit-files',
  'list-dependencies',
  'cat',
]);
const SYSTEMCTL_CHANGE = new Set([
  'start',
  'stop',
  'restart',
  'reload',
  'try-restart',
  'kill',
  'edit',
  'revert',
  'daemon-reload',
  'reset-failed',
  'enable',
  'disable',
  'mask',
  'unmask',
]);
const FIND_ACTIONS = /^-(delete|exec|execdir|ok|okdir|fprint|fprint0|fprintf|fls)$/;
const JOURNAL_CHANGE = /^--(vacuum-size|vacuum-time|vacuum-files|rotate|flush|sync|relinquish-var|setup-keys)\b/;
const LOOPBACK_URL = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

const READ_ONLY: Record<string, (args: Words) => boolean> = {
  systemctl: (a) => SYSTEMCTL_READ.has(a.find((w) => !w.startsWith('-')) ?? ''),
  journalctl: (a) => !a.some((w) => JOURNAL_CHANGE.test(w)),
  df: () => true,
  du: () => true,
  findmnt: () => true,
  free: () => true,
  ps: () => true,
  top: (a) => a.includes('-b') && a.includes('-n'),
  ls: () => true,
  cat: () => true,
  grep: () => true,
  head: () => true,
  tail: () => true,
  sort: () => true,
  wc: () => true,
  // A filter: no system(), no output redirection inside the program.
  awk: (a) => a.length === 1 && !/system|>|getline/.test(a[0]!),
  find: (a) => !a.some((w) => FIND_ACTIONS.test(w)),
  // Only a loopback URL, reading: no method, no upload, no output file but /dev/null.
  curl: (a) =>
    a.some((w) => LOOPBACK_URL.test(w)) &&
    !a.some((w) => /^https?:/.test(w) && !LOOPBACK_URL.test(w)) &&
    !a.some((w) => /^(-X|--request|-d|--data.*|-T|--upload-file|-F|--form)$/.test(w)) &&
    a.every((w, i) => !(w === '-o' || w === '--output') || a[i + 1] === '/dev/null'),
};
const CHANGES: Record<string, (args: Words) => boolean> = {
  systemctl: (a) => SYSTEMCTL_CHANGE.has(a.find((w) => !w.startsWith('-')) ?? ''),
  journalctl: (a) => a.some((w) => JOURNAL_CHANGE.test(w)),
  kill: () => true,
  pkill: () => true,
  rm: () => true,
  sudoedit: () => true,
  argus: (a) => ['silence', 'install', 'uninstall'].includes(a[0] ?? ''),
};

/** Words of a simple command, quotes removed (the runbooks print single-quoted words only: runbook-steps.ts shellWord). */
function words(segment: string): string[] {
  return [...segment.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]!)
    .filter((w) => !/^\d?>/.test(w));
}

/**
 * Split a line on `|` outside quotes; null when it holds other shell syntax (`;`, `&&`, `$(`, backticks, a
 * redirection other than `2>/dev/null`): such a line is unknown, never run.
 */
function pipeline(line: string): string[] | null {
  const parts: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '|') {
      parts.push(cur.trim());
      cur = '';
      continue;
    } else if (ch === ';' || ch === '&' || ch === '`' || ch === '\\') return null;
    cur += ch;
  }
  parts.push(cur.trim());
  const unquoted = (p: string) => p.replace(/'[^']*'|"[^"]*"/g, "''").replace(/(^|\s)2>\/dev\/null(?=\s|$)/g, ' ');
  if (quote || parts.some((p) => p === '' || p.includes('$(') || /[<>]/.test(unquoted(p)))) return null;
  return parts;
}

type Kind = 'read-only' | 'changes' | 'unknown';
/** `sudo` dropped: what runs inside the container (as root). */
const unsudo = (segment: string) => segment.replace(/^sudo\s+/, '');

function classify(line: string): Kind {
  const parts = pipeline(line);
  if (!parts) return 'unknown';
  const kinds = parts.map((p): Kind => {
    const [file = '', ...args] = words(unsudo(p));
    if (CHANGES[file]?.(args)) return 'changes';
    if (READ_ONLY[file]?.(args)) return 'read-only';
    return 'unknown';
  });
  if (kinds.includes('unknown')) return 'unknown';
  return kinds.includes('changes') ? 'changes' : 'read-only';
}

const re = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * What each read-only command must do on this container at the time it runs (rb-crash failed again, rb-web running,
 * the loopback server answering 503): the exit code, and text its output must hold. The first matching row applies;
 * a read-only command that no row matches fails the test (add its row).
 *
 * | command (sudo dropped)                          | exit | output holds                               |
 * |-------------------------------------------------|------|--------------------------------------------|
 * | systemctl status rb-crash.service …             | 3    | the unit, "Active: failed"                 |
 * | systemctl is-active rb-crash.service            | 3    | "failed"                                   |
 * | systemctl status rb-web.service …               | 0    | the unit, "Active: active (running)"       |
 * | systemctl cat / list-dependencies <unit>        | 0    | the unit name                              |
 * | systemctl list-unit-files 'rb-crsh*' (no match) | 1    | "0 unit files listed"                      |
 * | systemctl list-unit-files 'rb-c*' (the step)    | 0    | rb-crash.service, the name meant           |
 * | systemctl list-units --all 'rb-crsh*'           | 0    | "0 loaded units listed"                    |
 * | journalctl -u rb-crash.service …                | 0    | the line the unit printed as it died       |
 * | journalctl -u rb-web.service …                  | 0    | systemd's "Started" line for it            |
 * | journalctl --disk-usage                         | 0    | "take up"                                  |
 * | grep -rn rb-crsh /etc/argus/                    | 0    | the typo, in the env file                  |
 * | df -h / · df -i /                               | 0    | a line for "/"                             |
 * | du … / | sort | tail · find /proc/…/fd | head   | 0    | —                                          |
 * | curl … http://127.0.0.1:<port>/health           | 0    | "503 " (the status the server answers)     |
 */
const EXPECT: ReadonlyArray<[RegExp, number, RegExp | null]> = [
  [new RegExp(`^systemctl status ${re(UNIT)} `), 3, new RegExp(`${re(UNIT)}[\\s\\S]*Active: failed`)],
  [new RegExp(`^systemctl is-active ${re(UNIT)}$`), 3, /^failed$/m],
  [new RegExp(`^systemctl status ${re(WEB)} `), 0, new RegExp(`${re(WEB)}[\\s\\S]*Active: active \\(running\\)`)],
  [new RegExp(`^systemctl (cat|list-dependencies) ${re(UNIT)}( |$)`), 0, new RegExp(re(UNIT))],
  [/^systemctl list-unit-files 'rb-crsh\*' /, 1, /0 unit files listed/],
  // The step "Find the real name of the unit" must find it: units that start like the misspelt name.
  [/^systemctl list-unit-files 'rb-c\*' /, 0, new RegExp(`^${re(UNIT)} `, 'm')],
  [/^systemctl list-units --all 'rb-crsh\*' /, 0, /0 loaded units listed/],
  [new RegExp(`^journalctl -u ${re(UNIT)} `), 0, new RegExp(re(MARKER))],
  [new RegExp(`^journalctl -u ${re(WEB)} `), 0, /Started rb-web\.service/],
  [/^journalctl --disk-usage$/, 0, /take up/],
  [
    new RegExp(`^grep -rn ${re(MISSPELT.replace('.service', ''))} /etc/argus/$`),
    0,
    new RegExp(`argus\\.env:1:.*${re(MISSPELT.replace('.service', ''))}`),
  ],
  [/^df -[hi] \/$/, 0, /\s\/$/m],
  [/^du -xh --max-depth=2 \/ 2>\/dev\/null \| sort -h \| tail -n 15$/, 0, null],
  [/^find \/proc\/\[0-9\]\*\/fd /, 0, null],
  [/^curl /, 0, /^503 /],
];

interface Found {
  doc: string;
  section: string;
  line: string;
  kind: Kind;
}

describe.skipIf(!systemdAvailable())('the commands a generated runbook prints, on a real systemd', () => {
  let c: Container;
  let server: Server;
  let status = 503;
  let url = '';
  let root = '';
  const commands: Found[] = [];
  const docs = new Map<string, string>();

  const sh = async (file: string, ...args: string[]) => {
    const r = await c.exec(file, args, { timeoutMs: 30_000 });
    if (r.failed) throw new Error(`${file} ${args.join(' ')} → ${r.exitCode}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const prop = async (name: string) => (await sh('systemctl', 'show', `--property=${name}`, '--value', UNIT)).trim();
  /** Start the unit without the OK file and wait until systemd gives up on it (start limit): ActiveState failed. */
  const breakUnit = async () => {
    await sh('rm', '-f', OK_FILE);
    await c.exec('systemctl', ['reset-failed', UNIT]);
    await c.exec('systemctl', ['restart', UNIT]);
    while ((await prop('ActiveState')) !== 'failed') await new Promise((r) => setTimeout(r, 50));
  };
  /** One line, as an operator pastes it: through bash inside the container (sudo dropped: root, no sudo there). */
  const runInside = (line: string): Promise<ExecResult> => {
    const parts = pipeline(line)!.map(unsudo);
    const script = parts.join(' | ');
    // curl is not in the container's rootfs: it runs from this machine inside the container's network namespace,
    // so it reaches exactly the loopback the container sees.
    if (parts.some((p) => p.startsWith('curl '))) {
      return execFile(
        'nsenter',
        ['-t', String(c.pid), '-n', '--', 'env', '-i', `PATH=${INNER_PATH}`, 'bash', '-c', script],
        { timeoutMs: 20_000, env: { PATH: process.env.PATH } },
      );
    }
    return c.exec('bash', ['-c', script], { timeoutMs: 30_000 });
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'argus-runbook-commands-'));
    server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok\n' : 'unavailable\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;

    c = await bootContainer({ name: 'argus-runbook' });
    await c.writeFile(`/etc/systemd/system/${UNIT}`, UNIT_TEXT);
    await c.writeFile(`/etc/systemd/system/${WEB}`, WEB_TEXT);
    // The configuration the "unit not found" runbook tells you to grep for the typo.
    await c.writeFile(
      '/etc/argus/argus.env',
      `ARGUS_SERVICES=${UNIT.replace('.service', '')},${MISSPELT.replace('.service', '')}\n`,
      0o600,
    );
    await sh('systemctl', 'daemon-reload');
    await sh('systemctl', 'start', WEB);
    await breakUnit();

    // Cycles, 5 minutes apart, ending 5 minutes ago: two with everything failing, then healthy ones until the router
    // resolves the incidents (the typo stays open: that unit never exists).
    const config = ConfigSchema.parse({
      services: [UNIT, MISSPELT, WEB],
      restartAllowlist: [UNIT],
      probes: [{ name: 'rb-health', url, timeoutMs: 2000, service: WEB }],
    });
    const host = { exec: c.exec, fetch: globalThis.fetch } as Pick<Host, 'exec' | 'fetch'> as Host;
    const t0 = Date.now() - (2 + config.resolveAfterCycles) * 5 * 60_000;
    let evaluator = emptyEvaluatorState();
    let router = emptyRouterState();
    const records: ProblemRecord[] = [];
    const history: string[] = [];
    const cycleOnce = async (i: number, diskPct: number) => {
      const ts = new Date(t0 + i * 5 * 60_000);
      const cycleId = `cycle-${i}`;
      const snap = snapshot({
        ts: ts.toISOString(),
        host: 'rb-host',
        services: await readServices(host, config.services, 10_000),
        probes: await runProbes(host, config.probes),
        disks: [disk('/', diskPct)],
      });
      const e = evaluate(snap, evaluator, config);
      evaluator = e.state;
      const r = route(e.findings, router, { now: ts, config, silences: [], seen: null });
      router = r.state;
      records.push(...routingRecords(r.decisions, r.resolved, recordBase(ts.toISOString(), 'rb-host', cycleId)));
      history.push(JSON.stringify(historyPoint(snap, cycleId, e.findings.length, 40)));
      return r.decisions;
    };
    const first = await cycleOnce(0, 93);
    // The gate's record of Argus's restart attempt, which failed (the unit crashed again).
    const incident = first.find((d) => d.identity === `service:${UNIT}`)?.incidentId ?? null;
    records.push(
      rec(t0 + 60_000, {
        kind: 'action',
        type: 'service',
        severity: 'critical',
        identity: `service:${UNIT}`,
        incident_id: incident,
        host: 'rb-host',
        cycle_id: 'cycle-0',
        description: `restart ${UNIT}: still failed after the restart`,
        action_taken: `restart_service:${UNIT}`,
        action_result: 'failure',
      }),
    );
    await cycleOnce(1, 93);
    // Fixed: the unit stays up, the server answers 200, the disk is back under the threshold.
    await sh('touch', OK_FILE);
    await sh('systemctl', 'reset-failed', UNIT);
    await sh('systemctl', 'start', UNIT);
    status = 200;
    for (let i = 2; i < 2 + config.resolveAfterCycles; i++) await cycleOnce(i, 50);
    // And broken again, as a person finds it at 3 am when they open the runbook.
    status = 503;
    await breakUnit();

    const registryPath = join(root, 'problems.jsonl');
    const historyPath = join(root, 'history.jsonl');
    writeFileSync(registryPath, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(historyPath, history.join('\n') + '\n');
    mkdirSync(join(root, 'state'));
    const out = join(root, 'docs');
    const result = await runChronicle({
      registryPath,
      historyPath,
      since: new Date(t0 - 3_600_000),
      until: new Date(Date.now() + 60_000),
      outDir: out,
      statePath: join(root, 'state', 'chronicle_state.json'),
    });
    const md = new MarkdownIt();
    for (const d of result.written.docs.filter((x) => x.path.startsWith('runbooks/'))) {
      const text = readFileSync(join(out, d.path), 'utf8');
      docs.set(d.path, text);
      const tokens = md.parse(text, {});
      let section = '';
      for (const [i, t] of tokens.entries()) {
        if (t.type === 'heading_open' && t.tag === 'h2') section = tokens[i + 1]?.content ?? '';
        if (t.type !== 'fence' || !['sh', 'bash'].includes(t.info.trim())) continue;
        for (const line of t.content.split('\n').filter((l) => l.trim()))
          commands.push({ doc: d.path, section, line, kind: classify(line) });
      }
    }
  }, 120_000);

  afterAll(async () => {
    await c?.stop();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('writes a runbook for the unit, the typo, the disk and the probe, with commands to check', () => {
    expect([...docs.keys()].sort()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/rb-crash-service/),
        expect.stringMatching(/rb-crsh-service/),
        expect.stringMatching(/disk-root/),
        expect.stringMatching(/rb-health/),
      ]),
    );
    expect(commands.length).toBeGreaterThan(MIN_RUN);
  });

  it('every command is classified: read-only (run) or changes the machine (not run)', () => {
    expect(commands.filter((x) => x.kind === 'unknown').map((x) => `${x.doc}: ${x.line}`)).toEqual([]);
  });

  it('names the real unit, URL and mount: no placeholder', () => {
    const all = commands.map((x) => x.line);
    expect(all.filter((l) => /<[a-z][a-z _-]*>/i.test(l))).toEqual([]);
    expect(all.some((l) => l.includes(UNIT))).toBe(true);
    expect(all.some((l) => l.includes(WEB))).toBe(true);
    expect(all.some((l) => l.includes(url))).toBe(true);
    for (const x of commands.filter(
      (y) => y.doc.includes('rb-crash-service') && /systemctl|journalctl -u/.test(y.line),
    ))
      expect(x.line, x.line).toContain(UNIT);
    for (const x of commands.filter((y) => y.doc.includes('rb-health') && /systemctl|journalctl -u/.test(y.line)))
      expect(x.line, x.line).toContain(WEB);
    for (const x of commands.filter((y) => y.doc.includes('disk-root') && /^(sudo )?(df|du)\b/.test(y.line)))
      expect(x.line, x.line).toMatch(/ \/( |$)/);
  });

  it('the commands that change the machine parse and sit in the steps, never in Confirm', () => {
    const changes = commands.filter((x) => x.kind === 'changes');
    expect(changes.length).toBeGreaterThan(5);
    expect(
      changes.filter((x) => !x.section.startsWith('Steps')).map((x) => `${x.doc} (${x.section}): ${x.line}`),
    ).toEqual([]);
    for (const x of changes) {
      expect(
        spawnSync('bash', ['-n'], { input: `${x.line}\n`, stdio: ['pipe', 'ignore', 'ignore'] }).status,
        x.line,
      ).toBe(0);
    }
    const lines = changes.map((x) => x.line);
    expect(lines).toEqual(
      expect.arrayContaining([
        `sudo systemctl restart ${UNIT}`,
        `sudo systemctl restart ${WEB}`,
        'sudo journalctl --vacuum-size=500M',
        'sudoedit /etc/argus/argus.env',
        'sudo argus install',
      ]),
    );
  });

  it('the "unit not found" runbook finds the unit that was meant: a step lists it by a shorter prefix', async () => {
    const find = commands.filter(
      (x) =>
        x.doc.includes('rb-crsh-service') &&
        x.section.startsWith('Steps') &&
        x.line.startsWith('systemctl list-unit-files '),
    );
    expect(find).not.toEqual([]);
    const outputs = await Promise.all(find.map((x) => runInside(x.line)));
    expect(outputs.map((r) => r.stdout).join('\n')).toContain(UNIT);
  });

  it('every read-only command runs in the container and exits as expected', async () => {
    const readOnly = [...new Map(commands.filter((x) => x.kind === 'read-only').map((x) => [x.line, x])).values()];
    const problems: string[] = [];
    const ran: string[] = [];
    for (const x of readOnly) {
      const inside = pipeline(x.line)!.map(unsudo).join(' | ');
      const row = EXPECT.find(([re]) => re.test(inside));
      if (!row) {
        problems.push(`${x.doc}: no expectation for \`${inside}\` (add a row to EXPECT)`);
        continue;
      }
      const r = await runInside(x.line);
      ran.push(inside);
      const [, code, output] = row;
      if (r.exitCode !== code)
        problems.push(
          `${x.doc}: \`${inside}\` exited ${r.exitCode} (expected ${code}): ${(r.stderr || r.stdout).slice(0, 300)}`,
        );
      else if (output && !output.test(r.stdout))
        problems.push(`${x.doc}: \`${inside}\` printed no ${output}: ${r.stdout.slice(0, 300)}`);
    }
    console.info(
      `[runbook commands] ran ${ran.length} read-only commands in the container; ${commands.filter((x) => x.kind === 'changes').length} that change the machine checked with bash -n only`,
    );
    expect(problems).toEqual([]);
    expect(ran.length).toBeGreaterThanOrEqual(MIN_RUN);
    for (const kind of [/^systemctl status /, /^journalctl -u /, /^df /, /^curl /])
      expect(
        ran.some((l) => kind.test(l)),
        String(kind),
      ).toBe(true);
  }, 90_000);
});

describe('the classification of runbook commands', () => {
  it.each([
    // A placeholder is a redirection to bash (`< unit`): never run.
    ['journalctl -u <unit> -n 100 --no-pager', 'unknown'],
    ['journalctl -u x.service -n 100 --no-pager', 'read-only'],
    ['sudo systemctl restart x.service', 'changes'],
    ['systemctl status x.service; rm -rf /', 'unknown'],
    ['systemctl status $(pgrep -o -x node)', 'unknown'],
    ['sudo journalctl --vacuum-size=500M', 'changes'],
    ['curl -sS https://example.com/', 'unknown'],
    ['find / -name x -delete', 'unknown'],
    ['mkfs.ext4 /dev/sda1', 'unknown'],
    ['cat /etc/hostname > /etc/passwd', 'unknown'],
    ['awk \'{ print > "/tmp/x" }\' /etc/hostname', 'unknown'],
    ['systemctl status x.service && systemctl restart x.service', 'unknown'],
    ["curl -sS -o /tmp/page 'http://127.0.0.1:8080/'", 'unknown'],
    ["curl -sS -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:8080/health", 'read-only'],
    ['df -h / 2>/dev/null', 'read-only'],
    ['sudo du -xh --max-depth=2 / 2>/dev/null | sort -h | tail -n 15', 'read-only'],
  ] as const)('classifies %j as %s', (line, kind) => {
    expect(classify(line)).toBe(kind);
  });
});
