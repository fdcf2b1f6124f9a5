// An in-memory beads tracker behind the Bd port: the simulation counts beads opened and closed without running `bd`.
import type { Bd, BdIssue } from '../bd.js';

export interface SimBead extends BdIssue {
  id: string;
  status: 'open' | 'closed';
  comments: string[];
  openedAtMs: number;
  closedAtMs: number | null;
}

export interface SimTracker extends Bd {
  readonly beads: SimBead[];
}

export function createSimTracker(now: () => Date): SimTracker {
  const beads: SimBead[] = [];
  const byId = (id: string) => beads.find((b) => b.id === id);
  return {
    beads,
    async init() {
      return { ok: true, value: null };
    },
    async create(input) {
      const bead: SimBead = {
        id: `sim-${beads.length + 1}`,
        title: input.title,
        status: 'open',
        priority: input.priority,
        issue_type: input.type,
        labels: [...input.labels],
        external_ref: input.externalRef,
        metadata: input.metadata,
        comments: [],
        openedAtMs: now().getTime(),
        closedAtMs: null,
      };
      beads.push(bead);
      return { ok: true, value: bead };
    },
    async list(filter) {
      return {
        ok: true,
        value: beads.filter((b) => b.status === filter.status && (b.labels ?? []).includes(filter.label)),
      };
    },
    async comment(id, text) {
      const b = byId(id);
      if (!b) return { ok: false, error: `no issue ${id}`, code: 'not_found', missing: false };
      b.comments.push(text);
      return { ok: true, value: null };
    },
    async close(id) {
      const b = byId(id);
      if (!b) return { ok: false, error: `no issue ${id}`, code: 'not_found', missing: false };
      b.status = 'closed';
      b.closedAtMs = now().getTime();
      return { ok: true, value: b };
    },
  };
}
