// Reading procfs/sysfs text under the host's root (a fixture tree in tests), with plain-word errors.
import { readFile } from 'node:fs/promises';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Host } from '../../host/port.js';

/** Linux page size on the machines Argus targets (x86_64, arm64 with 4k pages). */
export const PAGE_SIZE = 4096;
/** USER_HZ: the unit of /proc/stat and /proc/PID/stat times on every Linux ABI in use. */
export const CLK_TCK = 100;

/** `rel` is a host path like "/proc/meminfo"; the result lives under host.root. */
export function hostPath(host: Host, rel: string): string {
  return join(host.root, rel);
}

function describe(rel: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new Error(`cannot read ${rel} (${code})`, { cause: error });
}

/** Read a whole file; throws an Error in plain words ("cannot read /proc/meminfo (ENOENT)"). */
export async function readHostText(host: Host, rel: string): Promise<string> {
  try {
    return await readFile(hostPath(host, rel), 'utf8');
  } catch (error) {
    throw describe(rel, error);
  }
}

/** Like readHostText but a missing or unreadable file is null. */
export async function tryReadHostText(host: Host, rel: string): Promise<string | null> {
  try {
    return await readFile(hostPath(host, rel), 'utf8');
  } catch {
    return null;
  }
}

/**
 * Synchronous read for the per-process hot path: open/read/close into a caller's buffer, ~5 µs a file where the
 * thread pool costs ~50 µs. Only for files the kernel serves without taking the target's mm lock (stat, not cmdline).
 */
export function tryReadHostTextSync(host: Host, rel: string, buffer: Buffer): string | null {
  let fd: number | undefined;
  try {
    fd = openSync(hostPath(host, rel), 'r');
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    if (n < buffer.length) return buffer.toString('utf8', 0, n);
    return readFileSync(hostPath(host, rel), 'utf8'); // larger than the buffer: rare, read it whole
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** "Key:   123 kB" lines (meminfo, status) → bytes; values without a unit are kept as they are. */
export function parseKbLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([^:\s]+):\s+(\d+)(\s+kB)?/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]) * (m[3] ? 1024 : 1));
  }
  return out;
}

/** "key value" lines (vmstat, memory.stat) → numbers. */
export function parseSpaceLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^-?\d+$/.test(value)) out.set(key, Number(value));
  }
  return out;
}

/** Round to one decimal: percentages are reported, not integrated. */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A required numeric key, or a plain-word error naming the file. */
export function need(map: Map<string, number>, key: string, file: string): number {
  const v = map.get(key);
  if (v === undefined) throw new Error(`${file} has no ${key}`);
  return v;
}
