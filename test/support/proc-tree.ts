// A synthetic /proc tree (and the few host files the collector reads) for collector tests and the benchmark.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeProc {
  pid: number;
  ppid: number;
  comm: string;
  /** argv; written NUL-separated. Empty for kernel threads. */
  argv: string[];
  /** Clock ticks after boot (field 22). */
  startTicks: number;
  /** utime + stime ticks (written as utime, stime 0). */
  ticks?: number;
  rssPages?: number;
  vmSwapKb?: number;
  state?: string;
}

export interface ProcTreeOptions {
  /** Generic user processes added besides init, kthreadd, a few kernel threads and `extra`. */
  processes?: number;
  extra?: FakeProc[];
  /** Leave out the standard init (PID 1) and kthreadd (PID 2), e.g. to describe them in `extra`. */
  noInit?: boolean;
  btime?: number;
  memTotalKb?: number;
  memAvailableKb?: number;
  swapTotalKb?: number;
  swapFreeKb?: number;
  /** First /proc/stat line counters: user nice system idle iowait irq softirq steal. */
  cpu?: number[];
  cores?: number;
  loadavg?: [number, number, number];
  uptimeSec?: number;
  pswpin?: number;
  pswpout?: number;
  mountinfo?: string;
  cgroup?: string;
}

export const DEFAULT_BTIME = 1_700_000_000;

/** One /proc/PID/stat line with all 52 fields; the ones Argus reads are set, the rest are plausible zeros. */
export function statLine(p: FakeProc): string {
  const f: Array<string | number> = new Array(52).fill(0);
  f[0] = p.pid;
  f[1] = `(${p.comm})`;
  f[2] = p.state ?? 'S';
  f[3] = p.ppid;
  f[4] = p.pid;
  f[5] = p.pid;
  f[7] = -1;
  f[13] = p.ticks ?? 0;
  f[17] = 20;
  f[19] = 1;
  f[21] = p.startTicks;
  f[22] = (p.rssPages ?? 0) * 4096 * 3;
  f[23] = p.rssPages ?? 0;
  f[24] = '18446744073709551615';
  return `${f.join(' ')}\n`;
}

function statusText(p: FakeProc): string {
  const lines = [`Name:\t${p.comm}`, `State:\t${p.state ?? 'S'} (sleeping)`, `Pid:\t${p.pid}`, `PPid:\t${p.ppid}`];
  if (p.argv.length > 0) lines.push(`VmRSS:\t${(p.rssPages ?? 0) * 4} kB`, `VmSwap:\t${p.vmSwapKb ?? 0} kB`);
  return `${lines.join('\n')}\n`;
}

export function writeProc(root: string, p: FakeProc): void {
  const dir = join(root, 'proc', String(p.pid));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stat'), statLine(p));
  writeFileSync(join(dir, 'status'), statusText(p));
  writeFileSync(join(dir, 'cmdline'), p.argv.length > 0 ? `${p.argv.join('\0')}\0` : '');
}

const COMMANDS = ['nginx', 'postgres', 'node', 'python3', 'bash', 'sshd', 'redis-server', 'claude'];

/** Deterministic: the same options give the same tree. Returns the root to use as host.root. */
export function makeProcTree(root: string, options: ProcTreeOptions = {}): { root: string; procs: FakeProc[] } {
  const btime = options.btime ?? DEFAULT_BTIME;
  const uptime = options.uptimeSec ?? 864_000;
  const cores = options.cores ?? 2;
  const procs: FakeProc[] = [];
  if (!options.noInit) {
    procs.push({ pid: 1, ppid: 0, comm: 'systemd', argv: ['/sbin/init'], startTicks: 10, ticks: 500, rssPages: 3000 });
    procs.push({ pid: 2, ppid: 0, comm: 'kthreadd', argv: [], startTicks: 10 });
    for (let k = 3; k < 10; k++)
      procs.push({ pid: k, ppid: 2, comm: `kworker/${k}`, argv: [], startTicks: 11, ticks: k });
  }
  for (let i = 0; i < (options.processes ?? 0); i++) {
    const comm = COMMANDS[i % COMMANDS.length]!;
    procs.push({
      pid: 1000 + i,
      ppid: i % 5 === 0 ? 1 : 1000 + i - (i % 5),
      comm,
      argv: [`/usr/bin/${comm}`, '--worker', String(i)],
      startTicks: 5000 + i * 37,
      ticks: (i * 7919) % 100_000,
      rssPages: ((i * 104_729) % 60_000) + 100,
    });
  }
  procs.push(...(options.extra ?? []));

  mkdirSync(join(root, 'proc', 'self'), { recursive: true });
  for (const p of procs) writeProc(root, p);
  const memTotal = options.memTotalKb ?? 16_384_000;
  const swapTotal = options.swapTotalKb ?? 0;
  writeFileSync(
    join(root, 'proc', 'meminfo'),
    [
      `MemTotal:       ${memTotal} kB`,
      `MemFree:        ${Math.floor(memTotal / 4)} kB`,
      `MemAvailable:   ${options.memAvailableKb ?? Math.floor(memTotal / 2)} kB`,
      'Buffers:          102400 kB',
      'Cached:          2048000 kB',
      `SwapTotal:      ${swapTotal} kB`,
      `SwapFree:       ${options.swapFreeKb ?? swapTotal} kB`,
      '',
    ].join('\n'),
  );
  const cpu = options.cpu ?? [400_000, 1000, 100_000, 8_000_000, 5000, 0, 2000, 0];
  const perCore = Array.from(
    { length: cores },
    (_, n) => `cpu${n} ${cpu.map((v) => Math.floor(v / cores)).join(' ')} 0 0`,
  );
  writeFileSync(
    join(root, 'proc', 'stat'),
    [
      `cpu  ${cpu.join(' ')} 0 0`,
      ...perCore,
      'intr 0',
      'ctxt 0',
      `btime ${btime}`,
      `processes ${procs.length}`,
      '',
    ].join('\n'),
  );
  const [l1, l5, l15] = options.loadavg ?? [0.5, 0.4, 0.3];
  writeFileSync(
    join(root, 'proc', 'loadavg'),
    `${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)} 1/${procs.length} 9999\n`,
  );
  writeFileSync(join(root, 'proc', 'uptime'), `${uptime}.00 ${uptime * cores}.00\n`);
  writeFileSync(
    join(root, 'proc', 'vmstat'),
    `nr_free_pages 100000\npgpgin 1\npgpgout 2\npswpin ${options.pswpin ?? 0}\npswpout ${options.pswpout ?? 0}\n`,
  );
  writeFileSync(
    join(root, 'proc', 'self', 'mountinfo'),
    options.mountinfo ??
      [
        '22 28 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw',
        '23 28 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw',
        '28 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro',
        '30 28 0:25 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=1638400k,mode=755',
        '',
      ].join('\n'),
  );
  writeFileSync(
    join(root, 'proc', 'self', 'cgroup'),
    options.cgroup ?? '0::/user.slice/user-1000.slice/session-1.scope\n',
  );
  return { root, procs };
}
