// The runner: cases in order, each with its own context (and a fixed "now" unless the case gives one), timed; a model
// call that throws fails that case with the error's code and the run goes on.
import { describe, expect, it } from 'vitest';
import { builtinPatterns } from '../../patterns/index.js';
import { createPatternCatalog } from '../../src/agent/pattern-catalog.js';
import type { LoadedCase } from '../../src/evals/cases.js';
import { plainEvalModel } from '../../src/evals/eval-model.js';
import { DEFAULT_EVAL_NOW, runEvals } from '../../src/evals/run.js';
import { ConductorError } from '../../src/model/conductor-error.js';
import { scriptedModel } from '../support/scripted-model.js';

const catalog = createPatternCatalog(builtinPatterns);

function evalCase(id: string, input: string, extra: Partial<LoadedCase> = {}): LoadedCase {
  return { id, input, expect: { kind: 'unsupported' }, tags: [], file: 'cases.jsonl', line: 1, ...extra };
}

describe('runEvals', () => {
  it('gives each case its own context: the catalog, its deployments and focus, and a fixed time by default', async () => {
    const model = scriptedModel(() => ({ kind: 'unsupported' }));
    const minecraft = { name: 'minecraft', pattern: 'game-server', params: { game: 'minecraft' } };
    await runEvals({
      cases: [
        evalCase('plain', 'order a pizza'),
        evalCase('with-context', 'make it 8 GB', {
          context: { deployments: [minecraft], focus: minecraft, now: '2026-11-22T15:30:00Z' },
        }),
      ],
      evalModel: plainEvalModel(model),
      catalog,
    });
    expect(model.calls.map((call) => call.text)).toEqual(['order a pizza', 'make it 8 GB']);
    const [plain, withContext] = model.calls;
    expect(plain!.context.patterns).toBe(catalog.patterns);
    expect(plain!.context.deployments).toEqual([]);
    expect(plain!.context.focus).toBeUndefined();
    expect(plain!.context.now?.toISOString()).toBe(new Date(DEFAULT_EVAL_NOW).toISOString());
    expect(withContext!.context.deployments).toEqual([minecraft]);
    expect(withContext!.context.focus).toEqual(minecraft);
    expect(withContext!.context.now?.toISOString()).toBe('2026-11-22T15:30:00.000Z');
  });

  it('a throwing model call fails that case with its code, and the next case still runs', async () => {
    const model = scriptedModel((text) => {
      if (text === 'times out') {
        throw new ConductorError({
          code: 'anthropic-timeout',
          summary: 'Claude did not answer in time.',
          detail: '',
        });
      }
      if (text === 'crashes') throw new TypeError('undefined is not a function');
      return { kind: 'unsupported' };
    });
    const run = await runEvals({
      cases: [evalCase('a', 'times out'), evalCase('b', 'crashes'), evalCase('c', 'order a pizza')],
      evalModel: plainEvalModel(model),
      catalog,
    });
    expect(run.results.map((result) => [result.id, result.status, result.exact, result.error?.code])).toEqual(
      [
        ['a', 'error', false, 'anthropic-timeout'],
        ['b', 'error', false, 'internal-error'],
        ['c', 'scored', true, undefined],
      ],
    );
    expect(run.results[0]!.error!.summary).toBe('Claude did not answer in time.');
  });

  it('times each case, and names the model that answered', async () => {
    const slow = scriptedModel(async () => {
      await new Promise((resolve) => setTimeout(resolve, 25));
      return { kind: 'unsupported' };
    });
    const run = await runEvals({
      cases: [evalCase('slow', 'order a pizza')],
      evalModel: plainEvalModel(slow),
      catalog,
    });
    expect(run.results[0]!.latencyMs).toBeGreaterThanOrEqual(20);
    expect(run).toMatchObject({ model: 'scripted', modelName: 'scripted', label: 'scripted model' });
  });

  it('reports progress after each case', async () => {
    const seen: string[] = [];
    await runEvals({
      cases: [evalCase('one', 'a'), evalCase('two', 'b')],
      evalModel: plainEvalModel(scriptedModel(() => ({ kind: 'unsupported' }))),
      catalog,
      onCase: (result, index, total) => seen.push(`${index + 1}/${total} ${result.id}`),
    });
    expect(seen).toEqual(['1/2 one', '2/2 two']);
  });
});
