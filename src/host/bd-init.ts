// Initialise the service's beads database on first use: `bd init` only when BEADS_DIR does not exist yet.
import { existsSync } from 'node:fs';
import type { Bd } from './bd.js';

export function withAutoInit(bd: Bd, beadsDir: string, prefix = 'argus'): Bd {
  let initialised = false;
  const ensure = async () => {
    if (initialised || existsSync(beadsDir)) {
      initialised = true;
      return;
    }
    const r = await bd.init(prefix);
    initialised = r.ok;
  };
  return {
    init: bd.init,
    create: async (input) => (await ensure(), bd.create(input)),
    list: async (filter) => (await ensure(), bd.list(filter)),
    comment: async (id, text) => (await ensure(), bd.comment(id, text)),
    close: async (id, reason) => (await ensure(), bd.close(id, reason)),
  };
}
