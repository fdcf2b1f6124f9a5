// Loaded with `node --import` by the benchmark: at exit, write this process's CPU time and peak RSS to a file.
import { writeFileSync } from 'node:fs';
const out = process.env.ARGUS_BENCH_RUSAGE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ userUs: u.userCPUTime, systemUs: u.systemCPUTime, maxRssKb: u.maxRSS }));
  });
}
