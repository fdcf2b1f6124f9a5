// Progress for long commands, on stderr and only when stderr is a terminal: a pipe or a log gets nothing.
import type { CommandIO } from './command.js';

export interface Progress {
  step(label: string): void;
  done(): void;
}

export function progress(io: CommandIO, total: number, noun: string): Progress {
  if (!io.stderrIsTTY) return { step: () => undefined, done: () => undefined };
  let n = 0;
  // \r and erase-line rewrite one line in place; the label is ours (a file name), cut to stay on one line.
  const write = (text: string) => io.stderr(`\r\u001b[2K${text.slice(0, 100)}`);
  return {
    step: (label) => write(`${noun} ${++n} of ${total}: ${label}`),
    done: () => io.stderr('\r\u001b[2K'),
  };
}

/** A count that grows with no known total ("registry records read: 120000"), the same way: a terminal only. */
export function counter(io: CommandIO, noun: string): { set(n: number): void; done(): void } {
  if (!io.stderrIsTTY) return { set: () => undefined, done: () => undefined };
  return {
    set: (n) => io.stderr(`\r\u001b[2K${noun}: ${n.toLocaleString('en-US')}`),
    done: () => io.stderr('\r\u001b[2K'),
  };
}
