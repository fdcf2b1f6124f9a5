// The seven allowlisted actions, built once for the composition root. Nothing else can change the host.
import type { ActionDef } from '../action.js';
import type { BeadKeeper } from '../beads.js';
import { alertAction } from './alert.js';
import { createCleanDisk } from './clean-disk.js';
import { createCreateBead } from './create-bead.js';
import { createKillPid } from './kill-pid.js';
import { createKillTmux } from './kill-tmux.js';
import { createLogAction } from './log.js';
import { createRestartService } from './restart-service.js';

export function createAllActions(deps: { keeper: BeadKeeper }): ActionDef[] {
  return [
    createRestartService(),
    createKillPid(),
    createKillTmux(),
    alertAction,
    createLogAction(),
    createCreateBead({ keeper: deps.keeper }),
    // Always the hard-coded safelist: clean_disk's roots are never configurable.
    createCleanDisk(),
  ] as ActionDef[];
}
