// What a runbook says per problem type when the data cannot: detection, automatic and human steps, verify, roll back.
// No numbers here: every number in a document must come from the data (see facts.ts).

export interface Playbook {
  detect: string;
  automatic: string[];
  human: string[];
  verify: string[];
  rollback: string[];
}

const GENERIC: Playbook = {
  detect: 'A deterministic rule of the evaluator fires on the snapshot of a cycle; the router opens an incident once the condition is confirmed.',
  automatic: ['Argus records each detection in the registry and notifies once per incident (deduplicated).'],
  human: ['Read the evidence below and the latest snapshot (`argus status`).', 'Fix the cause, or silence it with a reason (`argus silence`) if it is expected.'],
  verify: ['`argus once --dry-run` shows no finding for this identity.'],
  rollback: ['Nothing to roll back: Argus only observed and notified.'],
};

export const PLAYBOOKS: Record<string, Playbook> = {
  service: {
    detect: 'The unit is watched (ARGUS_SERVICES); a cycle reads its state with `systemctl show`, and a failed or inactive unit fires at once.',
    automatic: [
      'If the unit is in the restart allowlist, Argus restarts it (`restart_service`) with a growing backoff between attempts.',
      'When restarts keep failing or the budget is spent, Argus escalates: an alert and a bead.',
    ],
    human: [
      'Read why it stopped: `journalctl -u <unit> --since <first evidence time>`.',
      'Check its dependencies (`systemctl list-dependencies <unit>`) and recent deploys or config changes.',
      'Fix the cause; if the restarts only hide it, remove the unit from the restart allowlist until it is fixed.',
    ],
    verify: ['`systemctl is-active <unit>` says active, and the next cycle resolves the incident.'],
    rollback: ['Revert the last change to the unit or its configuration, then `systemctl restart <unit>`.'],
  },
  disk: {
    detect: 'Each mount is read with statfs every cycle; usage (as df computes it) or inodes at or above the fire threshold fires, and it clears below the clear threshold.',
    automatic: [
      'Argus may run `clean_disk` inside its hard-coded safelist only (old files in temporary and cache directories), never following symlinks.',
      'Otherwise it alerts, and files a bead when the incident escalates.',
    ],
    human: [
      'Find what grows: `du -xh <mount> | sort -h | tail`.',
      'Check the journal (`journalctl --disk-usage`) and log rotation; remove or move what is safe to remove.',
      'Grow the filesystem if the growth is legitimate.',
    ],
    verify: ['`df -h <mount>` is back under the clear threshold and the next cycle resolves the incident.'],
    rollback: ['Files removed by `clean_disk` are gone; restore from backup if one was needed. Nothing else changed.'],
  },
  memory: {
    detect: 'Memory use is read from /proc/meminfo every cycle; it fires after being above the fire threshold for the confirmation cycles.',
    automatic: [
      'Argus names the top consumers in the alert; it kills a memory hog only when it matches the kill allowlist and killMemoryHogs is on.',
    ],
    human: ['Look at the top consumers (`ps aux --sort=-rss | head`) and the leak suspects in the chronicle.', 'Restart or cap the culprit (systemd MemoryMax=).'],
    verify: ['Memory is back under the clear threshold in `argus status`.'],
    rollback: ['A killed process is restarted by its supervisor or by hand; nothing else changed.'],
  },
  swap: {
    detect: 'Swap use and swap I/O are read from /proc every cycle; high use or thrashing fires after the confirmation cycles.',
    automatic: ['Argus names the processes holding the most swap in the alert; it does not act on swap by itself.'],
    human: ['Find the processes in swap (VmSwap in /proc/<pid>/status) and restart or cap them.', 'Consider more memory if swap is steadily used.'],
    verify: ['Swap use and swap I/O are back under the thresholds in `argus status`.'],
    rollback: ['Nothing to roll back: Argus only observed and notified.'],
  },
  process: {
    detect: 'Processes are scanned from /proc every cycle; orphans matching the orphan pattern and older than the minimum age fire after the confirmation cycles.',
    automatic: ['Argus may signal the process (`kill_pid`) only when its command matches the kill allowlist, never PID one nor itself.'],
    human: ['Find what spawns it (the parent process, tmux sessions, cron) and fix the leak of processes at the source.'],
    verify: ['The process is gone (`ps -p <pid>`) and the next cycle resolves the incident.'],
    rollback: ['Restart the process by hand if it was wanted.'],
  },
  tmux: {
    detect: 'tmux sessions are listed on the configured sockets every cycle; stale or runaway sessions fire.',
    automatic: ['Argus may end a session (`kill_tmux`) after validating its name; otherwise it alerts.'],
    human: ['Attach (`tmux attach -t <session>`) and decide whether the work in it is still needed.'],
    verify: ['`tmux ls` no longer lists the session, or the session is healthy.'],
    rollback: ['A killed session cannot be restored; restart the work it held.'],
  },
  probe: {
    detect: 'The HTTP probe is fetched every cycle with a timeout; an unexpected status or a timeout fires after the confirmation cycles.',
    automatic: ['Argus alerts; if a watched service backs the endpoint, the service playbook may restart it.'],
    human: ['Fetch the URL by hand (`curl -sv <url>`) and read the service logs behind it.'],
    verify: ['The probe returns the expected status in `argus status`.'],
    rollback: ['Nothing to roll back: Argus only observed and notified.'],
  },
  cpu: {
    detect: 'CPU use and load per core are read from /proc every cycle; they fire after being above the thresholds for the confirmation cycles.',
    automatic: ['Argus names the top CPU consumers in the alert; it does not act on CPU by itself.'],
    human: ['Find the consumer (`top -o %CPU`) and decide whether it is expected (a batch job) or runaway.'],
    verify: ['CPU and load are back under the clear thresholds in `argus status`.'],
    rollback: ['Nothing to roll back: Argus only observed and notified.'],
  },
};

export function playbookFor(type: string): Playbook {
  return PLAYBOOKS[type] ?? GENERIC;
}

export { GENERIC as GENERIC_PLAYBOOK };
