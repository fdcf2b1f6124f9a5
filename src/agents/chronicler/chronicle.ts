// The chronicle run: aggregate the window, write the docs, build the daily summary and publish it once a day.
import { dirname } from 'node:path';
import { aggregate, type AggregateInput } from './aggregate.js';
import { buildIndex, readIndex, runbookIndexPath, writeIndex } from './knowledge.js';
import type { Analysis } from './schemas.js';
import {
  buildDailySummary,
  publishDaily,
  type DailySummary,
  type PublishDailyResult,
  type PublishSummary,
} from './summary.js';
import { writeDocs, type Exec, type ImproveDoc, type WriteDocsResult } from './write-docs.js';

export interface ChronicleInput extends AggregateInput {
  outDir: string;
  dryRun?: boolean;
  commit?: boolean;
  exec?: Exec;
  /** Where chronicle_state.json lives; with `publish`, the summary goes out at most once a day. */
  statePath?: string;
  publish?: PublishSummary;
  /** The chronicler micro-agent's prose pass (see prose.ts); absent: deterministic documents only. */
  improve?: ImproveDoc;
}

export interface ChronicleResult {
  analysis: Analysis;
  written: WriteDocsResult;
  summary: DailySummary;
  published: PublishDailyResult | null;
}

export async function runChronicle(input: ChronicleInput): Promise<ChronicleResult> {
  const analysis = await aggregate(input);
  const written = await writeDocs(analysis, {
    outDir: input.outDir,
    dryRun: input.dryRun,
    commit: input.commit,
    exec: input.exec,
    ...(input.improve ? { improve: input.improve } : {}),
  });
  // The runbooks as data for the next diagnosis (get_runbook): beside chronicle_state.json, in the state dir.
  if (input.statePath && !input.dryRun) {
    const path = runbookIndexPath(dirname(input.statePath));
    writeIndex(path, buildIndex(analysis, input.outDir, readIndex(path)));
  }
  const summary = buildDailySummary(analysis, input.until.toISOString().slice(0, 10), written.docs);
  const published =
    input.publish && input.statePath && !input.dryRun
      ? await publishDaily({ statePath: input.statePath, summary, publish: input.publish })
      : null;
  return { analysis, written, summary, published };
}
