// Read a registry file as a test would check it: every line parsed, none skipped; a missing file is empty.
import { readFileSync } from 'node:fs';
import type { ProblemRecord } from '../../src/model/record.js';

export function readRecords(path: string): ProblemRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ProblemRecord);
}
