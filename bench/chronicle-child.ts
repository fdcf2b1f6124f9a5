// Child process of the benchmark: aggregate a registry file once (its peak RSS is read by the rusage hook).
import { aggregate } from '../src/agents/chronicler/aggregate.js';

const [registryPath, historyPath, since, until] = process.argv.slice(2) as [string, string, string, string];
const t = performance.now();
const a = await aggregate({ registryPath, historyPath, since: new Date(since), until: new Date(until) });
process.stdout.write(JSON.stringify({ ms: performance.now() - t, records: a.records, patterns: a.patterns.length }));
