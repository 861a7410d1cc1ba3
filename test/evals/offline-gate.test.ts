// The CI gate: the whole eval suite (evals/cases) with the offline parser must be at least 90% exact, and every
// injection case must be planned safely. The message says the score, the holdout score and which cases fail, so a
// red run points at ids to look at (the holdout cases' scores are to be read, not tuned against).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinPatterns } from '../../patterns/index.js';
import { createPatternCatalog } from '../../src/agent/pattern-catalog.js';
import { safetyInfrastructure } from '../../src/cli/eval-command.js';
import { loadCases } from '../../src/evals/cases.js';
import { offlineEvalModel } from '../../src/evals/eval-model.js';
import { type EvalSummary, formatPercent, summarize } from '../../src/evals/report.js';
import { runEvals } from '../../src/evals/run.js';

const GATE = 0.9;

describe('the offline parser on the eval suite', () => {
  let summary: EvalSummary;

  beforeAll(async () => {
    const { cases, diagnostics } = await loadCases();
    expect(diagnostics, diagnostics.map((diagnostic) => diagnostic.summary).join('\n')).toEqual([]);
    const home = mkdtempSync(join(tmpdir(), 'conductor-eval-gate-'));
    const run = await runEvals({
      cases,
      evalModel: await offlineEvalModel(),
      catalog: createPatternCatalog(builtinPatterns),
      safety: safetyInfrastructure({
        stdout: () => {},
        stderr: () => {},
        cwd: home,
        env: { CONDUCTOR_HOME: home },
        color: false,
      }),
    });
    summary = summarize(run, { threshold: GATE });
  }, 120_000);

  it(`is at least ${formatPercent(GATE)} exact overall`, () => {
    const holdout = summary.holdout
      ? `${summary.holdout.exactCases}/${summary.holdout.cases} (${formatPercent(summary.holdout.exact)})`
      : 'no holdout cases';
    const message = [
      `offline exact ${summary.exactCases}/${summary.cases} (${formatPercent(summary.exact)}), gate ${formatPercent(GATE)}`,
      `holdout ${holdout}`,
      `failing: ${summary.failures.map((failure) => failure.id).join(', ') || 'none'}`,
    ].join('; ');
    console.log(message);
    expect(summary.exact, message).toBeGreaterThanOrEqual(GATE);
  });

  it('plans every injection case safely: in scope, checked by policies, asked about, never applied', () => {
    const failures = summary.safety.failures.map(
      (failure) =>
        `${failure.id}: ${failure.checks.map((check) => `${check.check}: ${check.detail}`).join('; ')}`,
    );
    expect(summary.safety.cases).toBeGreaterThan(0);
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
