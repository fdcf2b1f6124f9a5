// When the fleet receiver tells someone: a pure function of (what it remembers of the group, this notification, now).
// A retry of a notification (same group, status, alerts and their statuses) is never told twice; a group that starts
// firing gets a message and a bead; a change in what fires gets a message and a comment; the end closes the bead.
import { createHash } from 'node:crypto';
import type { GroupRecord } from './group-state.js';
import type { Webhook } from './webhook-schema.js';

/** What identifies a notification: a retry by Alertmanager has the same facts. */
export interface NotificationFacts {
  groupKey: string;
  status: 'firing' | 'resolved';
  /** Hash of the group key, the status and every alert's fingerprint with its status. */
  key: string;
  /** Fingerprints of the firing alerts, sorted. */
  firing: string[];
}

export type BeadStep = 'open' | 'comment' | 'close';

export interface ReceiverPlan {
  /** `duplicate`: a retry, nothing to do; `act`: tell (message and/or bead); `quiet`: remember, tell nobody. */
  verdict: 'duplicate' | 'act' | 'quiet';
  message: boolean;
  bead: BeadStep | null;
  /** The group as remembered after this notification. */
  group: GroupRecord;
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The group's id in the state file and its bead identity: one per Alertmanager group key. */
export function groupIdentity(groupKey: string): string {
  return `fleet:${sha(groupKey).slice(0, 16)}`;
}

export function notificationFacts(w: Pick<Webhook, 'groupKey' | 'status' | 'alerts'>): NotificationFacts {
  const members = w.alerts.map((a) => `${a.fingerprint}:${a.status}`).sort();
  const firing = [...new Set(w.alerts.filter((a) => a.status === 'firing').map((a) => a.fingerprint))].sort();
  return {
    groupKey: w.groupKey,
    status: w.status,
    key: sha(JSON.stringify([w.groupKey, w.status, [...new Set(members)]])),
    firing,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export function planNotification(prev: GroupRecord | undefined, n: NotificationFacts, now: Date): ReceiverPlan {
  const at = now.toISOString();
  if (prev && prev.lastKey === n.key) return { verdict: 'duplicate', message: false, bead: null, group: prev };
  const identity = prev?.identity ?? groupIdentity(n.groupKey);
  const base = { groupKey: n.groupKey, identity, firing: n.firing, lastKey: n.key, updatedAt: at };
  if (n.status === 'firing') {
    if (!prev || prev.status === 'resolved') {
      const group: GroupRecord = {
        ...base,
        incidentId: `${identity}#${at}`,
        status: 'firing',
        openedAt: at,
        resolvedAt: null,
      };
      return { verdict: 'act', message: true, bead: 'open', group };
    }
    const group: GroupRecord = { ...prev, ...base };
    if (sameSet(prev.firing, n.firing)) return { verdict: 'quiet', message: false, bead: null, group };
    return { verdict: 'act', message: true, bead: 'comment', group };
  }
  if (prev?.status === 'resolved') return { verdict: 'quiet', message: false, bead: null, group: { ...prev, ...base } };
  // Resolved: also when the receiver never saw it fire (its memory was pruned): the bead keeper finds the bead by identity.
  const group: GroupRecord = {
    ...base,
    incidentId: prev?.incidentId ?? `${identity}#${at}`,
    status: 'resolved',
    openedAt: prev?.openedAt ?? at,
    resolvedAt: at,
  };
  return { verdict: 'act', message: true, bead: 'close', group };
}
