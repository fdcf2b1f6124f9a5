// log: append one observation line to the observations file (rotated), and flag escalation when an identity repeats.
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { LogInputSchema } from '../../../model/action.js';
import { ProblemRecordSchema, type ProblemRecord } from '../../../model/record.js';
import type { ActionDef, ActionOutcomeValue } from '../action.js';
import { safeText } from '../sanitise.js';

export interface LogOptions {
  /** Rotate the observations file when it would pass this size (observations.md.1 … .3). */
  maxBytes?: number;
}

const KEEP = 3;
/** The same identity logged this many times within the dedup window escalates (seed: "auto-escalates after 3+ repeats"). */
export const ESCALATE_AFTER = 3;

function rotate(path: string): void {
  const oldest = `${path}.${KEEP}`;
  if (existsSync(oldest)) unlinkSync(oldest);
  for (let i = KEEP - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
  renameSync(path, `${path}.1`);
}

/**
 * Registry records newer than `sinceMs`, read backwards from the end of the file in chunks, so a large
 * registry costs only its recent tail. Stops at the first record older than the window.
 */
export function recentRecords(path: string, sinceMs: number, chunkBytes = 64 * 1024): ProblemRecord[] {
  if (!existsSync(path)) return [];
  const out: ProblemRecord[] = [];
  const fd = openSync(path, 'r');
  try {
    let end = fstatSync(fd).size;
    let carry = Buffer.alloc(0);
    while (end > 0) {
      const start = Math.max(0, end - chunkBytes);
      const buf = Buffer.alloc(end - start);
      readSync(fd, buf, 0, buf.length, start);
      let data = Buffer.concat([buf, carry]);
      // Keep the first (possibly partial) line for the next round unless we are at the start of the file.
      const firstNl = start > 0 ? data.indexOf(0x0a) : -1;
      carry = start > 0 ? (firstNl < 0 ? data : data.subarray(0, firstNl)) : Buffer.alloc(0);
      data = start > 0 ? (firstNl < 0 ? Buffer.alloc(0) : data.subarray(firstNl + 1)) : data;
      const lines = data.toString('utf8').split('\n').filter(Boolean).reverse();
      for (const line of lines) {
        let parsed;
        try {
          parsed = ProblemRecordSchema.safeParse(JSON.parse(line));
        } catch {
          continue;
        }
        if (!parsed.success) continue;
        if (Date.parse(parsed.data.ts) < sinceMs) return out;
        out.push(parsed.data);
      }
      end = start;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

export function createLogAction(options: LogOptions = {}): ActionDef<typeof LogInputSchema> {
  const maxBytes = options.maxBytes ?? 500 * 1024;
  return {
    name: 'log',
    schema: LogInputSchema,
    target: () => 'observations',
    async guard() {
      // Any text may be observed: it is written as one escaped line and never interpreted.
    },

    async execute(input, ctx): Promise<ActionOutcomeValue> {
      const now = ctx.host.now();
      const identity = ctx.identity ?? null;
      // One observation = one line: newlines and control characters are escaped, so text cannot forge entries.
      const text = safeText(input.observation.replace(/\r?\n/g, ' '), 20_000);
      const line = `- ${now.toISOString()} [${identity === null ? '-' : safeText(identity, 200)}] ${text}\n`;
      const file = ctx.paths.observations;
      mkdirSync(dirname(file), { recursive: true });
      let rotated = false;
      const size = existsSync(file) ? statSync(file).size : 0;
      if (size > 0 && size + Buffer.byteLength(line) > maxBytes) {
        rotate(file);
        rotated = true;
      }
      const fd = openSync(file, 'a', 0o600);
      try {
        writeSync(fd, line);
      } finally {
        closeSync(fd);
      }

      let repeats = 1;
      if (identity !== null) {
        const sinceMs = now.getTime() - ctx.config.dedupWindowSec * 1000;
        const prior = recentRecords(ctx.paths.registry, sinceMs).filter(
          (r) =>
            r.kind === 'action' &&
            r.identity === identity &&
            r.action_taken?.startsWith('log:') &&
            r.action_result === 'success',
        );
        repeats = prior.length + 1;
      }
      const escalate = repeats >= ESCALATE_AFTER;
      return {
        result: 'success',
        reason: escalate
          ? `observation logged; ${identity} seen ${repeats} times within the window: escalate`
          : 'observation logged',
        details: { file, rotated, repeats, escalate },
      };
    },
  };
}
