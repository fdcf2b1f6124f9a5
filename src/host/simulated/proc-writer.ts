// Writes the world as a /proc tree under the sim root: meminfo, stat, vmstat, loadavg, uptime, mountinfo, per-process files.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryUsedBytes, swapUsedBytes, type SimProcess, type World } from './world.js';

export const CLK_TCK = 100;
const KB = 1024;

/** Argus's own process in the simulated machine (its PID is host.pid). */
export interface SelfProcess {
  pid: number;
  rssBytes: number;
}

interface ProcRow {
  pid: number;
  ppid: number;
  comm: string;
  argv: string[];
  startTicks: number;
  ticks: number;
  rssPages: number;
  swapKb: number;
  state: string;
}

/** One /proc/PID/stat line with all 52 fields; the ones Argus reads are set, the rest are plausible zeros. */
export function statLine(p: ProcRow): string {
  const f: Array<string | number> = new Array(52).fill(0);
  f[0] = p.pid;
  f[1] = `(${p.comm})`;
  f[2] = p.state;
  f[3] = p.ppid;
  f[4] = p.pid;
  f[5] = p.pid;
  f[7] = -1;
  f[13] = p.ticks;
  f[17] = 20;
  f[19] = 1;
  f[21] = p.startTicks;
  f[22] = p.rssPages * 4096 * 3;
  f[23] = p.rssPages;
  f[24] = '18446744073709551615';
  return `${f.join(' ')}\n`;
}

function writeRow(root: string, p: ProcRow): void {
  const dir = join(root, 'proc', String(p.pid));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stat'), statLine(p));
  const status = [`Name:\t${p.comm}`, `State:\t${p.state} (sleeping)`, `Pid:\t${p.pid}`, `PPid:\t${p.ppid}`];
  if (p.argv.length > 0) status.push(`VmRSS:\t${p.rssPages * 4} kB`, `VmSwap:\t${p.swapKb} kB`);
  writeFileSync(join(dir, 'status'), `${status.join('\n')}\n`);
  writeFileSync(join(dir, 'cmdline'), p.argv.length > 0 ? `${p.argv.join('\0')}\0` : '');
}

export function rowOf(p: SimProcess, btimeMs: number): ProcRow {
  return {
    pid: p.pid,
    ppid: p.ppid,
    comm: p.comm,
    argv: p.argv,
    startTicks: Math.max(1, Math.round(((p.startMs - btimeMs) / 1000) * CLK_TCK)),
    ticks: p.ticks,
    rssPages: Math.round(p.rssBytes / 4096),
    swapKb: Math.round(p.swapBytes / KB),
    state: 'S',
  };
}

export function writeProcess(root: string, p: SimProcess, btimeMs: number): void {
  writeRow(root, rowOf(p, btimeMs));
}

export function removeProcess(root: string, pid: number): void {
  rmSync(join(root, 'proc', String(pid)), { recursive: true, force: true });
}

/** The slug of a mount under `<root>/fs/`: "/" → "root", "/var/lib/x" → "var_lib_x". */
export function diskSlug(mount: string): string {
  return mount === '/' ? 'root' : mount.slice(1).replace(/\//g, '_');
}

function mountinfo(w: World): string {
  const lines = [
    '22 28 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw',
    '23 28 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw',
    '30 28 0:25 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=1638400k,mode=755',
  ];
  w.disks.forEach((d, i) =>
    lines.push(
      `${40 + i} ${i === 0 ? 1 : 28} 259:${i + 1} / ${d.mount} rw,relatime shared:${i + 1} - ext4 /dev/vd${String.fromCharCode(97 + i)}1 rw`,
    ),
  );
  return `${lines.join('\n')}\n`;
}

/** Rewrite the whole tree from the world (before each cycle). Stale /proc/PID directories are removed. */
export function writeProcTree(root: string, w: World, nowMs: number, btimeMs: number, self: SelfProcess): void {
  const proc = join(root, 'proc');
  mkdirSync(join(proc, 'self'), { recursive: true });
  const rows: ProcRow[] = [
    {
      pid: 1,
      ppid: 0,
      comm: 'systemd',
      argv: ['/sbin/init'],
      startTicks: 10,
      ticks: 500,
      rssPages: 3000,
      swapKb: 0,
      state: 'S',
    },
    { pid: 2, ppid: 0, comm: 'kthreadd', argv: [], startTicks: 10, ticks: 0, rssPages: 0, swapKb: 0, state: 'S' },
    {
      pid: self.pid,
      ppid: 1,
      comm: 'node',
      argv: ['/usr/bin/node', '/opt/argus/dist/cli.js', 'once'],
      startTicks: Math.round(((nowMs - 1000 - btimeMs) / 1000) * CLK_TCK),
      ticks: 10,
      rssPages: Math.round(self.rssBytes / 4096),
      swapKb: 0,
      state: 'R',
    },
    ...[...w.processes.values()].map((p) => rowOf(p, btimeMs)),
  ];
  const wanted = new Set(rows.map((r) => String(r.pid)));
  for (const name of readdirSync(proc)) if (/^\d+$/.test(name) && !wanted.has(name)) removeProcess(root, Number(name));
  for (const r of rows) writeRow(root, r);

  const total = w.memTotalBytes;
  const avail = Math.max(0, total - memoryUsedBytes(w));
  const swapFree = Math.max(0, w.swapTotalBytes - swapUsedBytes(w));
  const kb = (n: number) => Math.round(n / KB);
  writeFileSync(
    join(proc, 'meminfo'),
    [
      `MemTotal:       ${kb(total)} kB`,
      `MemFree:        ${kb(avail * 0.6)} kB`,
      `MemAvailable:   ${kb(avail)} kB`,
      `Buffers:        ${kb(avail * 0.05)} kB`,
      `Cached:         ${kb(avail * 0.3)} kB`,
      `SwapTotal:      ${kb(w.swapTotalBytes)} kB`,
      `SwapFree:       ${kb(swapFree)} kB`,
      '',
    ].join('\n'),
  );
  const c = w.counters;
  const busy = c.cpuTotal - c.cpuIdle;
  const cpuLine = (div: number) => `${Math.floor(busy / div)} 0 0 ${Math.floor(c.cpuIdle / div)} 0 0 0 0 0 0`;
  const perCore = Array.from({ length: w.cores }, (_, n) => `cpu${n} ${cpuLine(w.cores)}`);
  writeFileSync(
    join(proc, 'stat'),
    [
      `cpu  ${cpuLine(1)}`,
      ...perCore,
      'intr 0',
      'ctxt 0',
      `btime ${Math.floor(btimeMs / 1000)}`,
      `processes ${rows.length}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(proc, 'loadavg'),
    `${w.load1.toFixed(2)} ${w.load1.toFixed(2)} ${w.load1.toFixed(2)} 1/${rows.length} ${self.pid}\n`,
  );
  const uptime = Math.floor((nowMs - btimeMs) / 1000);
  writeFileSync(join(proc, 'uptime'), `${uptime}.00 ${uptime * w.cores}.00\n`);
  writeFileSync(
    join(proc, 'vmstat'),
    `nr_free_pages 100000\npgpgin 1\npgpgout 2\npswpin ${c.pswpin}\npswpout ${c.pswpout}\n`,
  );
  writeFileSync(join(proc, 'self', 'mountinfo'), mountinfo(w));
  writeFileSync(join(proc, 'self', 'cgroup'), '0::/system.slice/argus.service\n');
  // A process with a limit of its own (a unit's MemoryMax): its cgroup v2 files, its RSS as the cgroup's usage.
  for (const p of w.processes.values()) {
    if (p.cgroupLimitBytes === null) continue;
    const dir = join(root, 'sys/fs/cgroup/system.slice', `sim-${p.pid}.service`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(proc, String(p.pid), 'cgroup'), `0::/system.slice/sim-${p.pid}.service\n`);
    writeFileSync(join(dir, 'memory.max'), `${Math.round(p.cgroupLimitBytes)}\n`);
    writeFileSync(join(dir, 'memory.current'), `${Math.round(Math.min(p.rssBytes, p.cgroupLimitBytes))}\n`);
    writeFileSync(join(dir, 'memory.stat'), 'inactive_file 0\n');
  }
}
