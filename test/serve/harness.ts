// Start the built `argus serve` on a temp state dir and talk to it over real HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
/** The built CLI (`npm run build`); ARGUS_E2E_CLI points the tests at another build (a private `tsc --outDir`). */
export const CLI = process.env.ARGUS_E2E_CLI ? resolve(process.env.ARGUS_E2E_CLI) : join(ROOT, 'dist/cli.js');
export const BUILT = existsSync(CLI);

export interface Served {
  child: ChildProcess;
  url: string;
  port: number;
  stderr: () => string;
  stop(): Promise<number | null>;
}

export function baseEnv(stateDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: stateDir,
    ARGUS_STATE_DIR: stateDir,
    ARGUS_LOG_LEVEL: 'warn',
    ARGUS_HOSTNAME: 'e2e',
    ...extra,
  };
}

/** Spawn `argus serve --port 0 …` and wait for its "listening on" line. */
export function startServe(stateDir: string, args: string[] = [], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    env: baseEnv(stateDir, env),
    cwd: stateDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise<Served>((resolveServed, reject) => {
    const timer = setTimeout(() => reject(new Error(`argus serve did not start in 15 s: ${err}`)), 15_000);
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      err += c;
      const m = /listening on (http:\/\/\S+?:(\d+)\/)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolveServed({
          child,
          url: m[1]!,
          port: Number(m[2]),
          stderr: () => err,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`argus serve exited ${code}: ${err}`));
    });
  });
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  raw: Buffer;
}

/** A raw request (any Host header, any method); the body as bytes and as UTF-8, never decompressed. */
export function http(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolveReply, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          resolveReply({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8'), raw });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
