// What the simulated machine answers to the programs Argus runs: systemctl, journalctl, tmux (bd is an in-memory tracker).
import type { ExecResult } from '../port.js';
import { unitOf, type SimService, type World } from './world.js';

export interface CommandContext {
  world: World;
  nowMs: number;
  /** The one tmux socket the simulated sessions live on. */
  tmuxSocket: string;
}

export function result(exitCode: number, stdout = '', stderr = ''): ExecResult {
  return {
    exitCode,
    signal: null,
    stdout,
    stderr,
    timedOut: false,
    durationMs: 1,
    failed: exitCode !== 0,
    spawnError: null,
  };
}

export function notInstalled(): ExecResult {
  return {
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    timedOut: false,
    durationMs: 0,
    failed: true,
    spawnError: 'ENOENT',
  };
}

const ALL_PROPS = [
  'Id',
  'LoadState',
  'ActiveState',
  'SubState',
  'Result',
  'UnitFileState',
  'Type',
  'NRestarts',
  'MainPID',
  'InvocationID',
  'ActiveEnterTimestamp',
];

function props(unit: string, s: SimService | undefined): Record<string, string> {
  if (!s || s.state === 'missing') {
    return {
      Id: unit,
      LoadState: 'not-found',
      ActiveState: 'inactive',
      SubState: 'dead',
      Result: 'success',
      UnitFileState: '',
      Type: 'simple',
      NRestarts: '0',
      MainPID: '0',
      InvocationID: '',
      ActiveEnterTimestamp: '',
    };
  }
  const active = s.state === 'active';
  return {
    Id: unit,
    LoadState: 'loaded',
    ActiveState: active ? 'active' : s.state === 'failed' ? 'failed' : 'inactive',
    SubState: active ? 'running' : s.state === 'failed' ? 'failed' : 'dead',
    Result: s.state === 'failed' ? 'exit-code' : 'success',
    UnitFileState: 'enabled',
    Type: 'simple',
    NRestarts: String(s.nRestarts),
    MainPID: active ? String(20_000 + s.invocation) : '0',
    InvocationID: `${unit.replace(/\W/g, '')}${s.invocation}`,
    ActiveEnterTimestamp: active ? new Date(s.activeSinceMs).toUTCString() : '',
  };
}

function systemctl(args: readonly string[], ctx: CommandContext): ExecResult {
  const dash = args.indexOf('--');
  const verb = args.find((a) => !a.startsWith('-')) ?? '';
  const units = (
    dash >= 0 ? args.slice(dash + 1) : args.slice(args.indexOf(verb) + 1).filter((a) => !a.startsWith('-'))
  ).map(unitOf);
  const services = ctx.world.services;
  switch (verb) {
    case 'is-system-running':
      return result(0, 'running\n');
    case 'show': {
      let wanted = ALL_PROPS;
      const p = args.indexOf('-p');
      const eq = args.find((a) => a.startsWith('--property='));
      if (p >= 0 && args[p + 1]) wanted = args[p + 1]!.split(',');
      else if (eq) wanted = eq.slice('--property='.length).split(',');
      const blocks = units.map((u) => {
        const all = props(u, services.get(u));
        return wanted.map((k) => `${k}=${all[k] ?? ''}`).join('\n');
      });
      return result(0, `${blocks.join('\n\n')}\n`);
    }
    case 'reset-failed':
      return result(0);
    case 'restart': {
      const u = units[0] ?? '';
      const s = services.get(u);
      if (!s || s.state === 'missing') return result(5, '', `Failed to restart ${u}: Unit ${u} not found.\n`);
      s.restartsAsked++;
      s.invocation++;
      if (s.revives) {
        s.state = 'active';
        s.activeSinceMs = ctx.nowMs;
        return result(0);
      }
      s.state = 'failed';
      return result(
        1,
        '',
        `Job for ${u} failed because the control process exited with error code.\nSee "systemctl status ${u}" and "journalctl -xeu ${u}" for details.\n`,
      );
    }
    default:
      return result(1, '', `Unknown command verb ${verb} (not simulated).\n`);
  }
}

function journalctl(args: readonly string[], ctx: CommandContext): ExecResult {
  const u = args[args.indexOf('-u') + 1] ?? '';
  const s = ctx.world.services.get(unitOf(u));
  if (!s || s.state === 'missing') return result(0, '-- No entries --\n');
  const lines =
    s.state === 'active'
      ? [`Started ${s.name}.`]
      : [`${s.name}: Main process exited, code=exited, status=1/FAILURE`, `${s.name}: Failed with result 'exit-code'.`];
  return result(0, `${lines.join('\n')}\n`);
}

function tmux(args: readonly string[], ctx: CommandContext): ExecResult {
  let rest = [...args];
  let socket: string | null = null;
  if (rest[0] === '-S') {
    socket = rest[1] ?? null;
    rest = rest.slice(2);
  }
  if (socket !== ctx.tmuxSocket || ctx.world.tmux.size === 0) {
    return result(1, '', `no server running on ${socket ?? '/tmp/tmux-0/default'}\n`);
  }
  const target = (rest[rest.indexOf('-t') + 1] ?? '').replace(/^=/, '');
  switch (rest[0]) {
    case 'list-sessions':
      return result(
        0,
        [...ctx.world.tmux.values()]
          .map((t) => `${t.name}\t${t.windows}\t${Math.floor(t.createdMs / 1000)}\t0\n`)
          .join(''),
      );
    case 'has-session':
      return ctx.world.tmux.has(target) ? result(0) : result(1, '', `can't find session: ${target}\n`);
    case 'kill-session':
      return ctx.world.tmux.delete(target) ? result(0) : result(1, '', `can't find session: ${target}\n`);
    default:
      return result(1, '', `unknown command: ${rest[0] ?? ''}\n`);
  }
}

/** Answer one command; programs the simulation does not know are "not installed". */
export function answer(file: string, args: readonly string[], ctx: CommandContext): ExecResult {
  switch (file) {
    case 'systemctl':
      return systemctl(args, ctx);
    case 'journalctl':
      return journalctl(args, ctx);
    case 'tmux':
      return tmux(args, ctx);
    default:
      return notInstalled();
  }
}
