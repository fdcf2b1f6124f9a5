// The beads CLI (`bd`) behind a small port: argument arrays, --json, both output shapes, errors as values.
import type { ExecResult, Host } from './port.js';

export interface BdIssue {
  id: string;
  title?: string;
  status?: string;
  priority?: number;
  issue_type?: string;
  labels?: string[];
  external_ref?: string | null;
  metadata?: unknown;
  [key: string]: unknown;
}

export type BdResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: string;
      code: string;
      /** The program is not installed (ENOENT): nothing to retry until it is. */
      missing: boolean;
    };

export interface BdCreateInput {
  title: string;
  type: string;
  priority: number;
  labels: readonly string[];
  description: string;
  externalRef: string;
  metadata: Record<string, unknown>;
}

export interface Bd {
  init(prefix: string): Promise<BdResult<unknown>>;
  create(input: BdCreateInput): Promise<BdResult<BdIssue>>;
  /** Open issues with a label; `--limit 0` because bd's default limit (50) would hide some. */
  list(filter: { status: string; label: string }): Promise<BdResult<BdIssue[]>>;
  comment(id: string, text: string): Promise<BdResult<unknown>>;
  close(id: string, reason: string): Promise<BdResult<unknown>>;
}

export interface BdOptions {
  exec: Host['exec'];
  /** BEADS_DIR for every call (the service keeps its own database under the state dir). */
  beadsDir?: string;
  bin?: string;
  timeoutMs?: number;
  /** Base environment of the child (default: this process's). */
  env?: Record<string, string | undefined>;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function createBd(options: BdOptions): Bd {
  const bin = options.bin ?? 'bd';
  const timeoutMs = options.timeoutMs ?? 15_000;
  const env = { ...(options.env ?? process.env), ...(options.beadsDir ? { BEADS_DIR: options.beadsDir } : {}) };

  async function run(args: string[]): Promise<BdResult<unknown>> {
    const result = await options.exec(bin, args, { timeoutMs, env });
    return interpret(result);
  }
  const badId = (id: string): BdResult<never> => ({
    ok: false,
    error: `not a bead id: ${JSON.stringify(id)}`,
    code: 'invalid_id',
    missing: false,
  });

  return {
    init: (prefix) => run(['init', '--quiet', '--stealth', '--prefix', prefix]),
    async create(input) {
      const out = await run([
        'create',
        input.title,
        '-t',
        input.type,
        '-p',
        String(input.priority),
        '-l',
        input.labels.join(','),
        '-d',
        input.description,
        '--external-ref',
        input.externalRef,
        '--metadata',
        JSON.stringify(input.metadata),
        '--json',
      ]);
      if (!out.ok) return out;
      const issue = Array.isArray(out.value) ? out.value[0] : out.value;
      return isIssue(issue) ? { ok: true, value: issue } : shapeError('create');
    },
    async list(filter) {
      const out = await run(['list', '--json', '--status', filter.status, '--label', filter.label, '--limit', '0']);
      if (!out.ok) return out;
      if (out.value === null || out.value === undefined) return { ok: true, value: [] };
      return Array.isArray(out.value) ? { ok: true, value: out.value.filter(isIssue) } : shapeError('list');
    },
    comment: (id, text) => (ID.test(id) ? run(['comment', id, text, '--json']) : Promise.resolve(badId(id))),
    close: (id, reason) =>
      ID.test(id) ? run(['close', id, '--reason', reason, '--json']) : Promise.resolve(badId(id)),
  };
}

/** Exit status and output → a value; accepts the plain JSON and the `{"schema_version":1,"data":…}` envelope. */
export function interpret(result: ExecResult): BdResult<unknown> {
  if (result.spawnError) {
    const missing = result.spawnError === 'ENOENT';
    return {
      ok: false,
      error: missing ? 'bd is not installed (not found on PATH)' : `bd could not start: ${result.spawnError}`,
      code: missing ? 'not_found' : 'spawn_failed',
      missing,
    };
  }
  if (result.timedOut) return { ok: false, error: 'bd timed out', code: 'timeout', missing: false };
  if (result.failed) {
    const reported = parseError(result.stdout) ?? parseError(result.stderr);
    const text = (result.stderr || result.stdout).trim().slice(0, 500);
    return {
      ok: false,
      error: reported?.error ?? (text || `bd exited with ${result.exitCode ?? result.signal}`),
      code: reported?.code ?? `exit_${result.exitCode ?? 'signal'}`,
      missing: false,
    };
  }
  const text = result.stdout.trim();
  if (!text) return { ok: true, value: null };
  try {
    return { ok: true, value: unwrap(JSON.parse(text)) };
  } catch {
    return { ok: true, value: text };
  }
}

function unwrap(value: unknown): unknown {
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'schema_version' in value &&
    'data' in value
  ) {
    return (value as { data: unknown }).data;
  }
  return value;
}

function parseError(text: string): { error: string; code: string } | null {
  try {
    const value = unwrap(JSON.parse(text.trim())) as { error?: unknown; code?: unknown } | null;
    if (value && typeof value.error === 'string')
      return { error: value.error, code: typeof value.code === 'string' ? value.code : 'error' };
  } catch {
    // not JSON
  }
  return null;
}

function isIssue(value: unknown): value is BdIssue {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

function shapeError(command: string): BdResult<never> {
  return { ok: false, error: `bd ${command} printed no issue object`, code: 'bad_output', missing: false };
}
