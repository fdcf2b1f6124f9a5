// The Telegram listener: long polling (getUpdates with a timeout, messages and callback queries only), the offset
// persisted before an update is handled (a restart never handles one twice), back-off while Telegram is down. Between
// polls it sends waiting approval requests, expires old ones and finishes message edits Telegram missed. A new request
// file wakes it at once (the long poll is cut; updates not yet confirmed by the offset are delivered again).
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { safeText } from '../agents/executor/sanitise.js';
import type { Log } from '../log.js';
import {
  answerCallbackQuery,
  editMessageText,
  getUpdates,
  sendReply,
  sendWithButtons,
  type BotApiOptions,
  type TgUpdate,
  type TgUser,
} from '../notify/telegram-api.js';
import { readJsonState, writeJsonAtomic } from '../state/atomic.js';
import type { Approval, ApprovalStore, Person } from '../state/approvals.js';
import { parseCommand, runCommand, type CommandDeps } from './commands.js';
import { authorised, decidePress, expire, record, type DecideDeps } from './decide.js';
import { buttons, decidedText, requestText } from './messages.js';

const OffsetSchema = z.object({ offset: z.number().int().min(0), updatedAt: z.string() });

export interface ListenerDeps {
  api: BotApiOptions;
  store: ApprovalStore;
  decide: DecideDeps;
  commands: CommandDeps;
  log: Log;
  hostname: string;
  /** `<state>/telegram_offset.json`. */
  offsetPath: string;
  /** Long-poll timeout, s (Telegram allows up to 50). */
  pollTimeoutSec?: number;
  /** Back-off after a failed poll: doubles from min to max, ms. */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Keep decided approvals this long before their files go (their records stay), ms. */
  keepDecidedMs?: number;
}

export interface Listener {
  /** Poll until `signal` aborts. Never throws for Telegram trouble. */
  run(signal: AbortSignal): Promise<void>;
  /** Send waiting requests, expire old ones, finish pending edits. */
  sweep(): Promise<void>;
  /** Handle one update as delivered (the offset is the caller's). */
  handle(update: TgUpdate | { update_id: number; malformed: true }): Promise<void>;
  /** Cut the current long poll (a new request is waiting). */
  wake(): void;
  /** Polls that failed in a row (0 while Telegram answers). */
  readonly failures: number;
}

export function displayName(user: TgUser): string {
  const name =
    [user.first_name, user.last_name].filter(Boolean).join(' ') ||
    (user.username ? `@${user.username}` : '') ||
    String(user.id);
  return safeText(name, 64);
}

const person = (user: TgUser): Person => ({ id: String(user.id), name: displayName(user) });

export function createListener(deps: ListenerDeps): Listener {
  const pollTimeoutSec = deps.pollTimeoutSec ?? 25;
  const minMs = deps.backoffMinMs ?? 1000;
  const maxMs = deps.backoffMaxMs ?? 60_000;
  const keepMs = deps.keepDecidedMs ?? 7 * 86_400_000;
  const now = () => deps.decide.now();
  let offset = readJsonState(deps.offsetPath, OffsetSchema.nullable(), () => null)?.offset ?? 0;
  let failures = 0;
  let poll: AbortController | null = null;
  let woken = false;
  let lastPrune = 0;
  /** Requests already seen by a sweep: only a new one wakes the poll (our own rewrites must not). */
  const known = new Set<string>();

  const saveOffset = (next: number): void => {
    offset = next;
    writeJsonAtomic(deps.offsetPath, { offset, updatedAt: now().toISOString() });
  };

  async function edit(a: Approval): Promise<void> {
    if (!a.message) return;
    const r = await editMessageText(deps.api, a.message.messageId, decidedText(a, deps.hostname));
    if (r.ok) deps.store.write({ ...a, editPending: false });
    else deps.log.warn({ approval: a.id, detail: r.detail }, 'could not edit the approval message; trying again later');
  }

  async function sweep(): Promise<void> {
    const t = now();
    for (const a of deps.store.list()) {
      known.add(a.id);
      try {
        if (a.status === 'pending' && Date.parse(a.expiresAt) <= t.getTime()) {
          const expired = expire(deps.decide, a, t);
          if (expired) {
            record(
              deps.decide,
              t,
              expired,
              null,
              'skipped',
              `approval ${a.id} expired at ${a.expiresAt}: nobody answered; nothing was done`,
              { approval: a.id, expired: true },
            );
            if (expired.editPending) await edit(expired);
          }
        } else if (a.status === 'pending' && a.message === null) {
          const r = await sendWithButtons(deps.api, requestText(a, deps.hostname), buttons(a));
          const fresh = deps.store.get(a.id) ?? a;
          if (r.ok && typeof r.result?.message_id === 'number')
            deps.store.write({ ...fresh, message: { chatId: deps.api.target.chatId, messageId: r.result.message_id } });
          else {
            deps.store.write({ ...fresh, sendAttempts: fresh.sendAttempts + 1 });
            deps.log.warn(
              { approval: a.id, detail: r.ok ? 'no message id' : r.detail },
              'could not send an approval request; trying again',
            );
          }
        } else if (a.editPending && a.message) {
          await edit(a);
        }
      } catch (error) {
        deps.log.error({ approval: a.id, err: (error as Error).message }, 'approval sweep failed for one request');
      }
    }
    if (t.getTime() - lastPrune > 3_600_000) {
      lastPrune = t.getTime();
      deps.store.prune(t, keepMs);
    }
  }

  async function onCallback(cq: NonNullable<TgUpdate['callback_query']>): Promise<void> {
    const press = { chatId: String(cq.message?.chat.id ?? ''), user: person(cq.from), data: cq.data ?? '' };
    const outcome = await decidePress(deps.decide, press);
    const answered = await answerCallbackQuery(deps.api, cq.id, outcome.answer);
    if (!answered.ok) deps.log.warn({ detail: answered.detail }, 'could not answer a button press');
    if (outcome.edited?.editPending) await edit(outcome.edited);
  }

  async function onMessage(m: NonNullable<TgUpdate['message']>): Promise<void> {
    const command = m.text ? parseCommand(m.text) : null;
    if (!command) return; // conversation in the chat is not for Argus
    const chatId = String(m.chat.id);
    const who = m.from ? person(m.from) : { id: '?', name: '?' };
    const auth = authorised(deps.decide.config, chatId, who.id);
    if (!auth.ok) {
      // Nothing useful goes back to a stranger; the attempt is recorded.
      record(
        deps.decide,
        now(),
        null,
        { chatId, user: who, data: `/${command.name}` },
        'refused',
        `command /${safeText(command.name, 32)} refused: ${auth.why}`,
        { chat: safeText(chatId, 40), command: safeText(command.name, 32) },
      );
      return;
    }
    const reply = await runCommand(deps.commands, command.name, command.args, who);
    const r = await sendReply(deps.api, reply, m.message_id);
    if (!r.ok) deps.log.warn({ detail: r.detail }, 'could not answer a command');
  }

  async function handle(update: TgUpdate | { update_id: number; malformed: true }): Promise<void> {
    if ('malformed' in update) return;
    try {
      if (update.callback_query) await onCallback(update.callback_query);
      else if (update.message) await onMessage(update.message);
    } catch (error) {
      deps.log.error({ update: update.update_id, err: (error as Error).message }, 'could not handle a Telegram update');
    }
  }

  const pause = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });

  async function run(signal: AbortSignal): Promise<void> {
    let watcher: FSWatcher | null = null;
    try {
      mkdirSync(deps.store.dir, { recursive: true });
      watcher = watch(deps.store.dir, (_event, name) => {
        const file = name ? String(name) : '';
        if (/^[A-Za-z0-9_-]{16}\.json$/.test(file) && !known.has(file.slice(0, 16))) wakeUp();
      });
      watcher.on('error', () => undefined);
    } catch (error) {
      deps.log.warn(
        { err: (error as Error).message },
        'cannot watch the approvals directory: new requests wait for the next poll',
      );
    }
    try {
      while (!signal.aborted) {
        await sweep();
        if (signal.aborted) break;
        poll = new AbortController();
        const stop = (): void => poll?.abort();
        signal.addEventListener('abort', stop, { once: true });
        woken = false;
        const r = await getUpdates(deps.api, offset, pollTimeoutSec, poll.signal);
        signal.removeEventListener('abort', stop);
        poll = null;
        if (!r.ok) {
          if (signal.aborted || woken) continue;
          failures++;
          const wait = Math.min(maxMs, minMs * 2 ** Math.min(failures - 1, 20));
          deps.log.warn({ detail: r.detail, failures, retryInMs: wait }, 'Telegram getUpdates failed; backing off');
          await pause(wait, signal);
          continue;
        }
        if (failures) deps.log.info({ after: failures }, 'Telegram answers again');
        failures = 0;
        for (const update of r.result) {
          if (update.update_id < offset) continue;
          // Confirmed before it is handled: after a crash an update is lost (a person presses again), never done twice.
          saveOffset(update.update_id + 1);
          await handle(update);
        }
      }
    } finally {
      watcher?.close();
    }
  }

  function wakeUp(): void {
    woken = true;
    poll?.abort();
  }

  return {
    run,
    sweep,
    handle,
    wake: wakeUp,
    get failures() {
      return failures;
    },
  };
}

/** Where the listener keeps its offset. */
export const offsetFile = (stateDir: string): string => join(stateDir, 'telegram_offset.json');
