// The executor's host-changing actions written here (kill_pid, kill_tmux, clean_disk, log); see also restart-service, alert, create-bead.
export { createKillPid, type KillPidOptions } from './kill-pid.js';
export { createKillTmux, TMUX_SESSION_RULE } from './kill-tmux.js';
export {
  createCleanDisk,
  defaultSafelist,
  planCleanDisk,
  type CleanDiskOptions,
  type SafelistRoot,
} from './clean-disk.js';
export { createLogAction, recentRecords, ESCALATE_AFTER, type LogOptions } from './log.js';
