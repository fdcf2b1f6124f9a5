// End to end: the built `argus` CLI on this machine, in a temp state dir, as a user would run it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotSchema } from '../../src/model/snapshot.js';
import { ProblemRecordSchema } from '../../src/model/record.js';
import { makeTmp } from '../support/tmp.js';

const CLI = resolve(__dirname, '../../dist/cli.js');

// Every cycle here runs on this real machine, so always in dry-run: a test must never kill, restart or clean
// anything it did not create (the --dry-run flag in a test only makes that explicit).
function argus(args: string[], env: Record<string, string>, cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ARGUS_DRY_RUN: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp: ReturnType<typeof makeTmp>;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
});
afterEach(() => tmp?.cleanup());

describe('argus once (built CLI)', () => {
  it('runs a cycle on this machine, prints the report and writes valid state', () => {
    tmp = makeTmp();
    const state = join(tmp.dir, 'state');
    const first = argus(['once'], { ARGUS_STATE_DIR: state }, tmp.dir);
    expect(first.stderr).not.toMatch(/Error|TypeError/);
    expect(first.code).toBe(0);
    for (const section of [
      'Health',
      'memory',
      'swap',
      'disks',
      'cpu/load',
      'services',
      'processes',
      'tmux',
      'probes',
      'Findings',
    ])
      expect(first.stdout).toContain(section);

    const snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(join(state, 'snapshot.json'), 'utf8')));
    expect(snapshot.memory?.totalBytes).toBeGreaterThan(0);
    expect(snapshot.disks?.length).toBeGreaterThan(0);
    const cycle = JSON.parse(readFileSync(join(state, 'cycle_state.json'), 'utf8'));
    expect(cycle).toMatchObject({ lastOk: true, consecutiveFailures: 0, cyclesTotal: 1 });

    // The second cycle has a previous sample: CPU busy % is measured, history has two points.
    const second = argus(['once', '--json'], { ARGUS_STATE_DIR: state }, tmp.dir);
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.snapshot.cpu.utilPct).toEqual(expect.any(Number));
    expect(readFileSync(join(state, 'history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);

    const status = argus(['status'], { ARGUS_STATE_DIR: state }, tmp.dir);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Last cycle ${report.cycleId}`);
  });

  it('records a finding, decides, and in --dry-run only says what it would do', () => {
    tmp = makeTmp();
    const state = join(tmp.dir, 'state');
    // A threshold every real disk crosses: the disk rule must fire on the first cycle.
    writeFileSync(
      join(tmp.dir, 'argus.json'),
      JSON.stringify({ thresholds: { disk: { fire: 1, clear: 1 } }, confirmCycles: { disk: 1 } }),
    );
    const r = argus(['once', '--dry-run', '--fail-on', 'warning'], { ARGUS_STATE_DIR: state }, tmp.dir);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/disk:\//);
    expect(r.stdout).toContain('What would be done');
    // It says what it would send, and does not claim a delivery it did not make.
    expect(r.stdout).toMatch(/alert +dry_run +would send \((warning|critical)\): .*Disk \//);
    expect(r.stdout).not.toMatch(/would alert alert:/);
    expect(r.stdout).toMatch(/Alerts: none sent \(dry run\); \d+ would be sent/);
    expect(r.stdout).not.toContain('nothing to send');
    const records = readFileSync(join(state, 'problems.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => ProblemRecordSchema.parse(JSON.parse(l)));
    const detection = records.find((x) => x.kind === 'detection' && x.identity?.startsWith('disk:'));
    expect(detection).toMatchObject({ type: 'disk', source: 'rule', bead_id: null });
    const clean = records.find((x) => x.action_taken?.startsWith('clean_disk'));
    expect(clean?.action_result).toBe('dry_run');
    // The registry is what jq reads.
    const jq = spawnSync('jq', ['-c', 'select(.kind == "detection") | .identity', join(state, 'problems.jsonl')], {
      encoding: 'utf8',
    });
    if (jq.error === undefined) expect(jq.stdout).toContain('"disk:');
    const problems = argus(['problems', '--type', 'disk', '--json'], { ARGUS_STATE_DIR: state }, tmp.dir);
    expect(JSON.parse(problems.stdout).length).toBeGreaterThan(0);
  });

  it('refuses invalid configuration with exit 2, naming the key, and writes nothing', () => {
    tmp = makeTmp();
    const state = join(tmp.dir, 'state');
    const r = argus(['once'], { ARGUS_STATE_DIR: state, ARGUS_INTERVAL: 'often' }, tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ARGUS_INTERVAL = "often"; expected a whole number');
    expect(existsSync(state)).toBe(false);
  });

  it('exits 3 without doing anything while another cycle holds the lock', async () => {
    tmp = makeTmp();
    const state = join(tmp.dir, 'state');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(()=>{}, 60000)']);
    try {
      argus(['silence', 'disk:*', '--for', '1h'], { ARGUS_STATE_DIR: state }, tmp.dir); // creates the state dir
      writeFileSync(join(state, 'argus.lock'), `${holder.pid}\n`);
      const r = argus(['once'], { ARGUS_STATE_DIR: state }, tmp.dir);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`another cycle is running (pid ${holder.pid})`);
      expect(existsSync(join(state, 'cycle_state.json'))).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('silences, lists, and keeps recording silenced findings', () => {
    tmp = makeTmp();
    const state = join(tmp.dir, 'state');
    writeFileSync(
      join(tmp.dir, 'argus.json'),
      JSON.stringify({ thresholds: { disk: { fire: 1, clear: 1 } }, confirmCycles: { disk: 1 } }),
    );
    const s = argus(['silence', 'disk', '--for', '2h', '--reason', 'maintenance'], { ARGUS_STATE_DIR: state }, tmp.dir);
    expect(s.code).toBe(0);
    expect(argus(['silence', '--list'], { ARGUS_STATE_DIR: state }, tmp.dir).stdout).toMatch(
      /disk:\*\s+until .*maintenance/,
    );
    expect(argus(['silence', 'disk', '--for', 'soon'], { ARGUS_STATE_DIR: state }, tmp.dir).code).toBe(2);
    const r = argus(['once', '--dry-run', '--json'], { ARGUS_STATE_DIR: state }, tmp.dir);
    const report = JSON.parse(r.stdout);
    const disk = report.decisions.find((d: { identity: string }) => d.identity.startsWith('disk:'));
    expect(disk).toMatchObject({ notify: false });
    expect(disk.silencedBy).toMatch(/^s-/);
    const recs = readFileSync(join(state, 'problems.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(recs.some((x) => x.kind === 'detection' && x.action_result === 'silenced')).toBe(true);
  });

  it('doctor says what is missing in plain words', () => {
    tmp = makeTmp();
    const r = argus(['doctor', '--offline'], { ARGUS_STATE_DIR: join(tmp.dir, 'state') }, tmp.dir);
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).toMatch(/✓ configuration/);
    expect(r.stdout).toMatch(/telegram\s+not configured \(TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID unset\)/);
    expect(r.stdout).toMatch(/model \(Anthropic\)\s+ANTHROPIC_API_KEY unset/);
  });
});
