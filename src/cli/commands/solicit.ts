// `argus solicit`: the Solicitor's Telegram listener (long polling) until SIGTERM/SIGINT. Run by argus-solicitor.service.
import { EXIT, type Command } from '../command.js';
import { cycleRuntime, parseFlags } from '../common.js';

const solicit: Command = async (argv, io) => {
  const flags = parseFlags(argv, { 'dry-run': { type: 'boolean' }, 'poll-timeout': { type: 'string' } }, io);
  if (!flags) return EXIT.USAGE;
  const pollTimeoutSec = flags.values['poll-timeout'] === undefined ? undefined : Number(flags.values['poll-timeout']);
  if (
    pollTimeoutSec !== undefined &&
    !(Number.isInteger(pollTimeoutSec) && pollTimeoutSec >= 1 && pollTimeoutSec <= 50)
  ) {
    io.stderr('argus: --poll-timeout must be a whole number of seconds from 1 to 50\n');
    return EXIT.USAGE;
  }
  const built = await cycleRuntime(io, flags.values.config, flags.values['dry-run']);
  if (typeof built === 'number') return built;
  const { loaded, log, rt } = built;
  const { telegram } = loaded.config;
  if (!telegram.botToken || !telegram.chatId || telegram.approvers.length === 0) {
    io.stderr(
      'argus: solicit needs TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID and at least one approver (telegram.approvers in argus.json, or TELEGRAM_APPROVERS)\n',
    );
    return EXIT.USAGE;
  }
  const { createSolicitor } = await import('../../solicitor/compose.js');
  const listener = createSolicitor(rt, { pollTimeoutSec });
  const stop = new AbortController();
  const onSignal = (signal: string): void => {
    log.info({ signal }, 'argus solicit: stopping');
    stop.abort();
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  log.info({ chat: telegram.chatId, approvers: telegram.approvers.length }, 'argus solicit: listening');
  await listener.run(stop.signal);
  return EXIT.OK;
};
export default solicit;
