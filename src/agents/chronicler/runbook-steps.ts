// What a runbook tells a person, per problem class, written with the facts the registry knows (unit, URL, mount,
// process): commands runnable as printed, what Argus does by itself and when it gives up, steps with verify and undo.
import type { KnownFacts, ProblemSummary } from './schemas.js';
import { cell, code } from './markdown.js';

/** One manual step: what to do, the commands, how to know it worked, how to undo it. */
export interface GuideStep {
  title: string;
  run: string[];
  verify: string;
  rollback: string;
}

export interface Guide {
  /** The symptom as the alert states it, and what it means. */
  applies: string;
  /** Read-only commands that confirm the problem. */
  confirm: string[];
  /** What Argus does by itself, and when it stops. */
  automatic: string[];
  steps: GuideStep[];
}

const SAFE = /^[A-Za-z0-9@%+=:,./_-]+$/;

/** A value as one shell word, or null when it cannot be printed safely (control characters, quotes, backticks). */
export function shellWord(value: string): string | null {
  if (SAFE.test(value)) return value;
  if (/[\u0000-\u001f\u007f'`\\]/.test(value) || value.length > 300) return null;
  return `'${value}'`;
}

const READ_ONLY = 'Nothing to undo: this only reads.';
const SILENCE_STEP = (identity: string): GuideStep | null => {
  const id = shellWord(identity);
  return id
    ? {
        title: 'While you work on it, stop the reminders (the problem is still recorded)',
        run: [`argus silence ${id} --for 2h --reason 'being fixed by hand'`],
        verify: '`argus silence --list` shows the silence and when it ends.',
        rollback: '`argus silence --remove` with the id that `argus silence --list` shows.',
      }
    : null;
};

const RESTART_BACKOFF =
  'restarts it at once, again 1 minute later (the cycle waits for it) and again 5 minutes later, checking each time that the unit is active';
const GIVE_UP =
  'If it still does not stay up after the third attempt, Argus gives up for 1 hour: the alert says so once (as a crash loop when each restart came up and died again) and a bead is filed. After the hour it starts again.';

function serviceGuide(p: ProblemSummary, unit: string, restarted: boolean): Guide {
  const u = shellWord(unit);
  if (p.known.condition === 'not-found') return notFoundGuide(p, unit);
  const confirm = u ? [`systemctl status ${u} --no-pager -l`, `journalctl -u ${u} -n 100 --no-pager`] : [];
  const automatic = restarted
    ? [`${cell(unit)} is on the restart allowlist: Argus ${RESTART_BACKOFF}.`, GIVE_UP]
    : [
        `Argus did not restart ${cell(unit)} here: it restarts only units on the restart allowlist (\`restartAllowlist\`). It alerts at once and files a bead, since nothing fixes it automatically.`,
      ];
  const steps: GuideStep[] = [];
  if (u) {
    steps.push({
      title: 'Read why it stopped',
      run: [`journalctl -u ${u} -n 100 --no-pager`],
      verify: 'You can name the error in the lines before "Main process exited" or "Failed with result".',
      rollback: READ_ONLY,
    });
    steps.push({
      title: 'Look at what it needs and what changed',
      run: [`systemctl cat ${u}`, `systemctl list-dependencies ${u} --no-pager`],
      verify:
        'Its unit file, drop-ins and dependencies are what you expect; a recent change (a deploy, a config edit) explains the error.',
      rollback: READ_ONLY,
    });
    steps.push({
      title: 'Fix the cause, then start it by hand',
      run: [`sudo systemctl restart ${u}`, `systemctl is-active ${u}`],
      verify: `${code(`systemctl is-active ${u}`)} prints active, still after a few minutes; the next Argus cycle resolves the incident (\`argus status\`).`,
      rollback: `If you changed the unit with ${code(`sudo systemctl edit ${u}`)}, ${code(`sudo systemctl revert ${u}`)} undoes it; otherwise put back the file you changed, then \`sudo systemctl daemon-reload\`.`,
    });
  }
  if (restarted)
    steps.push({
      title: 'If it dies after every start, stop Argus from hiding it',
      run: ['sudoedit /etc/argus/argus.env'],
      verify: `${code(unit)} is no longer in ARGUS_RESTART_ALLOWLIST (or \`restartAllowlist\` in argus.json): Argus alerts instead of restarting until it is fixed.`,
      rollback: `Put ${code(unit)} back in the allowlist once it stays up.`,
    });
  const silence = SILENCE_STEP(p.identity);
  if (silence) steps.push(silence);
  return {
    applies: `Argus alerts "${cell(p.last_description)}": systemd says the unit is not running, and nobody stopped it on purpose.`,
    confirm,
    automatic,
    steps,
  };
}

function notFoundGuide(p: ProblemSummary, unit: string): Guide {
  const base = unit.replace(/\.service$/, '');
  const glob = shellWord(`${base}*`);
  // The configured name is the misspelt one, so its own glob finds nothing: look for units that start like it.
  const near = shellWord(`${base.slice(0, Math.max(2, Math.ceil(base.length / 2)))}*`);
  const name = shellWord(base);
  return {
    applies: `Argus reports "${cell(p.last_description)}". systemd has no unit by this name: the name in Argus's configuration is wrong (a typo, a missing suffix) or the unit was removed. It is a configuration problem, not a crash: restarting cannot help.`,
    confirm: glob
      ? [`systemctl list-unit-files ${glob} --no-pager`, `systemctl list-units --all ${glob} --no-pager`]
      : [],
    automatic: [
      'No restart: a unit that does not exist cannot be restarted. Argus records it every cycle, tells a person once (a warning: the unit is not being watched) and files one bead; reminders back off (4 h, 12 h, then daily).',
    ],
    steps: [
      ...(near
        ? [
            {
              title: 'Find the real name of the unit',
              run: [`systemctl list-unit-files ${near} --no-pager`],
              verify:
                'One of the units that start like the configured name is the one you meant to watch (or none is: it was removed).',
              rollback: READ_ONLY,
            },
          ]
        : []),
      {
        title: 'Correct the name in Argus configuration',
        run: [
          ...(name ? [`sudo grep -rn ${name} /etc/argus/`] : []),
          'sudoedit /etc/argus/argus.env',
          'sudo argus install',
        ],
        verify: `\`argus doctor\` reports no problem with the watched services, and \`argus once --dry-run\` no longer says "${cell(unit)}: unit not found".`,
        rollback:
          'Put the previous ARGUS_SERVICES line (or `services` in argus.json) back and run `sudo argus install` again.',
      },
      {
        title: 'If the unit was removed on purpose, stop watching it',
        run: ['sudoedit /etc/argus/argus.env', 'sudo argus install'],
        verify: `\`argus status\` no longer lists ${cell(unit)}.`,
        rollback: 'Add the name back to ARGUS_SERVICES.',
      },
    ],
  };
}

function restartsGuide(p: ProblemSummary, unit: string): Guide {
  const u = shellWord(unit);
  return {
    applies: `Argus reports "${cell(p.last_description)}": the unit was up at two looks but restarted in between (systemd restarted it, or its main process changed). Three in an hour are an incident.`,
    confirm: u
      ? [
          `systemctl show ${u} -p NRestarts -p ExecMainStartTimestamp -p ExecMainStatus`,
          `journalctl -u ${u} --since -1h --no-pager`,
        ]
      : [],
    automatic: [
      'Nothing to fix automatically: the unit is up. Argus records each restart and, from 3 in an hour, alerts and files a bead.',
    ],
    steps: u
      ? [
          {
            title: 'Read why it exits',
            run: [`journalctl -u ${u} --since -1h --no-pager`],
            verify: 'You can name what makes the process exit (an error, an out-of-memory kill, a watchdog).',
            rollback: READ_ONLY,
          },
          {
            title: 'Check whether the kernel killed it for memory',
            run: ['journalctl -k --since -1h --no-pager'],
            verify: `No "Out of memory" or "oom-kill" line names ${cell(unit)}, or you now know it is memory.`,
            rollback: READ_ONLY,
          },
        ]
      : [],
  };
}

function probeGuide(p: ProblemSummary, k: KnownFacts): Guide {
  const url = k.url ? shellWord(k.url) : null;
  const unit = k.service ? shellWord(k.service) : null;
  const curl = url ? `curl -sS -o /dev/null -w '%{http_code} %{time_total}s\\n' --max-time 5 ${url}` : null;
  return {
    applies: `Argus alerts "${cell(p.last_description)}": the health check does not answer as expected.`,
    confirm: [...(curl ? [curl] : []), ...(unit ? [`systemctl status ${unit} --no-pager -l`] : [])],
    automatic: k.service
      ? [
          `The probe belongs to ${cell(k.service)}: while the unit runs and the probe fails, the incident is the unit's. If ${cell(k.service)} is on the restart allowlist, Argus ${RESTART_BACKOFF}.`,
          GIVE_UP,
        ]
      : [
          'Nothing to fix automatically: no unit is tied to this probe (`probes[].service`). Argus alerts after two failing looks and files a bead.',
        ],
    steps: [
      ...(curl
        ? [
            {
              title: 'Fetch it by hand',
              run: [curl],
              verify: 'The status code and time tell whether it is down, slow or answering an unexpected code.',
              rollback: READ_ONLY,
            },
          ]
        : []),
      ...(unit
        ? [
            {
              title: 'Read the logs of the service behind it',
              run: [`journalctl -u ${unit} -n 100 --no-pager`],
              verify: 'You can name the error behind the failing answers.',
              rollback: READ_ONLY,
            },
            {
              title: 'Restart it by hand once the cause is fixed',
              run: [`sudo systemctl restart ${unit}`, ...(curl ? [curl] : [])],
              verify: 'The probe answers the expected status; the next cycle resolves the incident.',
              rollback: 'Undo the change you made to its configuration, then restart it again.',
            },
          ]
        : []),
    ],
  };
}

function diskGuide(p: ProblemSummary, mount: string, inodes: boolean): Guide {
  const m = shellWord(mount);
  const du = m ? `sudo du -xh --max-depth=2 ${m} 2>/dev/null | sort -h | tail -n 15` : null;
  const steps: GuideStep[] = [];
  if (inodes && m)
    steps.push({
      title: 'Find the directory with the most files',
      run: [`sudo du -x --inodes --max-depth=3 ${m} 2>/dev/null | sort -n | tail -n 15`],
      verify: 'You know which directory holds the files (often a cache or a session directory).',
      rollback: READ_ONLY,
    });
  if (!inodes && du) {
    steps.push({
      title: 'Find what takes the space',
      run: [du],
      verify: 'You know which directory grew.',
      rollback: READ_ONLY,
    });
    steps.push({
      title: 'Look for deleted files still held open (space df counts but du cannot see)',
      run: [`sudo find /proc/[0-9]*/fd -lname '*(deleted)' -printf '%p -> %l\\n' 2>/dev/null | head -n 20`],
      verify: 'No large deleted file is held open, or you know which process to restart to free it.',
      rollback: READ_ONLY,
    });
    steps.push({
      title: 'Shrink the journal if it is the one growing',
      run: ['journalctl --disk-usage', 'sudo journalctl --vacuum-size=500M'],
      verify: m ? `${code(`df -h ${m}`)} shows the space back.` : 'The space is back.',
      rollback: 'Cannot be undone: the removed journal files are gone. Do it only when the old logs are not needed.',
    });
  }
  steps.push({
    title: 'Remove or move what is safe to remove, or grow the filesystem',
    run: m ? [inodes ? `df -i ${m}` : `df -h ${m}`] : [],
    verify: `Usage is under the clear threshold and the next Argus cycle resolves the incident.`,
    rollback: 'Restore removed files from backup if one was needed.',
  });
  const silence = SILENCE_STEP(p.identity);
  if (silence) steps.push(silence);
  return {
    applies: `Argus alerts "${cell(p.last_description)}".`,
    confirm: m ? [inodes ? `df -i ${m}` : `df -h ${m}`, ...(du && !inodes ? [du] : [])] : [],
    automatic: inodes
      ? ['Nothing to fix automatically: Argus alerts after two looks and files a bead.']
      : [
          'Argus runs clean_disk once the fill is confirmed (two looks, or one when it would be full within the hour): old files in temporary directories, caches and rotated logs only (a fixed safelist; never a symlink, never a file in use), then looks at the mount again.',
          'If it is still above the threshold, the alert says "cleaning was not enough", names the largest files it had to keep, and a bead is filed: a person must find the rest.',
        ],
    steps,
  };
}

function memoryGuide(p: ProblemSummary, k: KnownFacts): Guide {
  const proc = k.process ? shellWord(k.process) : null;
  const top = 'ps -eo pid,ppid,rss,etime,unit,comm --sort=-rss | head -n 10';
  return {
    applies: `Argus alerts "${cell(p.last_description)}".`,
    confirm: ['free -m', top],
    automatic: [
      'Argus names the biggest process in the alert (against its own cgroup limit when that is tighter than the host).',
      'It kills it only when its name is on the kill allowlist (`killPatterns`) and `killMemoryHogs` is on; otherwise a person decides.',
    ],
    steps: [
      {
        title: 'See who holds the memory',
        run: [top, ...(proc ? [`ps -o pid,rss,etime,unit,args -C ${proc}`] : [])],
        verify: 'You know the process and the unit it runs in (the UNIT column).',
        rollback: READ_ONLY,
      },
      {
        title: 'Restart it or cap it',
        run: proc ? [`systemctl status $(pgrep -o -x ${proc}) --no-pager`] : [],
        verify:
          'After a restart of its unit (`sudo systemctl restart` with the unit shown above) memory drops under the clear threshold in `argus status`. To cap it: MemoryMax= in the unit (`sudo systemctl edit` on that unit).',
        rollback:
          'A restarted process starts again by itself or by hand; remove a MemoryMax= you added with `sudo systemctl revert` on that unit.',
      },
    ],
  };
}

function orphansGuide(p: ProblemSummary): Guide {
  const ps = "ps -eo pid,ppid,etime,args --sort=etime | awk '$2 == 1' | head -n 20";
  return {
    applies: `Argus alerts "${cell(p.last_description)}": processes matching the orphan pattern lost their parent and keep running.`,
    confirm: [ps],
    automatic: [
      'After 3 looks in a row, Argus kills each confirmed orphan older than the minimum age (kill_pid: never PID 1, never itself, only commands on the kill allowlist).',
    ],
    steps: [
      {
        title: 'Find what starts them',
        run: [ps],
        verify: 'You know which job or session leaves them behind (their command line tells).',
        rollback: READ_ONLY,
      },
      {
        title: 'Fix the job so it waits for its children',
        run: [],
        verify: 'No new orphan appears at the next runs; the incident resolves.',
        rollback: 'Revert the change to the job.',
      },
    ],
  };
}

function hostGuide(p: ProblemSummary, kind: 'swap' | 'cpu'): Guide {
  const cmd = kind === 'swap' ? 'vmstat 5 5' : 'top -b -n 1 -o %CPU | head -n 20';
  const who =
    kind === 'swap'
      ? 'ps -eo pid,comm --sort=-rss | head -n 10'
      : 'ps -eo pid,pcpu,etime,comm --sort=-pcpu | head -n 10';
  return {
    applies: `Argus alerts "${cell(p.last_description)}".`,
    confirm: [cmd, who],
    automatic: [
      kind === 'swap'
        ? 'Argus names the processes holding the most swap; it changes nothing by itself.'
        : 'Argus names the top CPU users; it changes nothing by itself.',
    ],
    steps: [
      {
        title: 'Find the consumer',
        run: [who],
        verify: 'You know whether it is expected (a batch job, a backup) or runaway.',
        rollback: READ_ONLY,
      },
      {
        title: 'Restart, reschedule or cap it',
        run: [],
        verify: 'The value is back under the clear threshold in `argus status`.',
        rollback: 'Undo the change to the job or unit.',
      },
    ],
  };
}

function genericGuide(p: ProblemSummary): Guide {
  return {
    applies: `Argus reports "${cell(p.last_description)}".`,
    confirm: ['argus status', `argus problems --identity ${shellWord(p.identity) ?? "'*'"} --since 24h`],
    automatic: ['Argus records each detection and notifies once per incident.'],
    steps: [
      {
        title: 'Read the evidence and the latest snapshot',
        run: ['argus status'],
        verify: 'You know what the finding is about.',
        rollback: READ_ONLY,
      },
      {
        title: 'Fix the cause, or silence it with a reason if it is expected',
        run: [],
        verify: '`argus once --dry-run` shows no finding for it.',
        rollback: 'Remove the silence (`argus silence --remove`).',
      },
    ],
  };
}

/** The guide for a problem, written with what the registry knows about it. */
export function guideFor(p: ProblemSummary): Guide {
  const restarted = Object.keys(p.actions).some((a) => a.startsWith('restart_service:'));
  switch (p.type) {
    case 'service':
      return serviceGuide(p, p.known.unit ?? p.subject, restarted);
    case 'restart':
      return restartsGuide(p, p.known.unit ?? p.subject);
    case 'probe':
      return probeGuide(p, p.known);
    case 'disk':
      return diskGuide(p, p.known.mount ?? p.subject.replace(/^inodes:/, ''), p.subject.startsWith('inodes:'));
    case 'memory':
      return memoryGuide(p, p.known);
    case 'process':
      return orphansGuide(p);
    case 'swap':
    case 'cpu':
      return hostGuide(p, p.type);
    default:
      return genericGuide(p);
  }
}
