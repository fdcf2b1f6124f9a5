// The shipped fleet configuration, checked by the engines themselves: promtool checks and unit-tests the rules and
// the example Prometheus config; amtool checks the Alertmanager config and where its routes send each kind of alert.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTmp } from '../support/tmp.js';

const DEPLOY = resolve(__dirname, '../../deploy');
const has = (bin: string) => spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0;
const run = (bin: string, args: string[], cwd?: string) =>
  spawnSync(bin, args, { encoding: 'utf8', cwd, timeout: 60_000 });

let tmp: ReturnType<typeof makeTmp> | undefined;
afterEach(() => {
  tmp?.cleanup();
  tmp = undefined;
});

describe.skipIf(!has('promtool'))('shipped Prometheus rules (promtool)', () => {
  it('check rules: 5 rules, no errors', () => {
    const r = run('promtool', ['check', 'rules', join(DEPLOY, 'prometheus/argus.rules.yml')]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS: 5 rules found');
  });

  it('test rules: each alert fires when the rule says, with its labels and runnable annotations, and not before', () => {
    const r = run('promtool', ['test', 'rules', 'argus.rules.test.yml'], join(DEPLOY, 'prometheus'));
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
  });

  it('a broken rule fails the unit tests (the tests can fail)', () => {
    tmp = makeTmp();
    writeFileSync(
      join(tmp.dir, 'argus.rules.yml'),
      readFileSync(join(DEPLOY, 'prometheus/argus.rules.yml'), 'utf8').replace('> 900', '> 90000'),
    );
    copyFileSync(join(DEPLOY, 'prometheus/argus.rules.test.yml'), join(tmp.dir, 'argus.rules.test.yml'));
    const r = run('promtool', ['test', 'rules', 'argus.rules.test.yml'], tmp.dir);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/alertname: ArgusStopped/);
  });

  it('the example prometheus.yml is valid and loads the rules', () => {
    tmp = makeTmp();
    writeFileSync(join(tmp.dir, 'token'), 'x'.repeat(32));
    writeFileSync(
      join(tmp.dir, 'prometheus.yml'),
      readFileSync(join(DEPLOY, 'prometheus/prometheus.yml'), 'utf8').replace(
        '/etc/prometheus/argus-token',
        join(tmp.dir, 'token'),
      ),
    );
    copyFileSync(join(DEPLOY, 'prometheus/argus.rules.yml'), join(tmp.dir, 'argus.rules.yml'));
    const r = run('promtool', ['check', 'config', join(tmp.dir, 'prometheus.yml')]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('1 rule files found');
  });
});

describe.skipIf(!has('amtool'))('shipped Alertmanager config (amtool)', () => {
  const config = () => {
    tmp = makeTmp();
    writeFileSync(join(tmp.dir, 'token'), 'x'.repeat(32));
    const path = join(tmp.dir, 'alertmanager.yml');
    writeFileSync(
      path,
      readFileSync(join(DEPLOY, 'alertmanager/alertmanager.yml'), 'utf8').replace(
        '/etc/alertmanager/argus-token',
        join(tmp.dir, 'token'),
      ),
    );
    return path;
  };

  it('is valid: a route, 2 inhibit rules, 1 receiver', () => {
    const r = run('amtool', ['check-config', config()]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 inhibit rules/);
  });

  it('routes an incident and a stopped Argus to the fleet receiver', () => {
    const path = config();
    for (const labels of [
      ['alertname=ArgusIncident', 'host=web-1', 'identity=disk:/'],
      ['alertname=ArgusStopped', 'host=web-2'],
    ]) {
      const r = run('amtool', ['config', 'routes', 'test', `--config.file=${path}`, ...labels]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('argus-fleet');
    }
  });

  it("sends to argus serve's fleet receiver on loopback, resolutions too; the token block for another address, uncommented, is valid", () => {
    const shipped = readFileSync(join(DEPLOY, 'alertmanager/alertmanager.yml'), 'utf8');
    expect(shipped).toMatch(
      /webhook_configs:\n\s+- url: http:\/\/127\.0\.0\.1:8787\/alertmanager\n\s+send_resolved: true\n/,
    );
    // On loopback nothing is asked: the authorization block is shipped commented.
    expect(shipped).toMatch(
      /\n\s+# http_config:\n\s+# {3}authorization:\n\s+# {5}credentials_file: \/etc\/alertmanager\/argus-token\n/,
    );
    const path = config();
    const uncommented = readFileSync(path, 'utf8').replace(
      /# (http_config:)\n(\s+)# ( {2}authorization:)\n(\s+)# ( {4}credentials_file: )/,
      '$1\n$2$3\n$4$5',
    );
    expect(uncommented).toMatch(/\n {8}http_config:\n {10}authorization:\n {12}credentials_file: \S+token\n/);
    writeFileSync(path, uncommented);
    const r = run('amtool', ['check-config', path]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    // The check reads the block: a second credential beside the file is refused.
    writeFileSync(path, uncommented.replace(/( +)(credentials_file: \S+\n)/, '$1$2$1credentials: inline-secret\n'));
    const both = run('amtool', ['check-config', path]);
    expect(both.status).not.toBe(0);
    expect(both.stdout + both.stderr).toMatch(/at most one of authorization credentials & credentials_file/);
  });
});
