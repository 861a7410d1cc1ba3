// Reports from one run: the summary (the --json document), the terminal table and the Markdown report agree, break
// results down by kind, pattern and tag, and say for each failing case what differed.
import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderTable, summarize } from '../../src/evals/report.js';
import type { CaseResult, EvalRun } from '../../src/evals/run.js';

function result(overrides: Partial<CaseResult> & Pick<CaseResult, 'id'>): CaseResult {
  return {
    input: `request of ${overrides.id}`,
    tags: [],
    file: 'evals/cases/sample.jsonl',
    line: 1,
    expect: { kind: 'deploy', pattern: 'game-server' },
    status: 'scored',
    exact: true,
    checks: [],
    latencyMs: 10,
    ...overrides,
  };
}

const run: EvalRun = {
  model: 'replay',
  modelName: 'claude-sonnet-5-5',
  label: 'Claude (claude-sonnet-5-5), replayed from evals/recordings',
  durationMs: 1234,
  results: [
    result({
      id: 'game-1',
      tags: ['game-server', 'holdout'],
      latencyMs: 12,
      usage: { inputTokens: 100, outputTokens: 40, cacheReadInputTokens: 0, cacheCreationInputTokens: 4000 },
      requests: 1,
    }),
    result({
      id: 'game-2',
      line: 2,
      tags: ['game-server'],
      exact: false,
      latencyMs: 30,
      intent: { kind: 'deploy', pattern: 'game-server', params: { game: 'minecraft', players: 10 } },
      checks: [
        { field: 'kind', expected: 'deploy', actual: 'deploy', ok: true },
        { field: 'params.players', expected: 12, actual: 10, ok: false },
      ],
      usage: { inputTokens: 120, outputTokens: 50, cacheReadInputTokens: 4000, cacheCreationInputTokens: 0 },
      requests: 2,
    }),
    result({
      id: 'pizza',
      line: 3,
      tags: ['out-of-scope', 'holdout'],
      expect: { kind: 'unsupported' },
      latencyMs: 8,
      usage: { inputTokens: 90, outputTokens: 30, cacheReadInputTokens: 4000, cacheCreationInputTokens: 0 },
      requests: 1,
    }),
    result({
      id: 'broken',
      line: 4,
      tags: ['injection'],
      expect: { kind: 'query' },
      status: 'error',
      exact: false,
      latencyMs: 5,
      error: { code: 'recording-exhausted', summary: 'The run needed more responses than the 1 recorded.' },
    }),
    result({
      id: 'unrecorded',
      line: 5,
      status: 'skipped',
      exact: false,
      skipped: 'no recording in evals/recordings',
    }),
  ],
};

describe('summarize', () => {
  const summary = summarize(run, { threshold: 0.9 });

  it('scores the cases that ran; skipped ones are listed, not counted', () => {
    expect(summary).toMatchObject({
      model: 'replay',
      modelName: 'claude-sonnet-5-5',
      cases: 4,
      exactCases: 2,
      exact: 0.5,
      errors: 1,
      skipped: [{ id: 'unrecorded', reason: 'no recording in evals/recordings' }],
      threshold: 0.9,
      passed: false,
    });
  });

  it('tallies by expected kind, expected pattern and tag, with holdout on its own', () => {
    expect(summary.byKind).toEqual({
      deploy: { cases: 2, exactCases: 1, exact: 0.5 },
      query: { cases: 1, exactCases: 0, exact: 0 },
      unsupported: { cases: 1, exactCases: 1, exact: 1 },
    });
    expect(summary.byPattern).toEqual({ 'game-server': { cases: 2, exactCases: 1, exact: 0.5 } });
    expect(summary.byTag.holdout).toEqual({ cases: 2, exactCases: 2, exact: 1 });
    expect(summary.holdout).toEqual({ cases: 2, exactCases: 2, exact: 1 });
    expect(Object.keys(summary.byTag)).toEqual(['game-server', 'holdout', 'injection', 'out-of-scope']);
  });

  it('reports latency (median, p95, the slowest case) and tokens with cache hits', () => {
    expect(summary.latency).toMatchObject({ medianMs: 8, p95Ms: 30, slowest: { id: 'game-2', ms: 30 } });
    expect(summary.usage).toEqual({
      requests: 4,
      inputTokens: 310,
      outputTokens: 120,
      cacheReadInputTokens: 8000,
      cacheCreationInputTokens: 4000,
      cacheHits: 2,
      casesWithUsage: 3,
    });
  });

  it('lists each failing case with what differed, or the error it ended with', () => {
    expect(summary.failures).toEqual([
      expect.objectContaining({
        id: 'game-2',
        source: 'evals/cases/sample.jsonl:2',
        differences: [{ field: 'params.players', expected: 12, actual: 10 }],
      }),
      expect.objectContaining({
        id: 'broken',
        error: { code: 'recording-exhausted', summary: 'The run needed more responses than the 1 recorded.' },
        differences: [],
      }),
    ]);
  });

  it('counts an injection case whose model call failed as a safety failure', () => {
    expect(summary.safety).toMatchObject({
      cases: 1,
      passed: 0,
      failures: [{ id: 'broken', outcome: 'error' }],
    });
  });

  it('is JSON with the documented keys', () => {
    const document = JSON.parse(JSON.stringify(summary)) as Record<string, unknown>;
    for (const key of [
      'cases',
      'exact',
      'byKind',
      'byPattern',
      'byTag',
      'failures',
      'safety',
      'latency',
      'model',
    ]) {
      expect(document).toHaveProperty(key);
    }
    expect(document.results).toHaveLength(5);
  });

  it('has no usage for a model that reports none, and no threshold verdict unless asked', () => {
    const offline = summarize({ ...run, model: 'offline', results: [result({ id: 'one' })] });
    expect(offline.usage).toBeUndefined();
    expect(offline.passed).toBeUndefined();
    expect(offline.exact).toBe(1);
  });
});

describe('renderTable', () => {
  const text = renderTable(summarize(run, { threshold: 0.9 }));

  it('leads with the overall and holdout rates and breaks them down by kind, pattern and tag', () => {
    expect(text).toContain(
      'Eval: 2/4 exact (50.0%) with Claude (claude-sonnet-5-5), replayed from evals/recordings',
    );
    expect(text).toContain('Holdout: 2/2 exact (100.0%)');
    expect(text).toMatch(/^deploy\s+2\s+1\s+50\.0%$/m);
    expect(text).toMatch(/^unsupported\s+1\s+1\s+100\.0%$/m);
    expect(text).toMatch(/^game-server\s+2\s+1\s+50\.0%$/m);
    expect(text).toMatch(/^holdout\s+2\s+2\s+100\.0%$/m);
    expect(text).toContain('Skipped: 1 case(s) not run (no recording in evals/recordings).');
  });

  it('shows latency, tokens and cache hits', () => {
    expect(text).toContain('Latency: median 8 ms, p95 30 ms, slowest game-2 (30 ms)');
    expect(text).toContain('cache read 8,000');
    expect(text).toContain('2 of 3 cases hit the prompt cache');
  });

  it('lists the failing cases with what differed', () => {
    expect(text).toContain('Failures (2)');
    expect(text).toContain('  game-2  "request of game-2"  (evals/cases/sample.jsonl:2)');
    expect(text).toContain('    params.players: expected 12, got 10');
    expect(text).toContain(
      '    error recording-exhausted: The run needed more responses than the 1 recorded.',
    );
    expect(text).toContain('Safety (injection cases planned, never applied): 0/1 passed');
    expect(text).toContain('Threshold 90.0%: FAILED (50.0% exact)');
  });
});

describe('renderMarkdown', () => {
  it('is a pull-request report with the same figures and a row per failure', () => {
    const markdown = renderMarkdown(summarize(run));
    expect(markdown).toMatch(/^## Intent evals: 2\/4 exact \(50\.0%\)$/m);
    expect(markdown).toContain('| deploy | 2 | 1 | 50.0% |');
    expect(markdown).toContain('| game-server | 2 | 1 | 50.0% |');
    expect(markdown).toContain('| `game-2` | request of game-2 | params.players: expected 12, got 10 |');
    expect(markdown).toContain('### Safety failures (1)');
    expect(markdown).toContain('- Holdout: 2/2 exact (100.0%)');
  });
});
