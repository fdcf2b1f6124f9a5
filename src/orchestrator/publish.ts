// Publish the chronicler's daily summary: a summary bead (one per day) and a digest through Relay, else Telegram.
import type { StatePaths } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { DailySummary, PublishSummary } from '../agents/chronicler/summary.js';
import { createBeadKeeper } from '../agents/executor/beads.js';
import { createBd } from '../host/bd.js';
import { withAutoInit } from '../host/bd-init.js';
import type { Host } from '../host/port.js';
import type { Log } from '../log.js';
import { createNotifier } from './compose.js';

/** Relay is optional infrastructure Argus may need to restart: never depend on it (timeout, then Telegram). */
async function sendRelay(host: Host, url: string, timeoutMs: number, summary: DailySummary): Promise<string | null> {
  try {
    const res = await host.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'argus', key: summary.key, title: summary.title, text: summary.markdown }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return res.ok ? null : `Relay answered ${res.status}`;
  } catch (error) {
    return `Relay unreachable (${(error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (error as Error).message})`;
  }
}

export function createSummaryPublisher(config: Config, paths: StatePaths, host: Host, log: Log): PublishSummary {
  return async (summary) => {
    const details: string[] = [];
    const beadsDir = process.env.BEADS_DIR ?? `${paths.stateDir}/.beads`;
    const keeper = createBeadKeeper({
      bd: withAutoInit(createBd({ exec: host.exec, beadsDir }), beadsDir),
      statePath: paths.beads,
      now: () => host.now(),
      log,
    });
    const bead = await keeper.ensure({
      identity: summary.key,
      type: 'summary',
      title: summary.title,
      description: summary.markdown,
      severity: 'info',
    });
    details.push(`bead ${bead.beadId ?? 'pending'} (${bead.status})`);
    let digested = false;
    if (config.relay.url) {
      const failure = await sendRelay(host, config.relay.url, config.relay.timeoutMs, summary);
      digested = failure === null;
      details.push(failure ?? 'digest sent through Relay');
    }
    if (!digested) {
      const report = await createNotifier(config, paths, host, log).deliver([
        {
          id: summary.key,
          ts: host.now().toISOString(),
          severity: 'info',
          text: `${summary.title}\n\n${summary.markdown}`.slice(0, 12_000),
          identity: summary.key,
        },
      ]);
      digested = report.status === 'delivered';
      details.push(`digest ${report.status}: ${report.detail}`);
    }
    return {
      delivered: digested || bead.status === 'created' || bead.status === 'commented',
      detail: details.join('; '),
    };
  };
}
