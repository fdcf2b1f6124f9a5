// The fleet receiver's ports on the composition root's runtime: its gate (source `alertmanager`, every attempt
// recorded), an unbuffered notifier (a message goes out at once; undelivered, it waits in the outbox), the bead keeper.
import type { ActionContext } from '../agents/executor/action.js';
import type { StatePaths } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createNotifier, createRuntime, type RuntimeOptions } from './compose.js';
import type { ReceiverPorts } from '../fleet/receiver.js';

export async function composeReceiverPorts(
  config: Config,
  paths: StatePaths,
  options: RuntimeOptions,
): Promise<ReceiverPorts> {
  const rt = await createRuntime(config, paths, options);
  const log = options.log.child({ source: 'alertmanager' });
  // Not the cycle's buffered notifier: there is no end of cycle here to flush it.
  const notifier = createNotifier(config, paths, rt.host, log);
  const ctx = (): ActionContext => ({
    host: rt.host,
    config,
    paths,
    log,
    snapshot: null,
    notifier,
    dryRun: config.dryRun,
    cycleId: null,
  });
  return {
    host: config.hostname ?? rt.host.hostname(),
    run: (action, input, meta) =>
      rt.gate.run(
        {
          action,
          input,
          source: 'alertmanager',
          identity: meta.identity,
          incidentId: meta.incidentId,
          audit: meta.audit,
        },
        ctx(),
      ),
    // As the incident phase closes a bead: not in a dry run.
    closeBead: async (identity, reason) => (config.dryRun || !rt.beads ? null : rt.beads.resolve(identity, reason)),
    record: (record) => rt.registry.append([record]),
  };
}
