// Per-cycle action budgets: at most N attempts of each action per cycle, whatever the caller asks.
import type { ActionName } from '../../model/action.js';

export type Budgets = Record<ActionName, number>;

export const DEFAULT_BUDGETS: Budgets = {
  restart_service: 3,
  kill_pid: 5,
  kill_tmux: 3,
  clean_disk: 1,
  alert: 20,
  log: 50,
  create_bead: 5,
};

/** Callers outside a cycle (MCP, CLI) get the same numbers per rolling window of this length. */
export const ROLLING_WINDOW_MS = 5 * 60 * 1000;

/** Cycles remembered; older ones are dropped (a cycle id is never reused). */
const MAX_CYCLES = 16;

export interface BudgetVerdict {
  allowed: boolean;
  limit: number;
  used: number;
}

/**
 * In-memory budget ledger owned by one gate. `take` checks and consumes in one synchronous step, so
 * concurrent requests cannot both pass the last slot.
 */
export class BudgetLedger {
  private readonly perCycle = new Map<string, Map<ActionName, number>>();
  private readonly window = new Map<ActionName, number[]>();
  private readonly budgets: Budgets;

  constructor(
    budgets: Partial<Budgets> = {},
    private readonly now: () => Date,
  ) {
    this.budgets = { ...DEFAULT_BUDGETS, ...budgets };
  }

  take(action: ActionName, cycleId: string | null): BudgetVerdict {
    const limit = this.budgets[action];
    if (cycleId === null) return this.takeWindow(action, limit);
    let counts = this.perCycle.get(cycleId);
    if (!counts) {
      counts = new Map();
      this.perCycle.set(cycleId, counts);
      while (this.perCycle.size > MAX_CYCLES) {
        const oldest = this.perCycle.keys().next().value;
        if (oldest === undefined) break;
        this.perCycle.delete(oldest);
      }
    }
    const used = counts.get(action) ?? 0;
    if (used >= limit) return { allowed: false, limit, used };
    counts.set(action, used + 1);
    return { allowed: true, limit, used: used + 1 };
  }

  private takeWindow(action: ActionName, limit: number): BudgetVerdict {
    const nowMs = this.now().getTime();
    const recent = (this.window.get(action) ?? []).filter((t) => nowMs - t < ROLLING_WINDOW_MS);
    if (recent.length >= limit) {
      this.window.set(action, recent);
      return { allowed: false, limit, used: recent.length };
    }
    recent.push(nowMs);
    this.window.set(action, recent);
    return { allowed: true, limit, used: recent.length };
  }
}
