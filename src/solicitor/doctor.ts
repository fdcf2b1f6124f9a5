// `argus doctor`'s view of the Solicitor: is someone listening for the approvals Argus may ask for? Pure (a table test).
import type { Config } from '../config/schema.js';

export interface SolicitorUnitState {
  installed: boolean;
  /** `systemctl is-enabled` / `is-active` answers ('' when unknown). */
  enabled: string;
  active: string;
}

export interface DoctorCheck {
  level: 'ok' | 'warn' | 'fail';
  what: string;
  detail: string;
}

export function solicitorCheck(config: Config, unit: SolicitorUnitState, pendingRequests: number): DoctorCheck | null {
  const what = 'argus-solicitor.service';
  const { botToken, chatId, approvers } = config.telegram;
  const wanted = Boolean(botToken && chatId && approvers.length);
  if (!wanted) {
    if (approvers.length)
      return {
        level: 'warn',
        what,
        detail:
          'telegram.approvers is set but Telegram is not configured (TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID): nobody is asked',
      };
    return unit.installed && unit.enabled === 'enabled'
      ? {
          level: 'warn',
          what,
          detail: 'enabled, but no approvers are configured (telegram.approvers): it has nothing to do',
        }
      : null;
  }
  const waiting = pendingRequests ? `; ${pendingRequests} approval request(s) waiting` : '';
  if (!unit.installed)
    return {
      level: 'warn',
      what,
      detail: `approvers are configured but the listener is not installed: run \`argus install\` (approval requests are asked and expire unanswered)${waiting}`,
    };
  if (unit.enabled !== 'enabled')
    return {
      level: 'warn',
      what,
      detail: `installed, ${unit.enabled || 'not enabled'}: \`systemctl enable --now argus-solicitor.service\`${waiting}`,
    };
  if (unit.active !== 'active')
    return {
      level: 'warn',
      what,
      detail: `enabled but ${unit.active || 'not running'}: \`journalctl -u argus-solicitor.service\` says why${waiting}`,
    };
  return { level: 'ok', what, detail: `listening for ${approvers.length} approver(s) in chat ${chatId}${waiting}` };
}
