// Approval requests (the Solicitor): one file per request in `<state>/approvals/`, written atomically. A request is
// bound to a hash of the exact action (name + canonical input + the facts it was based on) and answered at most once:
// the answer is claimed by creating `<id>.claim` with O_EXCL, so two listeners, a replay or a double press can never
// both act on it.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { NODE_WRITER_FS, readJsonState, writeAll, writeJsonAtomic } from './atomic.js';

/** An opaque id: 16 base64url characters (96 random bits). Nothing else is accepted as an id (no path can be named). */
export const APPROVAL_ID_RE = /^[A-Za-z0-9_-]{16}$/;

export const ApprovalKindSchema = z.enum(['restart_unlisted', 'retry_restart', 'kill_process', 'kill_tmux', 'clean_disk']);
export type ApprovalKind = z.infer<typeof ApprovalKindSchema>;

export const ApprovalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'silenced', 'expired']);
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

const PersonSchema = z.object({ id: z.string(), name: z.string() });
export type Person = z.infer<typeof PersonSchema>;

export const ApprovalSchema = z.object({
  id: z.string().regex(APPROVAL_ID_RE),
  kind: ApprovalKindSchema,
  action: z.string(),
  input: z.record(z.string(), z.unknown()),
  /** What the request was based on (PID start time, unit state, disk usage): re-checked against the machine when approved. */
  facts: z.record(z.string(), z.unknown()),
  /** sha256 of {action, input, facts} in canonical JSON. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** One or two lines for the message: what, why, and what happens if nobody answers. */
  summary: z.string(),
  identity: z.string().nullable(),
  incidentId: z.string().nullable(),
  /** Who asked: a playbook (`rule`), the model (`llm`) or Athena over MCP (`mcp`). */
  requestedBy: z.enum(['rule', 'llm', 'mcp', 'cli']),
  createdAt: z.string(),
  expiresAt: z.string(),
  status: ApprovalStatusSchema,
  /** The Telegram message carrying the buttons, once sent. */
  message: z.object({ chatId: z.string(), messageId: z.number().int() }).nullable(),
  /** Sending failed this many times (Telegram down): the listener keeps trying until it expires. */
  sendAttempts: z.number().int().min(0).default(0),
  decision: z.object({ by: PersonSchema.nullable(), at: z.string(), choice: z.enum(['approve', 'reject', 'silence', 'expire']) }).nullable(),
  /** The verified outcome of an approved action (null while acting, or if Argus stopped while acting). */
  outcome: z.object({ result: z.string(), reason: z.string() }).nullable(),
  /** The message still has to be edited to show the decision (Telegram was down when it was made). */
  editPending: z.boolean().default(false),
});
export type Approval = z.infer<typeof ApprovalSchema>;

/** JSON with object keys sorted at every level: the same value always gives the same text (and hash). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The hash an approval is bound to. */
export function actionHash(action: string, input: unknown, facts: unknown): string {
  return createHash('sha256').update(canonicalJson({ action, input, facts })).digest('hex');
}

export const newApprovalId = (): string => randomBytes(12).toString('base64url');

export interface NewApproval {
  kind: ApprovalKind;
  action: string;
  input: Record<string, unknown>;
  facts: Record<string, unknown>;
  summary: string;
  identity: string | null;
  incidentId: string | null;
  requestedBy: Approval['requestedBy'];
}

export type ClaimResult = { ok: true; approval: Approval } | { ok: false; why: 'unknown' | 'tampered' | 'decided' | 'expired'; approval: Approval | null };

/** The approvals directory of a state dir. */
export const approvalsDir = (stateDir: string): string => join(stateDir, 'approvals');

export class ApprovalStore {
  constructor(
    readonly dir: string,
    private readonly onInvalid?: (reason: string) => void,
  ) {}

  private file(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  create(request: NewApproval, now: Date, ttlMs: number): Approval {
    const approval: Approval = {
      id: newApprovalId(),
      ...request,
      hash: actionHash(request.action, request.input, request.facts),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
      status: 'pending',
      message: null,
      sendAttempts: 0,
      decision: null,
      outcome: null,
      editPending: false,
    };
    this.write(approval);
    return approval;
  }

  /** The approval with this id, or null (unknown, malformed id, unreadable file). */
  get(id: string): Approval | null {
    if (!APPROVAL_ID_RE.test(id)) return null;
    return readJsonState<Approval | null>(this.file(id), ApprovalSchema.nullable(), () => null, this.onInvalid);
  }

  write(approval: Approval): void {
    writeJsonAtomic(this.file(approval.id), approval);
  }

  list(): Approval[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith('.json') && APPROVAL_ID_RE.test(n.slice(0, -5)))
      .map((n) => this.get(n.slice(0, -5)))
      .filter((a): a is Approval => a !== null)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * Take the one answer an approval gets: the hash must still match what was stored, it must be pending and not
   * expired (`expire`: it must be expired — the listener's sweep claims it as nobody's answer), and `<id>.claim` must not exist yet (created with O_EXCL: exactly one claimant ever wins).
   * The caller then writes the decision with `write`.
   */
  claim(id: string, expectHashPrefix: string | null, now: Date, claimant: string, purpose: 'answer' | 'expire' = 'answer'): ClaimResult {
    const approval = this.get(id);
    if (!approval) return { ok: false, why: 'unknown', approval: null };
    const stored = actionHash(approval.action, approval.input, approval.facts);
    if (stored !== approval.hash || (expectHashPrefix !== null && !approval.hash.startsWith(expectHashPrefix))) return { ok: false, why: 'tampered', approval };
    if (approval.status !== 'pending' || this.claimed(id)) return { ok: false, why: 'decided', approval };
    const expired = Date.parse(approval.expiresAt) <= now.getTime();
    if (purpose === 'answer' && expired) return { ok: false, why: 'expired', approval };
    if (purpose === 'expire' && !expired) return { ok: false, why: 'decided', approval };
    mkdirSync(this.dir, { recursive: true });
    let fd: number;
    try {
      fd = openSync(join(this.dir, `${id}.claim`), 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { ok: false, why: 'decided', approval };
      throw error;
    }
    try {
      writeAll(NODE_WRITER_FS, fd, Buffer.from(`${claimant} ${now.toISOString()}\n`, 'utf8'));
    } finally {
      closeSync(fd);
    }
    return { ok: true, approval };
  }

  /** Whether an answer was claimed (a crash after the claim and before the decision was written leaves only this). */
  claimed(id: string): boolean {
    try {
      readFileSync(join(this.dir, `${id}.claim`));
      return true;
    } catch {
      return false;
    }
  }

  /** Remove decided approvals older than `keepMs` (their records stay in the registry). */
  prune(now: Date, keepMs: number): number {
    let removed = 0;
    for (const a of this.list()) {
      if (a.status === 'pending' || a.editPending) continue;
      if (now.getTime() - Date.parse(a.decision?.at ?? a.createdAt) < keepMs) continue;
      for (const suffix of ['.json', '.claim']) {
        try {
          unlinkSync(join(this.dir, `${a.id}${suffix}`));
        } catch {
          // already gone
        }
      }
      removed++;
    }
    return removed;
  }
}
