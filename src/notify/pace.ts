// Pace requests to Telegram: one p-queue per chat at the Bot API's documented rates; a 429 holds that chat's queue.
import type PQueue from 'p-queue';

/**
 * The Bot API FAQ (core.telegram.org/bots/faq, "My bot is hitting limits, how do I avoid this?"): "If you're sending
 * notifications to a single chat, avoid sending more than one message per second" — starts at least this far apart.
 */
export const CHAT_INTERVAL_MS = 1000;
/** The same FAQ: "your bot will not be able to send more than 20 messages per minute to the same group". */
export const GROUP_MESSAGES_PER_WINDOW = 20;
export const GROUP_WINDOW_MS = 60_000;

export interface PaceOptions {
  /** Least time between two requests to one chat, ms (tests make it small). */
  chatIntervalMs?: number;
  /** At most `groupMessages` requests to one group or channel in any `groupWindowMs`. */
  groupMessages?: number;
  groupWindowMs?: number;
}

/** A request that did not get its turn in time: nothing was sent. */
export class NoTurnError extends Error {
  constructor(
    readonly chatId: string,
    /** Until when Telegram asked us to wait (epoch ms), or 0 when the wait was only our own pacing. */
    readonly heldUntil: number,
  ) {
    super(
      heldUntil
        ? `Telegram asked to wait until ${new Date(heldUntil).toISOString()}`
        : 'no turn to send within the time budget',
    );
    this.name = 'NoTurnError';
  }
}

export interface TelegramPacer {
  /**
   * Run `task` (one Bot API request to this chat) in the chat's turn. Rejects with NoTurnError when the turn has not
   * come within `waitMs`; once the task has started it is never abandoned (a request in flight may be delivered).
   */
  run<T>(chatId: string, task: () => Promise<T>, waitMs: number): Promise<T>;
  /** Telegram answered 429 with `retry_after`: no request to this chat starts for `ms` (a longer hold wins). */
  hold(chatId: string, ms: number): void;
}

/** setTimeout's largest delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A group, supergroup or channel: a negative id or a @channelusername. */
const isGroup = (chatId: string): boolean => /^\s*[-@]/.test(chatId);

interface Lane {
  /** Starts at most one request per chat interval (a sliding window: no burst at a window's edge). */
  perChat: PQueue;
  /** Groups only: the per-minute window, in front of the per-chat one. */
  perGroup: PQueue | null;
  heldUntil: number;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * One pacer per process, shared by everything that sends to Telegram (the cycle's delivery, self-alerts), so their
 * requests to a chat queue behind each other. p-queue is loaded on the first send: a healthy cycle never pays for it.
 */
export function createTelegramPacer(options: PaceOptions = {}): TelegramPacer {
  const chatIntervalMs = options.chatIntervalMs ?? CHAT_INTERVAL_MS;
  const groupMessages = options.groupMessages ?? GROUP_MESSAGES_PER_WINDOW;
  const groupWindowMs = options.groupWindowMs ?? GROUP_WINDOW_MS;
  const lanes = new Map<string, Lane>();
  let module: Promise<typeof import('p-queue')> | null = null;

  const applyHold = (lane: Lane, until: number): void => {
    if (until <= lane.heldUntil) return;
    lane.heldUntil = until;
    lane.perChat.pause();
    if (lane.timer) clearTimeout(lane.timer);
    // Unref'd: a hold alone does not keep a finished process alive; a request waiting for it has its own timer.
    lane.timer = setTimeout(
      () => {
        lane.timer = null;
        lane.perChat.start();
      },
      Math.min(until - Date.now(), MAX_TIMER_MS),
    );
    lane.timer.unref();
  };

  async function laneFor(chatId: string): Promise<Lane> {
    const existing = lanes.get(chatId);
    if (existing) return existing;
    const { default: Queue } = await (module ??= import('p-queue'));
    const raced = lanes.get(chatId);
    if (raced) return raced;
    const interval = (gap: number, cap: number): PQueue =>
      new Queue({ concurrency: 1, interval: Math.max(1, gap), intervalCap: cap, strict: true });
    const lane: Lane = {
      perChat: interval(chatIntervalMs, 1),
      perGroup: isGroup(chatId) ? interval(groupWindowMs, groupMessages) : null,
      heldUntil: 0,
      timer: null,
    };
    lanes.set(chatId, lane);
    return lane;
  }

  return {
    async run<T>(chatId: string, task: () => Promise<T>, waitMs: number): Promise<T> {
      const lane = await laneFor(chatId);
      const controller = new AbortController();
      // Ref'd on purpose: a request waiting for its turn keeps the process alive until it runs or gives up.
      const timer = setTimeout(
        () => controller.abort(new NoTurnError(chatId, lane.heldUntil > Date.now() ? lane.heldUntil : 0)),
        Math.max(0, waitMs),
      );
      const { signal } = controller;
      const started = (): Promise<T> => {
        clearTimeout(timer);
        return task();
      };
      const inLane = (): Promise<T> => lane.perChat.add(started, { signal });
      try {
        return await (lane.perGroup ? lane.perGroup.add(inLane, { signal }) : inLane());
      } finally {
        clearTimeout(timer);
      }
    },
    hold(chatId: string, ms: number): void {
      // Only a chat that was sent to can be held (a 429 answers a request that ran in its lane).
      const lane = lanes.get(chatId);
      if (lane && ms > 0) applyHold(lane, Date.now() + Math.min(ms, MAX_TIMER_MS));
    },
  };
}
