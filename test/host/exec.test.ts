// The one way Argus runs programs: argument arrays, outcomes as values, bounded time and output.
import { describe, expect, it } from 'vitest';
import { execFile } from '../../src/host/exec.js';

const node = process.execPath;

describe('execFile', () => {
  it('returns a non-zero exit as a value', async () => {
    const r = await execFile(node, ['-e', 'process.stderr.write("bad"); process.exit(2)']);
    expect(r).toMatchObject({ exitCode: 2, failed: true, timedOut: false, stderr: 'bad', spawnError: null });
  });

  it('kills a command that hangs at its timeout', async () => {
    const r = await execFile(node, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 300 });
    expect(r).toMatchObject({ timedOut: true, failed: true, signal: 'SIGKILL' });
  });

  it('caps a flood of output', async () => {
    const r = await execFile(node, ['-e', 'process.stderr.write("x".repeat(5e6))'], { maxBuffer: 1000 });
    expect(r.stderr.length).toBe(1000);
  });

  it('says so when the program is not installed', async () => {
    const r = await execFile('/nonexistent/argus-tool', []);
    expect(r).toMatchObject({ failed: true, spawnError: 'ENOENT', exitCode: null });
  });

  it('passes shell metacharacters as plain arguments (no shell)', async () => {
    const hostile = '$(touch /tmp/pwned); `id` | rm -rf / && echo';
    const r = await execFile(node, [
      '-e',
      'process.stdout.write(JSON.stringify(process.argv.slice(1)))',
      hostile,
      "it's",
    ]);
    expect(JSON.parse(r.stdout)).toEqual([hostile, "it's"]);
  });

  it('feeds input on stdin when given', async () => {
    const r = await execFile(node, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'hello' });
    expect(r).toMatchObject({ stdout: 'hello', exitCode: 0, failed: false });
  });
});
