// `argus doctor`: check configuration, permissions and reachable tools; say what is missing in plain words.
import { accessSync, constants, existsSync, mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFleetHosts } from '../../fleet/view.js';
import { createLinuxHost } from '../../host/linux.js';
import { RECOVER_DROPIN } from '../../install/plan.js';
import { withUnitType } from '../../model/unit.js';
import { readCycleState } from '../../orchestrator/cycle-state.js';
import { freshInventory } from '../../orchestrator/inventory.js';
import { describeInventory } from '../../host/inventory.js';
import { freshness } from '../../orchestrator/freshness.js';
import { pingHeartbeat } from '../../orchestrator/heartbeat.js';
import { SelfHealthSchema } from '../../orchestrator/self-health.js';
import { readFixedRecord } from '../../state/fixed-record.js';
import { EXIT, type Command } from '../command.js';
import { loadOrExplain, parseFlags } from '../common.js';

type Level = 'ok' | 'warn' | 'fail';
interface Check {
  level: Level;
  what: string;
  detail: string;
}
const MARK: Record<Level, string> = { ok: '✓', warn: '!', fail: '✗' };

const doctor: Command = async (argv, io) => {
  const flags = parseFlags(argv, { json: { type: 'boolean' }, offline: { type: 'boolean' } }, io);
  if (!flags) return EXIT.USAGE;
  const loaded = loadOrExplain(io, flags.values.config);
  if (typeof loaded === 'number') return loaded;
  const { config, paths, configPath, stateFrom } = loaded;
  const host = createLinuxHost();
  const checks: Check[] = [];
  const add = (level: Level, what: string, detail: string) => checks.push({ level, what, detail });

  add(
    'ok',
    'configuration',
    configPath ? `valid (${configPath} + environment)` : 'valid (environment only; no argus.json)',
  );
  add('ok', 'state in use', `${paths.stateDir} (from ${stateFrom})`);
  const inventory = await freshInventory(paths.stateDir, new Date());
  add(
    inventory ? 'ok' : 'warn',
    'host',
    inventory ? describeInventory(inventory) : 'the inventory could not be gathered',
  );

  for (const [what, dir] of [
    ['state directory', paths.stateDir],
    ['log directory', paths.logDir],
  ] as const) {
    try {
      mkdirSync(dir, { recursive: true });
      const probe = join(dir, `.doctor-${process.pid}`);
      writeFileSync(probe, 'x');
      unlinkSync(probe);
      add('ok', what, `${dir} is writable`);
    } catch (error) {
      add(
        'fail',
        what,
        `${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): set ARGUS_STATE_DIR / ARGUS_LOG_DIR or fix permissions`,
      );
    }
  }
  try {
    const s = await host.statfs(paths.stateDir);
    const free = s.blocksAvail * s.blockSize;
    const min = config.thresholds.stateMinFreeMB * 1024 * 1024;
    add(
      free < min ? 'fail' : 'ok',
      'free space for state',
      `${(free / 1024 / 1024).toFixed(0)} MB free (minimum ${config.thresholds.stateMinFreeMB} MB)`,
    );
  } catch {
    add('warn', 'free space for state', 'could not be measured');
  }

  // The fleet view's host links (ARGUS_FLEET_HOSTS): a bad file is said here, not only on the dashboard.
  if (paths.fleetHosts !== null) {
    const hosts = readFleetHosts(paths.fleetHosts);
    add(
      hosts.error ? 'fail' : 'ok',
      'fleet hosts',
      hosts.error ?? `${hosts.hosts.length} host${hosts.hosts.length === 1 ? '' : 's'} in ${paths.fleetHosts}`,
    );
  }

  // The dead-man's switch: is the last cycle recent, and does anyone outside notice when it stops?
  const fresh = freshness(
    readCycleState(paths.cycleState),
    readFixedRecord(paths.selfHealth, SelfHealthSchema),
    config.intervalSec,
    new Date(),
  );
  const freshLevel: Level = fresh.verdict === 'ok' ? 'ok' : fresh.verdict === 'never' ? 'warn' : 'fail';
  add(
    freshLevel,
    'last cycle',
    fresh.verdict === 'never' ? 'none has run yet with this state dir (is argus.timer enabled?)' : fresh.line,
  );
  if (!config.heartbeatUrl)
    add(
      'warn',
      'heartbeat',
      'ARGUS_HEARTBEAT_URL unset: nothing outside this machine notices if Argus stops (see README, "Never silent")',
    );
  else if (flags.values.offline)
    add('ok', 'heartbeat', `${new URL(config.heartbeatUrl).host} (not contacted: --offline)`);
  else {
    // A GET counts as a ping: doctor says so rather than pinging silently.
    let why = '';
    const ok = await pingHeartbeat(globalThis.fetch, config.heartbeatUrl, true, (d) => (why = d));
    add(
      ok ? 'ok' : 'warn',
      'heartbeat',
      ok ? `${new URL(config.heartbeatUrl).host} answered (this check sent one ping)` : why,
    );
  }

  const version = async (file: string, args: string[]) => host.exec(file, args, { timeoutMs: 5000 });
  const systemctl = await version('systemctl', ['is-system-running']);
  const needsSystemd = config.services.length > 0 || config.restartAllowlist.length > 0;
  // `is-system-running` says "offline" (exit 1) when PID 1 is not systemd: that is not running.
  const systemState = systemctl.stdout.trim();
  const systemdUp =
    !systemctl.spawnError && ['running', 'degraded', 'starting', 'initializing', 'maintenance'].includes(systemState);
  if (systemctl.spawnError)
    add(needsSystemd ? 'fail' : 'warn', 'systemctl', 'not installed: services cannot be watched or restarted');
  else if (!systemdUp)
    add(
      needsSystemd ? 'fail' : 'warn',
      'systemd',
      `not running on this machine (${systemState || 'no answer'}; PID 1 is not systemd): services cannot be watched or restarted`,
    );
  else if (systemState === 'degraded')
    add('warn', 'systemd', 'running, degraded: some units failed (`systemctl --failed` lists them)');
  else add('ok', 'systemd', systemState);
  if (config.services.length === 0)
    add('warn', 'watched services', 'none configured: set "services" in argus.json or ARGUS_SERVICES');
  else if (!systemdUp) add('warn', 'watched services', `${config.services.join(', ')}: not checked (no systemd)`);
  else {
    // A misspelt unit would be watched forever as "not found": say so now.
    const missing: string[] = [];
    for (const unit of config.services) {
      const load = await version('systemctl', ['show', '--property=LoadState', '--value', '--', unit]);
      if (load.stdout.trim() !== 'loaded') missing.push(`${unit} (${load.stdout.trim() || 'unknown'})`);
    }
    if (missing.length)
      add(
        'fail',
        'watched services',
        `not found: ${missing.join(', ')} — check the names with \`systemctl list-units --all --type=service\``,
      );
    else add('ok', 'watched services', config.services.join(', '));
    // Installed in timer mode: each watched unit should start a cycle when it fails (argus install writes the drop-ins).
    if (existsSync('/etc/systemd/system/argus.timer')) {
      const without = config.services
        .map(withUnitType)
        .filter((u) => !existsSync(`/etc/systemd/system/${u}.d/${RECOVER_DROPIN}`));
      if (without.length)
        add(
          'warn',
          'recovery drop-ins',
          `missing for ${without.join(', ')}: a failure waits for the next timer tick; run \`argus install\` again`,
        );
      else add('ok', 'recovery drop-ins', 'each watched unit starts a cycle when it fails');
    }
  }
  add(
    config.restartAllowlist.length ? 'ok' : 'warn',
    'restart allowlist',
    config.restartAllowlist.length
      ? config.restartAllowlist.join(', ')
      : 'empty: Argus will alert about dead services but never restart one',
  );

  const tmux = await version('tmux', ['-V']);
  add(
    tmux.spawnError ? 'warn' : 'ok',
    'tmux',
    tmux.spawnError ? 'not installed: agent sessions cannot be listed or killed' : tmux.stdout.trim(),
  );
  for (const sock of config.tmuxSockets)
    add(
      existsSync(sock) ? 'ok' : 'warn',
      'tmux socket',
      existsSync(sock) ? sock : `${sock} does not exist (no server on it yet, or hidden by PrivateTmp)`,
    );
  const bd = await version('bd', ['--version']);
  add(
    bd.spawnError ? 'warn' : 'ok',
    'beads (bd)',
    bd.spawnError
      ? 'not found on PATH: bead requests are kept and retried until it is installed'
      : bd.stdout.trim() || 'found',
  );
  const journal = await version('journalctl', ['--version']);
  add(
    journal.spawnError ? 'warn' : 'ok',
    'journalctl',
    journal.spawnError
      ? 'not installed: diagnostics will lack service logs'
      : (journal.stdout.split('\n')[0] ?? 'found'),
  );

  const { botToken, chatId, apiBase } = config.telegram;
  if (!botToken || !chatId)
    add(
      'warn',
      'telegram',
      `not configured (${!botToken ? 'TELEGRAM_BOT_TOKEN' : ''}${!botToken && !chatId ? ' and ' : ''}${!chatId ? 'TELEGRAM_CHAT_ID' : ''} unset): alerts go to the log and the outbox`,
    );
  else if (flags.values.offline) add('ok', 'telegram', 'configured (not contacted: --offline)');
  else {
    try {
      const res = await fetch(`${apiBase}/bot${botToken}/getMe`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) add('ok', 'telegram', 'bot token accepted; reachable');
      else if (res.status === 401 || res.status === 404)
        add('fail', 'telegram', `the bot token was rejected (${res.status}): check TELEGRAM_BOT_TOKEN`);
      else add('warn', 'telegram', `reachable but answered ${res.status}`);
    } catch {
      add('warn', 'telegram', 'configured but not reachable now: alerts wait in the outbox until it is');
    }
  }
  add(
    config.anthropic.apiKey ? 'ok' : 'warn',
    'model (Anthropic)',
    config.anthropic.apiKey
      ? `key set; model ${config.anthropic.model}`
      : 'ANTHROPIC_API_KEY unset: the deterministic path does the whole job, without model judgement',
  );

  const envFile = '/etc/argus/argus.env';
  if (existsSync(envFile)) {
    const mode = statSync(envFile).mode & 0o777;
    add(
      mode & 0o077 ? 'fail' : 'ok',
      'env file',
      `${envFile} mode ${mode.toString(8)}${mode & 0o077 ? ': readable by others; run chmod 600' : ''}`,
    );
  }
  for (const unit of ['argus.timer', 'argus.service']) {
    const p = `/etc/systemd/system/${unit}`;
    if (existsSync(p)) {
      const enabled = await version('systemctl', ['is-enabled', unit]);
      add(
        enabled.stdout.trim() === 'enabled' || unit === 'argus.service' ? 'ok' : 'warn',
        unit,
        `installed${unit === 'argus.timer' ? `, ${enabled.stdout.trim() || 'state unknown'}` : ''}`,
      );
    }
  }
  // The dashboard service: optional; enabled with `argus install --serve`.
  if (existsSync('/etc/systemd/system/argus-serve.service')) {
    const enabled = (await version('systemctl', ['is-enabled', 'argus-serve.service'])).stdout.trim();
    const active = (await version('systemctl', ['is-active', 'argus-serve.service'])).stdout.trim();
    if (enabled !== 'enabled')
      add(
        'ok',
        'argus-serve.service',
        `installed, ${enabled || 'not enabled'} (the dashboard: \`systemctl enable --now argus-serve.service\`)`,
      );
    else
      add(
        active === 'active' ? 'ok' : 'warn',
        'argus-serve.service',
        active === 'active'
          ? 'enabled, serving on 127.0.0.1:8787 (unless changed)'
          : `enabled but ${active || 'not running'}: \`journalctl -u argus-serve.service\` says why`,
      );
  }
  // The Solicitor's listener: wanted when Telegram approvers are configured (src/solicitor/doctor.ts).
  {
    const unitPath = '/etc/systemd/system/argus-solicitor.service';
    const installed = existsSync(unitPath);
    const state = async (verb: string) =>
      installed ? (await version('systemctl', [verb, 'argus-solicitor.service'])).stdout.trim() : '';
    const { solicitorCheck } = await import('../../solicitor/doctor.js');
    const { ApprovalStore, approvalsDir } = await import('../../state/approvals.js');
    const pending = new ApprovalStore(approvalsDir(paths.stateDir)).list().filter((a) => a.status === 'pending').length;
    const check = solicitorCheck(
      config,
      { installed, enabled: await state('is-enabled'), active: await state('is-active') },
      pending,
    );
    if (check) add(check.level, check.what, check.detail);
  }
  try {
    accessSync(paths.registry, constants.R_OK | constants.W_OK);
    add('ok', 'registry', paths.registry);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      add('ok', 'registry', `${paths.registry} (created by the first cycle)`);
    else add('fail', 'registry', `${paths.registry} is not readable and writable`);
  }

  if (flags.values.json) io.stdout(`${JSON.stringify(checks, null, 2)}\n`);
  else io.stdout(checks.map((c) => `${MARK[c.level]} ${c.what.padEnd(22)} ${c.detail}`).join('\n') + '\n');
  const failed = checks.filter((c) => c.level === 'fail').length;
  if (!flags.values.json)
    io.stdout(
      failed
        ? `\n${failed} problem(s) to fix.\n`
        : '\nNothing blocks Argus from running (warnings say what it cannot do).\n',
    );
  return failed ? EXIT.FAILED : EXIT.OK;
};
export default doctor;
