// Atomic text writes for files other users read (docs, node_exporter textfiles): world-readable, hidden temp name.
import { writeFileAtomic } from '../../state/atomic.js';

export function writeTextAtomic(path: string, text: string, mode = 0o644): void {
  writeFileAtomic(path, text, { mode, hiddenTemp: true });
}
