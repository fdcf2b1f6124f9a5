// The create_bead action: file (or comment on) the one open bead for a problem identity through the bead keeper.
import { createHash } from 'node:crypto';
import { ActionDeniedError } from '../../../errors.js';
import { CreateBeadInputSchema } from '../../../model/action.js';
import { stripControl } from '../../../notify/format.js';
import type { ActionDef } from '../action.js';
import type { BeadKeeper } from '../beads.js';

/** A bead type becomes a bd label (`-l argus,<type>`): no commas, spaces or leading dashes. */
const TYPE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export interface CreateBeadOptions {
  keeper: BeadKeeper;
}

export function createCreateBead(options: CreateBeadOptions): ActionDef<typeof CreateBeadInputSchema> {
  return {
    name: 'create_bead',
    schema: CreateBeadInputSchema,
    target: (input) => `create_bead:${input.type ?? 'manual'}`,
    async guard(input, ctx) {
      if (!oneLine(input.title))
        throw new ActionDeniedError('create_bead', 'the title is empty once control characters and blanks are removed');
      const type = typeOf(input.type, ctx.identity);
      if (!TYPE.test(type))
        throw new ActionDeniedError(
          'create_bead',
          `the type must be a short lowercase word (letters, digits, _ or -), not ${JSON.stringify(type.slice(0, 60))}`,
        );
    },
    async execute(input, ctx) {
      const title = oneLine(input.title);
      const identity = ctx.identity ?? `manual:${createHash('sha256').update(title).digest('hex').slice(0, 12)}`;
      const outcome = await options.keeper.ensure({
        identity,
        type: typeOf(input.type, ctx.identity),
        title,
        description: stripControl(input.description),
        severity: input.severity ?? 'warning',
      });
      const details = { identity, ...outcome };
      if (outcome.status === 'pending') {
        return {
          result: 'failure',
          reason: 'bd unavailable: request kept, retried next cycle',
          details: { ...details, pending: true },
          beadId: null,
        };
      }
      return { result: 'success', reason: outcome.detail, details, beadId: outcome.beadId };
    },
  };
}

function oneLine(text: string): string {
  return stripControl(text).replace(/\s+/g, ' ').trim();
}

/** The explicit type, else the identity's prefix (`service:nginx.service` → `service`), else `manual`. */
function typeOf(type: string | undefined, identity: string | null | undefined): string {
  if (type !== undefined) return type;
  const prefix = identity?.split(':')[0];
  return prefix && TYPE.test(prefix) ? prefix : 'manual';
}
