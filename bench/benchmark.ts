// What a benchmark module gives the runner: a name (its section in the JSON), a readable report, the targets it
// checks, and any sanity problems (wrong results make the timings meaningless, so they fail the run).

export interface BenchmarkContext {
  /** Progress for a person watching; silent under --json. */
  progress(message: string): void;
}

export interface Target {
  /** Stable key in the JSON, e.g. `plan_100k_under_2000_ms`. */
  id: string;
  /** As a person reads it: `100k resources planned in < 2000 ms`. */
  description: string;
  /** The measured value, formatted: `1234 ms`. */
  actual: string;
  met: boolean;
}

export interface BenchmarkReport {
  /** The benchmark's section of the JSON document. */
  json: Record<string, unknown>;
  /** Tables and notes, already formatted. */
  text: string;
  targets: Target[];
  /** Empty when the results were checked and are right. */
  problems: string[];
  /** What the sanity checks verified, for the summary line: `every apply succeeded`. */
  sanity?: string;
}

export interface Benchmark {
  name: string;
  title: string;
  run(context: BenchmarkContext): Promise<BenchmarkReport>;
}
