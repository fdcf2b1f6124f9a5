// The problem registry (problems.jsonl): append records, repair a torn tail, stream and filter.
import { ProblemRecordSchema, type ProblemRecord } from '../model/record.js';
import { globRegExp } from '../model/glob.js';
import { appendJsonl, readJsonl, repairJsonl, type RepairResult } from './jsonl.js';

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

  /** Stream records matching the filter, oldest first; invalid lines are skipped. */
  async *query(filter: RegistryFilter = {}): AsyncGenerator<ProblemRecord> {
    const identity = filter.identity ? globRegExp(filter.identity) : null;
    for await (const value of readJsonl(this.path)) {
      const parsed = ProblemRecordSchema.safeParse(value);
      if (!parsed.success) continue;
      const r = parsed.data;
      if (filter.sinceMs !== undefined && Date.parse(r.ts) < filter.sinceMs) continue;
      if (filter.type && r.type !== filter.type) continue;
      if (identity && !(r.identity !== null && identity.test(r.identity))) continue;
      if (filter.kind && r.kind !== filter.kind) continue;
      yield r;
    }
  }

  async list(filter: RegistryFilter = {}): Promise<ProblemRecord[]> {
    const out: ProblemRecord[] = [];
    for await (const r of this.query(filter)) out.push(r);
    return out;
  }
}
