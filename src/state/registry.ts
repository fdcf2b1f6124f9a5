// The problem registry (problems.jsonl): append records, repair a torn tail, stream and filter.
import type { ProblemRecord } from '../model/record.js';
import { globRegExp } from '../model/glob.js';
import { appendJsonl, repairJsonl, type RepairResult } from './jsonl.js';
import { pickInWindow } from './registry-window.js';

export interface RegistryFilter {
  sinceMs?: number;
  type?: string;
  identity?: string;
  kind?: string;
}

export class Registry {
  constructor(readonly path: string) {}

  repair(): RepairResult {
    return repairJsonl(this.path);
  }

  append(records: readonly ProblemRecord[]): void {
    appendJsonl(this.path, records);
  }

  /** Stream records matching the filter, oldest first; invalid lines are skipped (see registry-window.ts). */
  query(filter: RegistryFilter = {}): AsyncGenerator<ProblemRecord> {
    const identity = filter.identity ? globRegExp(filter.identity) : null;
    return pickInWindow(this.path, filter.sinceMs ?? -Infinity, Infinity, (r) => {
      if (filter.type && r.type !== filter.type) return null;
      if (identity && !(r.identity !== null && identity.test(r.identity))) return null;
      if (filter.kind && r.kind !== filter.kind) return null;
      return r;
    });
  }

  async list(filter: RegistryFilter = {}): Promise<ProblemRecord[]> {
    const out: ProblemRecord[] = [];
    for await (const r of this.query(filter)) out.push(r);
    return out;
  }
}
