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
