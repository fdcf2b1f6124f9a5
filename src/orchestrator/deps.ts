// The one Deps object of narrow ports, built in the composition root and passed down.
import type { Config } from '../config/schema.js';
import type { StatePaths } from '../config/load.js';
import type { Host } from '../host/port.js';
import type { Log } from '../log.js';
import type { Notifier } from '../notify/notifier.js';
import type { Registry } from '../state/registry.js';

export interface Deps {
  config: Config;
  paths: StatePaths;
  host: Host;
  log: Log;
  registry: Registry;
  notifier: Notifier;
}
