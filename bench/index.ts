// `npm run bench`: runs the benchmarks and prints their tables and targets. `npm run bench -- --json` prints one JSON
// document instead, `{ "<benchmark>": { ... } }`, and nothing else on stdout. Names after the flags pick benchmarks
// (`npm run bench -- planner`). Exits 1 when a benchmark's results are wrong; a missed target is reported, not fatal.
import { cpus } from 'node:os';
import type { Benchmark, BenchmarkReport } from './benchmark.js';
import { executorBenchmark } from './executor-benchmark.js';
import { plannerBenchmark } from './planner-benchmark.js';

/** Adding a benchmark is one line here. */
const benchmarks: Benchmark[] = [plannerBenchmark, executorBenchmark];

async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const names = argv.filter((argument) => !argument.startsWith('--'));
  const unknown = names.filter((name) => !benchmarks.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `Unknown benchmark ${unknown.join(', ')}. Known: ${benchmarks.map((benchmark) => benchmark.name).join(', ')}.\n`,
    );
    return 2;
  }
  const selected =
    names.length > 0 ? benchmarks.filter((benchmark) => names.includes(benchmark.name)) : benchmarks;

  if (!json)
    console.log(`Conductor benchmarks: node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}\n`);
  const document: Record<string, unknown> = {};
  let failed = false;
  for (const benchmark of selected) {
    const report = await benchmark.run({
      progress: (message) => {
        if (!json) process.stderr.write(`  ${benchmark.name}: ${message}...\n`);
      },
    });
    document[benchmark.name] = report.json;
    if (report.problems.length > 0) {
      failed = true;
      // Loud on stderr in both modes: a wrong result must not pass as a fast one.
      for (const problem of report.problems)
        process.stderr.write(`\nSANITY CHECK FAILED (${benchmark.name}): ${problem}\n`);
    }
    if (!json) printReport(benchmark, report);
  }
  if (json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  return failed ? 1 : 0;
}

function printReport(benchmark: Benchmark, report: BenchmarkReport): void {
  console.log(`\n${benchmark.title}\n`);
  console.log(report.text);
  console.log('\nTargets:');
  for (const target of report.targets) {
    console.log(`  ${target.met ? 'met   ' : 'MISSED'}  ${target.description.padEnd(48)} ${target.actual}`);
  }
  if (report.problems.length > 0) {
    console.log('\nSanity checks FAILED:');
    for (const problem of report.problems) console.log(`  - ${problem}`);
  } else console.log(`\nSanity checks passed${report.sanity ? `: ${report.sanity}` : ''}.`);
}

process.exitCode = await main(process.argv.slice(2));
