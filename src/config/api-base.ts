// Where Argus may send its Telegram bot token: the rule for TELEGRAM_API_BASE (config) and notify-failure (env only).

/** 127.0.0.0/8, ::1 and localhost, as a URL's hostname gives them (IPv6 in brackets) or bare. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The Bot API base: https, or plain http on loopback only (a test's fake Bot API), because the token travels in the
 * URL's path. No query or fragment: `<base>/bot<token>/<method>` would put the token in them.
 */
export function isSafeApiBase(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

export const API_BASE_FORM =
  'an https:// URL (http:// only on loopback: 127.0.0.0/8, ::1 or localhost), without ? or #';
