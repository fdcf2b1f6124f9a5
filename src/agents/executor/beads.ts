// The bead keeper: one open bead per problem identity, comments on what changes, closes on resolve, queues while bd is down.
import { z } from 'zod';
import type { Bd, BdIssue, BdResult } from '../../host/bd.js';
import type { Log } from '../../log.js';
import { SeveritySchema, type Severity } from '../../model/finding.js';
import { readJsonState, writeJsonAtomic } from '../../state/atomic.js';

export const BeadRequestSchema = z.object({
  identity: z.string().min(1),
  type: z.string().min(1),
  title: z.string().min(1),
  description: z.string(),
  severity: SeveritySchema,
});
export type BeadRequest = z.infer<typeof BeadRequestSchema>;

const PendingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ensure'), request: BeadRequestSchema, queuedAt: z.string(), error: z.string() }),
  z.object({
    kind: z.literal('resolve'),
    identity: z.string(),
    reason: z.string(),
    queuedAt: z.string(),
    error: z.string(),
  }),
]);
type Pending = z.infer<typeof PendingSchema>;

const BeadStateSchema = z.object({
  open: z.record(z.string(), z.object({ beadId: z.string(), since: z.string() })).default({}),
  pending: z.array(PendingSchema).default([]),
});
type BeadState = z.infer<typeof BeadStateSchema>;

export interface EnsureResult {
  status: 'created' | 'commented' | 'pending';
  beadId: string | null;
  detail: string;
}

export interface ResolveResult {
  status: 'closed' | 'none' | 'pending';
  beadId: string | null;
  detail: string;
}

export interface BeadKeeper {
  ensure(request: BeadRequest): Promise<EnsureResult>;
  resolve(identity: string, reason: string): Promise<ResolveResult>;
  /** Retry queued requests in order (each cycle); stops at the first one bd still cannot take. */
  retryPending(): Promise<{ done: number; remaining: number }>;
  /** The open bead for an identity, from the cache. */
  beadFor(identity: string): string | null;
}

export interface BeadKeeperOptions {
  bd: Bd;
  statePath: string;
  now: () => Date;
  log: Log;
}

export const PRIORITY: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const TITLE_MAX = 200;

export function externalRef(identity: string): string {
  return `argus:${identity}`;
}

export function createBeadKeeper(options: BeadKeeperOptions): BeadKeeper {
  const { bd, statePath, now, log } = options;
  const load = (): BeadState =>
    readJsonState(
      statePath,
      BeadStateSchema,
      () => ({ open: {}, pending: [] }),
      (reason) => log.warn({ reason }, 'bead state unreadable: starting empty'),
    );
  const save = (state: BeadState): void => writeJsonAtomic(statePath, state);

  /** The open bead for an identity: the cache, else `bd list` matched by external ref (or metadata.identity). */
  async function find(state: BeadState, identity: string): Promise<BdResult<string | null>> {
    const cached = state.open[identity];
    if (cached) return { ok: true, value: cached.beadId };
    const listed = await bd.list({ status: 'open', label: 'argus' });
    if (!listed.ok) return listed;
    const match = listed.value.find(
      (issue) => issue.external_ref === externalRef(identity) || metadataIdentity(issue) === identity,
    );
    return { ok: true, value: match?.id ?? null };
  }

  /** Run one ensure against bd; the state is updated in place on success. */
  async function attemptEnsure(state: BeadState, request: BeadRequest): Promise<BdResult<EnsureResult>> {
    const found = await find(state, request.identity);
    if (!found.ok) return found;
    if (found.value) {
      // The bead is open: what changed (a recurrence, Argus giving up, a diagnosis) is a comment, dated.
      const text = `${now().toISOString()} (${request.severity}): ${request.title}\n\n${request.description}`;
      const commented = await bd.comment(found.value, text);
      if (!commented.ok) return commented;
      state.open[request.identity] ??= { beadId: found.value, since: now().toISOString() };
      return { ok: true, value: { status: 'commented', beadId: found.value, detail: `commented on ${found.value}` } };
    }
    const title = `[argus] ${request.type}: ${request.title}`;
    const created = await bd.create({
      title: title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX - 1)}…` : title,
      type: 'bug',
      priority: PRIORITY[request.severity],
      labels: ['argus', request.type],
      description: request.description,
      externalRef: externalRef(request.identity),
      metadata: { identity: request.identity, type: request.type, severity: request.severity },
    });
    if (!created.ok) return created;
    state.open[request.identity] = { beadId: created.value.id, since: now().toISOString() };
    return { ok: true, value: { status: 'created', beadId: created.value.id, detail: `created ${created.value.id}` } };
  }

  async function attemptResolve(state: BeadState, identity: string, reason: string): Promise<BdResult<ResolveResult>> {
    const found = await find(state, identity);
    if (!found.ok) return found;
    if (!found.value) return { ok: true, value: { status: 'none', beadId: null, detail: 'no open bead' } };
    const closed = await bd.close(found.value, reason);
    if (!closed.ok) return closed;
    delete state.open[identity];
    return { ok: true, value: { status: 'closed', beadId: found.value, detail: `closed ${found.value}` } };
  }

  /** Keep a request for later, replacing an older one for the same identity and kind. */
  function queue(state: BeadState, item: Pending): void {
    const key = item.kind === 'ensure' ? item.request.identity : item.identity;
    state.pending = state.pending.filter(
      (p) => !(p.kind === item.kind && (p.kind === 'ensure' ? p.request.identity : p.identity) === key),
    );
    state.pending.push(item);
  }

  return {
    async ensure(request) {
      const state = load();
      const outcome = await attemptEnsure(state, request);
      if (outcome.ok) {
        state.pending = state.pending.filter((p) => !(p.kind === 'ensure' && p.request.identity === request.identity));
        save(state);
        return outcome.value;
      }
      log.warn(
        { identity: request.identity, code: outcome.code, error: outcome.error },
        'bd unavailable: bead request kept',
      );
      queue(state, { kind: 'ensure', request, queuedAt: now().toISOString(), error: outcome.error });
      save(state);
      return {
        status: 'pending',
        beadId: null,
        detail: `bd unavailable (${outcome.error}): request kept, retried next cycle`,
      };
    },
    async resolve(identity, reason) {
      const state = load();
      // A bead never filed for a problem that is over: nothing to file any more.
      state.pending = state.pending.filter((p) => !(p.kind === 'ensure' && p.request.identity === identity));
      const outcome = await attemptResolve(state, identity, reason);
      if (outcome.ok) {
        save(state);
        return outcome.value;
      }
      queue(state, { kind: 'resolve', identity, reason, queuedAt: now().toISOString(), error: outcome.error });
      save(state);
      return {
        status: 'pending',
        beadId: state.open[identity]?.beadId ?? null,
        detail: `bd unavailable (${outcome.error}): close kept, retried next cycle`,
      };
    },
    async retryPending() {
      const state = load();
      if (state.pending.length === 0) return { done: 0, remaining: 0 };
      let done = 0;
      while (state.pending.length > 0) {
        const item = state.pending[0]!;
        const outcome =
          item.kind === 'ensure'
            ? await attemptEnsure(state, item.request)
            : await attemptResolve(state, item.identity, item.reason);
        if (!outcome.ok) {
          item.error = outcome.error;
          break;
        }
        state.pending.shift();
        done++;
        save(state);
      }
      save(state);
      return { done, remaining: state.pending.length };
    },
    beadFor(identity) {
      return load().open[identity]?.beadId ?? null;
    },
  };
}

function metadataIdentity(issue: BdIssue): string | null {
  let metadata = issue.metadata;
  if (typeof metadata === 'string') {
    try {
      metadata = JSON.parse(metadata) as unknown;
    } catch {
      return null;
    }
  }
  const identity = (metadata as { identity?: unknown } | null | undefined)?.identity;
  return typeof identity === 'string' ? identity : null;
}
