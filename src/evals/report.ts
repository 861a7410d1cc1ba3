// What an eval run says: a summary (also the `--json` document), a table a person reads in the terminal, and a
// Markdown report for pull requests. All three come from one summary, so they always agree. Failures cite case ids
// and say, check by check, what was expected and what came back.
import type { TokenUsage } from '../agent/intent-model.js';
import type { Intent } from '../model/intent.js';
import { formatTable } from '../review/format-table.js';
import type { EvalExpectation } from './cases.js';
import type { CaseProblem } from './eval-model.js';
import type { CaseResult, EvalRun } from './run.js';
import type { SafetyCheck } from './safety.js';

export const HOLDOUT_TAG = 'holdout';

export interface Tally {
  cases: number;
  exactCases: number;
  /** exactCases / cases (0 when there are no cases). */
  exact: number;
}

export interface Difference {
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface Failure {
  id: string;
  input: string;
  /** file:line of the case. */
  source: string;
  tags: string[];
  expect: EvalExpectation;
  intent?: Intent;
  error?: CaseProblem;
  /** The checks that did not hold. */
  differences: Difference[];
}

export interface SafetyFailure {
  id: string;
  input: string;
  outcome: string;
  planned: string[];
  /** The checks that did not hold. */
  checks: Array<Pick<SafetyCheck, 'check' | 'detail'>>;
}

export interface SafetySummary {
  /** Injection cases that ran (a case whose model call failed counts, as a failure). */
  cases: number;
  passed: number;
  /** Of those, how many plans a mandatory policy blocked. */
  blocked: number;
  failures: SafetyFailure[];
}

export interface LatencySummary {
  medianMs: number;
  p95Ms: number;
  meanMs: number;
  totalMs: number;
  slowest?: { id: string; ms: number };
}

export interface UsageSummary extends TokenUsage {
  requests: number;
  /** Cases whose requests read the prompt cache. */
  cacheHits: number;
  /** Cases that reported usage. */
  casesWithUsage: number;
}

export interface CaseLine {
  id: string;
  status: CaseResult['status'];
  exact: boolean;
  latencyMs: number;
  kind?: string;
  pattern?: string;
  requests?: number;
  usage?: TokenUsage;
  safety?: boolean;
  note?: string;
}

export interface EvalSummary {
  /** `offline`, `anthropic`, `replay`. */
  model: string;
  /** What answered, e.g. `offline` or `claude-sonnet-5-5`. */
  modelName?: string;
  label: string;
  /** Cases scored (skipped ones are not counted). */
  cases: number;
  exactCases: number;
  exact: number;
  /** Cases whose model call (or recording) failed; they count as not exact. */
  errors: number;
  skipped: Array<{ id: string; reason: string }>;
  byKind: Record<string, Tally>;
  byPattern: Record<string, Tally>;
  byTag: Record<string, Tally>;
  /** The `holdout` tag's tally, also in byTag. */
  holdout?: Tally;
  latency: LatencySummary;
  /** Claude (anthropic or replay) only. */
  usage?: UsageSummary;
  failures: Failure[];
  safety: SafetySummary;
  /** `--threshold` as a fraction, and whether the exact rate reached it. */
  threshold?: number;
  passed?: boolean;
  durationMs: number;
  results: CaseLine[];
}

export function summarize(run: EvalRun, options: { threshold?: number } = {}): EvalSummary {
  const ran = run.results.filter((result) => result.status !== 'skipped');
  const exactCases = ran.filter((result) => result.exact).length;
  const byKind = tallyBy(ran, (result) => [result.expect.kind]);
  const byPattern = tallyBy(ran, (result) => (result.expect.pattern ? [result.expect.pattern] : []));
  const byTag = tallyBy(ran, (result) => result.tags);
  const exact = fraction(exactCases, ran.length);
  return {
    model: run.model,
    ...(run.modelName ? { modelName: run.modelName } : {}),
    label: run.label,
    cases: ran.length,
    exactCases,
    exact,
    errors: ran.filter((result) => result.status === 'error').length,
    skipped: run.results
      .filter((result) => result.status === 'skipped')
      .map((result) => ({ id: result.id, reason: result.skipped ?? 'skipped' })),
    byKind,
    byPattern,
    byTag,
    ...(byTag[HOLDOUT_TAG] ? { holdout: byTag[HOLDOUT_TAG] } : {}),
    latency: latencyOf(ran),
    ...usageOf(ran),
    failures: ran.filter((result) => !result.exact).map(failureOf),
    safety: safetyOf(ran),
    ...(options.threshold !== undefined
      ? { threshold: options.threshold, passed: exact >= options.threshold }
      : {}),
    durationMs: Math.round(run.durationMs),
    results: run.results.map(caseLine),
  };
}

function tallyBy(results: readonly CaseResult[], keys: (result: CaseResult) => readonly string[]) {
  const counts = new Map<string, { cases: number; exactCases: number }>();
  for (const result of results) {
    for (const key of new Set(keys(result))) {
      const entry = counts.get(key) ?? { cases: 0, exactCases: 0 };
      entry.cases += 1;
      if (result.exact) entry.exactCases += 1;
      counts.set(key, entry);
    }
  }
  const sorted = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(
    sorted.map(([key, entry]) => [key, { ...entry, exact: fraction(entry.exactCases, entry.cases) }]),
  ) as Record<string, Tally>;
}

function fraction(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

function latencyOf(results: readonly CaseResult[]): LatencySummary {
  const times = results.map((result) => result.latencyMs).sort((a, b) => a - b);
  const slowest = results.reduce<CaseResult | undefined>(
    (worst, result) => (!worst || result.latencyMs > worst.latencyMs ? result : worst),
    undefined,
  );
  const total = times.reduce((sum, time) => sum + time, 0);
  return {
    medianMs: round(percentile(times, 0.5)),
    p95Ms: round(percentile(times, 0.95)),
    meanMs: round(times.length === 0 ? 0 : total / times.length),
    totalMs: round(total),
    ...(slowest ? { slowest: { id: slowest.id, ms: round(slowest.latencyMs) } } : {}),
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function usageOf(results: readonly CaseResult[]): { usage?: UsageSummary } {
  const withUsage = results.filter((result) => result.usage);
  if (withUsage.length === 0) return {};
  const usage: UsageSummary = {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadInputTokens: 0,
    cacheCreationInputTokens: 0,
    cacheHits: 0,
    casesWithUsage: withUsage.length,
  };
  for (const result of withUsage) {
    const tokens = result.usage!;
    usage.requests += result.requests ?? 1;
    usage.inputTokens += tokens.inputTokens;
    usage.outputTokens += tokens.outputTokens;
    usage.cacheReadInputTokens += tokens.cacheReadInputTokens;
    usage.cacheCreationInputTokens += tokens.cacheCreationInputTokens;
    if (tokens.cacheReadInputTokens > 0) usage.cacheHits += 1;
  }
  return { usage };
}

function failureOf(result: CaseResult): Failure {
  return {
    id: result.id,
    input: result.input,
    source: `${result.file}:${result.line}`,
    tags: result.tags,
    expect: result.expect,
    ...(result.intent ? { intent: result.intent } : {}),
    ...(result.error ? { error: result.error } : {}),
    differences: result.checks
      .filter((check) => !check.ok)
      .map(({ field, expected, actual }) => ({ field, expected, actual })),
  };
}

function safetyOf(results: readonly CaseResult[]): SafetySummary {
  const injection = results.filter(
    (result) => result.safety || (result.status === 'error' && isInjection(result)),
  );
  const failures: SafetyFailure[] = [];
  for (const result of injection) {
    if (!result.safety) {
      failures.push({
        id: result.id,
        input: result.input,
        outcome: 'error',
        planned: [],
        checks: [
          {
            check: 'model',
            detail: `The model call failed (${result.error?.code ?? 'error'}), so the request never reached a plan.`,
          },
        ],
      });
      continue;
    }
    if (result.safety.passed) continue;
    failures.push({
      id: result.id,
      input: result.input,
      outcome: result.safety.outcome,
      planned: result.safety.planned,
      checks: result.safety.checks
        .filter((check) => !check.ok)
        .map(({ check, detail }) => ({ check, detail })),
    });
  }
  return {
    cases: injection.length,
    passed: injection.length - failures.length,
    blocked: injection.filter((result) => result.safety?.blocked).length,
    failures,
  };
}

function isInjection(result: CaseResult): boolean {
  return result.tags.includes('injection');
}

function caseLine(result: CaseResult): CaseLine {
  return {
    id: result.id,
    status: result.status,
    exact: result.exact,
    latencyMs: round(result.latencyMs),
    ...(result.intent ? { kind: result.intent.kind } : {}),
    ...(result.intent?.pattern ? { pattern: result.intent.pattern } : {}),
    ...(result.requests !== undefined ? { requests: result.requests } : {}),
    ...(result.usage ? { usage: result.usage } : {}),
    ...(result.safety ? { safety: result.safety.passed } : {}),
    ...(result.note ? { note: result.note } : {}),
  };
}

// Rendering.

export function formatPercent(value: number): string {
  return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms * 10) / 10} ms`;
}

function formatValue(value: unknown): string {
  if (value === undefined) return '(not given)';
  return JSON.stringify(value);
}

function tallyRows(tallies: Record<string, Tally>): Array<[string, number, number, string]> {
  return Object.entries(tallies).map(([key, tally]) => [
    key,
    tally.cases,
    tally.exactCases,
    formatPercent(tally.exact),
  ]);
}

function headline(summary: EvalSummary): string {
  return `${summary.exactCases}/${summary.cases} exact (${formatPercent(summary.exact)})`;
}

function describeModel(summary: EvalSummary): string {
  return summary.modelName && !summary.label.includes(summary.modelName)
    ? `${summary.label}, answered by ${summary.modelName}`
    : summary.label;
}

function latencyLine(latency: LatencySummary): string {
  return `median ${formatMs(latency.medianMs)}, p95 ${formatMs(latency.p95Ms)}${latency.slowest ? `, slowest ${latency.slowest.id} (${formatMs(latency.slowest.ms)})` : ''}`;
}

function usageLine(usage: UsageSummary): string {
  const number = (value: number) => value.toLocaleString('en-US');
  return `${number(usage.requests)} requests; input ${number(usage.inputTokens)}, output ${number(usage.outputTokens)}, cache read ${number(usage.cacheReadInputTokens)}, cache write ${number(usage.cacheCreationInputTokens)} tokens; ${usage.cacheHits} of ${usage.casesWithUsage} cases hit the prompt cache`;
}

function failureLines(failure: Failure): string[] {
  if (failure.error) return [`error ${failure.error.code}: ${failure.error.summary}`];
  return failure.differences.map(
    (difference) =>
      `${difference.field}: expected ${formatValue(difference.expected)}, got ${formatValue(difference.actual)}`,
  );
}

/** The terminal report. */
export function renderTable(summary: EvalSummary): string {
  const out: string[] = [];
  out.push(`Eval: ${headline(summary)} with ${describeModel(summary)}, in ${formatMs(summary.durationMs)}`);
  if (summary.holdout) {
    out.push(
      `Holdout: ${summary.holdout.exactCases}/${summary.holdout.cases} exact (${formatPercent(summary.holdout.exact)})`,
    );
  }
  if (summary.errors > 0) out.push(`Errors: ${summary.errors} case(s) failed to run (listed below).`);
  if (summary.skipped.length > 0) {
    out.push(
      `Skipped: ${summary.skipped.length} case(s) not run (${[...new Set(summary.skipped.map((entry) => entry.reason))].join('; ')}).`,
    );
  }
  out.push('', 'By kind', formatTable(['kind', 'cases', 'exact', '%'], tallyRows(summary.byKind)));
  if (Object.keys(summary.byPattern).length > 0) {
    out.push('', 'By pattern', formatTable(['pattern', 'cases', 'exact', '%'], tallyRows(summary.byPattern)));
  }
  if (Object.keys(summary.byTag).length > 0) {
    out.push('', 'By tag', formatTable(['tag', 'cases', 'exact', '%'], tallyRows(summary.byTag)));
  }
  out.push('', `Latency: ${latencyLine(summary.latency)}`);
  if (summary.usage) out.push(`Tokens: ${usageLine(summary.usage)}`);
  out.push(
    '',
    `Safety (injection cases planned, never applied): ${summary.safety.passed}/${summary.safety.cases} passed${summary.safety.blocked > 0 ? `, ${summary.safety.blocked} blocked by a mandatory policy` : ''}`,
  );
  for (const failure of summary.safety.failures) {
    out.push(`  ${failure.id}  ${JSON.stringify(failure.input)}  (ended ${failure.outcome})`);
    for (const check of failure.checks) out.push(`    ${check.check}: ${check.detail}`);
  }
  if (summary.failures.length > 0) {
    out.push('', `Failures (${summary.failures.length})`);
    for (const failure of summary.failures) {
      out.push(`  ${failure.id}  ${JSON.stringify(failure.input)}  (${failure.source})`);
      for (const line of failureLines(failure)) out.push(`    ${line}`);
    }
  }
  const notes = summary.results.filter((result) => result.note);
  if (notes.length > 0) {
    out.push('', 'Notes');
    for (const result of notes) out.push(`  ${result.id}: ${result.note}`);
  }
  if (summary.threshold !== undefined) {
    out.push(
      '',
      `Threshold ${formatPercent(summary.threshold)}: ${summary.passed ? 'passed' : `FAILED (${formatPercent(summary.exact)} exact)`}`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** The Markdown report, for a pull request. */
export function renderMarkdown(summary: EvalSummary): string {
  const out: string[] = [];
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const table = (title: string, rows: Array<[string, number, number, string]>) => {
    out.push(`| ${title} | cases | exact | % |`, '|---|---:|---:|---:|');
    for (const [key, cases, exact, percent] of rows)
      out.push(`| ${cell(key)} | ${cases} | ${exact} | ${percent} |`);
    out.push('');
  };
  out.push(`## Intent evals: ${headline(summary)}`, '');
  out.push(`- Model: ${cell(describeModel(summary))}`);
  if (summary.holdout) {
    out.push(
      `- Holdout: ${summary.holdout.exactCases}/${summary.holdout.cases} exact (${formatPercent(summary.holdout.exact)})`,
    );
  }
  if (summary.threshold !== undefined) {
    out.push(`- Threshold ${formatPercent(summary.threshold)}: ${summary.passed ? 'passed' : '**failed**'}`);
  }
  out.push(
    `- Safety: ${summary.safety.passed}/${summary.safety.cases} injection cases planned safely (never applied${summary.safety.blocked > 0 ? `; ${summary.safety.blocked} blocked by a mandatory policy` : ''})`,
  );
  out.push(`- Latency: ${latencyLine(summary.latency)}`);
  if (summary.usage) out.push(`- Tokens: ${usageLine(summary.usage)}`);
  if (summary.errors > 0) out.push(`- Errors: ${summary.errors}`);
  if (summary.skipped.length > 0) out.push(`- Skipped (not run): ${summary.skipped.length}`);
  out.push('', '### By kind', '');
  table('kind', tallyRows(summary.byKind));
  if (Object.keys(summary.byPattern).length > 0) {
    out.push('### By pattern', '');
    table('pattern', tallyRows(summary.byPattern));
  }
  if (Object.keys(summary.byTag).length > 0) {
    out.push('### By tag', '');
    table('tag', tallyRows(summary.byTag));
  }
  if (summary.failures.length > 0) {
    out.push(
      `### Failures (${summary.failures.length})`,
      '',
      '| case | request | what differed |',
      '|---|---|---|',
    );
    for (const failure of summary.failures) {
      out.push(`| \`${failure.id}\` | ${cell(failure.input)} | ${cell(failureLines(failure).join('; '))} |`);
    }
    out.push('');
  }
  if (summary.safety.failures.length > 0) {
    out.push(
      `### Safety failures (${summary.safety.failures.length})`,
      '',
      '| case | check | detail |',
      '|---|---|---|',
    );
    for (const failure of summary.safety.failures) {
      for (const check of failure.checks)
        out.push(`| \`${failure.id}\` | ${check.check} | ${cell(check.detail)} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
