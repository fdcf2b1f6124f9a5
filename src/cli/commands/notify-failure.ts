// `argus notify-failure <unit>`: run by systemd's OnFailure= (argus-failure@.service) when an Argus unit failed.
// It must work when everything else is broken — invalid configuration, a full disk — so it reads only the
// environment's Telegram settings, writes nothing it needs, and sends one message straight away.
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { isSafeApiBase } from '../../config/api-base.js';
import { sendDirect, type TelegramTarget } from '../../notify/direct.js';
import { EXIT, type Command } from '../command.js';
import { parseFlags } from '../common.js';

/** A failed cycle that reached its own self-health step has already told a person (see self-health.ts). */
const HANDLED_WITHIN_MS = 10 * 60_000;
/** At most one notice per unit per hour: a unit that fails at every timer tick must not page every 5 minutes. */
const NOTICE_EVERY_MS = 3_600_000;

const UNIT = /^[A-Za-z0-9:_.\\@-]{1,200}$/;

function telegramFromEnv(env: Record<string, string | undefined>): TelegramTarget | null {
  const botToken = env.TELEGRAM_BOT_TOKEN?.trim();
  const chatId = env.TELEGRAM_CHAT_ID?.trim();
  if (!botToken || !chatId) return null;
  const apiBase = env.TELEGRAM_API_BASE?.trim() || 'https://api.telegram.org';
  return isSafeApiBase(apiBase) ? { botToken, chatId, apiBase } : null;
}

const readJson = (path: string): Record<string, unknown> | null => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
};

const notifyFailure: Command = async (argv, io) => {
  const flags = parseFlags(argv, {}, io, true);
  if (!flags) return EXIT.USAGE;
  const unit = flags.positionals[0] ?? io.env.MONITOR_UNIT;
  if (!unit || !UNIT.test(unit)) {
    io.stderr("argus: notify-failure needs the failed unit's name, e.g. `argus notify-failure argus.service`\n");
    return EXIT.USAGE;
  }
  const env = io.env;
  const stateDir = env.ARGUS_STATE_DIR || join(io.cwd, 'state');
  const now = new Date();
  // systemd ≥ 251 tells an OnFailure= unit how the monitored unit ended.
  const result = env.MONITOR_SERVICE_RESULT;
  const exit = env.MONITOR_EXIT_STATUS;
  const self = readJson(join(stateDir, 'self_health.json'));
  const lastAttempt = typeof self?.lastAttemptAt === 'string' ? Date.parse(self.lastAttemptAt) : NaN;
  if (result === 'exit-code' && exit === '1' && now.getTime() - lastAttempt < HANDLED_WITHIN_MS) {
    io.stdout(`${unit} failed with a failed cycle: Argus's own self-alert reports it (no second message)\n`);
    return EXIT.OK;
  }
  const stampPath = join(stateDir, 'notify_failure.json');
  const stamps = readJson(stampPath) ?? {};
  const last = typeof stamps[unit] === 'string' ? Date.parse(stamps[unit]) : NaN;
  if (now.getTime() - last < NOTICE_EVERY_MS) {
    io.stdout(`${unit} failed again; a notice went out at ${String(stamps[unit])} (at most one an hour)\n`);
    return EXIT.OK;
  }
  const how = [result && `result ${result}`, exit && `exit status ${exit}`].filter(Boolean).join(', ');
  const text = [
    `Argus unit ${unit} failed${how ? ` (${how})` : ''}: this host may not be watched.`,
    `What to do: \`journalctl -u ${unit} -n 50\`, then \`argus doctor\`.`,
  ].join('\n');
  const host = env.ARGUS_HOSTNAME?.trim() || osHostname();
  const sent = await sendDirect(
    { fetch: globalThis.fetch, telegram: telegramFromEnv(env), hostname: host, now: () => now },
    {
      id: `unit-failed:${unit}:${now.toISOString()}`,
      ts: now.toISOString(),
      severity: 'critical',
      text,
      identity: 'self:unit-failed',
    },
  );
  if (sent.status === 'sent') {
    try {
      writeFileSync(stampPath, `${JSON.stringify({ ...stamps, [unit]: now.toISOString() })}\n`, { mode: 0o600 });
    } catch {
      // No stamp (a full disk): the next failure sends again, which is the safe side.
    }
    io.stdout(`sent: ${unit} failed\n`);
    return EXIT.OK;
  }
  io.stderr(`argus: could not tell anyone that ${unit} failed: ${sent.detail}\n${text}\n`);
  return sent.status === 'logged' ? EXIT.OK : EXIT.FAILED;
};
export default notifyFailure;
