// Run a program with an argument array and return its outcome as a value (never a shell).
import { spawn } from 'node:child_process';
import type { ExecOptions, ExecResult } from './port.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/** Argus's own secrets: no child process (systemctl, tmux, bd, git, journalctl) needs them, so none gets them. */
export const CHILD_ENV_DROPPED = ['TELEGRAM_BOT_TOKEN', 'ANTHROPIC_API_KEY', 'ARGUS_MCP_TOKEN'] as const;

/** The environment a child gets: the given one (or this process's), without Argus's secrets. */
export function childEnv(
  env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const name of CHILD_ENV_DROPPED) delete out[name];
  return out;
}
const DEFAULT_MAX_BUFFER = 1024 * 1024;

/**
 * node:child_process rather than execa: the cycle is a cold start every 5 minutes and execa adds ~70 ms
 * of import time (DEPENDENCIES.md); this is the one small piece of it Argus needs.
 */
export function execFile(file: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER;
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file, [...args], {
        shell: false,
        cwd: options.cwd,
        env: childEnv(options.env ?? process.env),
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      resolve({
        exitCode: null,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        durationMs: 0,
        failed: true,
        spawnError: String((error as Error).message),
      });
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (result: Omit<ExecResult, 'durationMs' | 'stdout' | 'stderr'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, stdout, stderr, durationMs: Math.round(performance.now() - started) });
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < maxBuffer) stdout += chunk.slice(0, maxBuffer - stdout.length);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < maxBuffer) stderr += chunk.slice(0, maxBuffer - stderr.length);
    });
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({ exitCode: null, signal: null, timedOut, failed: true, spawnError: error.code ?? error.message });
    });
    child.on('close', (code, signal) => {
      finish({
        exitCode: code,
        signal,
        timedOut,
        failed: timedOut || code !== 0,
        spawnError: null,
      });
    });
  });
}
