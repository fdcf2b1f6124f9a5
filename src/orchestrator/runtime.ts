// What a cycle needs beyond Deps: the gate every action passes, and the ports for tickets and restart health.
import type { Gate } from '../agents/executor/action.js';
import type { DirectResult } from '../notify/direct.js';
import type { AlertMessage } from '../notify/notifier.js';
import type { Deps } from './deps.js';
import type { SelfHealth } from './self-health.js';

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
  /** The wall clock was set back: move stored attempt times back by `ms`. */
  shift(ms: number): Promise<void> | void;
}

export interface Runtime extends Deps {
  gate: Gate;
  beads: BeadPort | null;
  restarts: RestartHealthPort | null;
  /** Send one message straight to the channel, outside the cycle's buffer (Argus's own failures). Never throws. */
  sendDirect(alert: AlertMessage): Promise<DirectResult>;
  /** Argus's own health as last seen by this process (`argus run` keeps counting when no file can be written). */
  selfMemory: { health: SelfHealth | null };
  /** Flush the cycle's buffered alerts as one message per chat. */
  flushAlerts(): Promise<import('../notify/notifier.js').DeliveryReport | null>;
}
