// What a cycle needs beyond Deps: the gate every action passes, and the ports for tickets and restart health.
import type { Gate } from '../agents/executor/action.js';
import type { Deps } from './deps.js';

export interface BeadPort {
  /** Retry bead requests kept while `bd` was missing or failing. */
  retryPending(): Promise<void>;
  /** The open bead of an identity, if Argus filed one (from its cache). */
  openBead(identity: string): string | null;
  /** Close the open bead of an identity when its incident resolves; returns the closed bead id, if any. */
  resolve(identity: string, reason: string): Promise<string | null>;
}

export interface RestartHealthPort {
  /** A watched unit was seen healthy: lets the restart backoff counter reset after an hour of health. */
  markHealthy(unit: string, now: Date): Promise<void> | void;
  /** A watched unit was seen down: its healthy run (if any) is over. */
  markDown(unit: string): Promise<void> | void;
}

export interface Runtime extends Deps {
  gate: Gate;
  beads: BeadPort | null;
  restarts: RestartHealthPort | null;
  /** Flush the cycle's buffered alerts as one message per chat. */
  flushAlerts(): Promise<import('../notify/notifier.js').DeliveryReport | null>;
}
