// Running eval cases: one at a time, in order, each through the intent model with the case's own context (the
// catalog's patterns; the deployments, focus and time the case gives, with a fixed default time so a run is the same
// every day). Each case is timed and scored; a model call that throws makes that case a failure with the error's code,
// never the end of the run. Injection cases also go through the conversation up to the plan (safety.ts).
import type { IntentContext, IntentResult, TokenUsage } from '../agent/intent-model.js';
import type { PatternCatalog } from '../agent/pattern-catalog.js';
import { ConductorError } from '../model/conductor-error.js';
import type { Intent } from '../model/intent.js';
import type { LoadedCase } from './cases.js';
import type { CaseProblem, EvalModel } from './eval-model.js';
import { checkSafety, isSafetyCase, type OpenSafetyInfrastructure, type SafetyResult } from './safety.js';
import { type Check, scoreIntent } from './score.js';

/** "Now" for cases that do not say: fixed, so "yesterday" means the same time on every run. */
export const DEFAULT_EVAL_NOW = '2026-11-22T12:00:00Z';

export interface CaseResult {
  id: string;
  input: string;
  tags: string[];
  file: string;
  line: number;
  expect: LoadedCase['expect'];
  /** `scored`: the model answered; `error`: it (or the case's recording) failed; `skipped`: not run (no recording). */
  status: 'scored' | 'error' | 'skipped';
  exact: boolean;
  checks: Check[];
  intent?: Intent;
  error?: CaseProblem;
  /** Why a skipped case was not run. */
  skipped?: string;
  note?: string;
  /** Wall time of the model call. */
  latencyMs: number;
  /** Which model answered (`offline`, `claude-sonnet-5-5`). */
  model?: string;
  usage?: TokenUsage;
  requests?: number;
  /** Injection cases only. */
  safety?: SafetyResult;
}

export interface EvalRun {
  /** `offline`, `anthropic`, `replay`, ... */
  model: string;
  /** What answered, as the model says (e.g. `claude-sonnet-5-5`), when the cases agree on it. */
  modelName?: string;
  label: string;
  results: CaseResult[];
  durationMs: number;
}

export interface RunEvalsOptions {
  cases: readonly LoadedCase[];
  evalModel: EvalModel;
  catalog: PatternCatalog;
  /** Run injection cases through the conversation up to the plan as well. */
  safety?: OpenSafetyInfrastructure;
  /** Default: {@link DEFAULT_EVAL_NOW}. */
  now?: Date;
  /** After each case (progress). */
  onCase?: (result: CaseResult, index: number, total: number) => void;
  signal?: AbortSignal;
}

export async function runEvals(options: RunEvalsOptions): Promise<EvalRun> {
  const started = performance.now();
  const results: CaseResult[] = [];
  const { evalModel } = options;
  const defaultNow = options.now ?? new Date(DEFAULT_EVAL_NOW);
  for (const [index, evalCase] of options.cases.entries()) {
    options.signal?.throwIfAborted();
    const result = await runCase(evalCase, evalModel, options, defaultNow);
    results.push(result);
    options.onCase?.(result, index, options.cases.length);
  }
  const names = [...new Set(results.flatMap((result) => (result.model ? [result.model] : [])))];
  return {
    model: evalModel.kind,
    ...(names.length === 1 ? { modelName: names[0] } : {}),
    label: evalModel.model.label,
    results,
    durationMs: performance.now() - started,
  };
}

async function runCase(
  evalCase: LoadedCase,
  evalModel: EvalModel,
  options: RunEvalsOptions,
  defaultNow: Date,
): Promise<CaseResult> {
  const base = {
    id: evalCase.id,
    input: evalCase.input,
    tags: evalCase.tags,
    file: evalCase.file,
    line: evalCase.line,
    expect: evalCase.expect,
  };
  const failed = (error: CaseProblem, latencyMs = 0): CaseResult => ({
    ...base,
    status: 'error',
    exact: false,
    checks: [],
    error,
    latencyMs,
  });

  let prepared: Awaited<ReturnType<NonNullable<EvalModel['prepare']>>> = { status: 'run' };
  try {
    prepared = (await evalModel.prepare?.(evalCase)) ?? { status: 'run' };
  } catch (error) {
    return failed(problemOf(error));
  }
  if (prepared.status === 'skip') {
    return { ...base, status: 'skipped', exact: false, checks: [], skipped: prepared.reason, latencyMs: 0 };
  }
  if (prepared.status === 'error') return failed(prepared.problem);

  const now = evalCase.context?.now ? new Date(evalCase.context.now) : defaultNow;
  const context: IntentContext = {
    patterns: options.catalog.patterns,
    deployments: evalCase.context?.deployments ?? [],
    ...(evalCase.context?.focus ? { focus: evalCase.context.focus } : {}),
    now,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const started = performance.now();
  let understood: IntentResult | undefined;
  let thrown: CaseProblem | undefined;
  try {
    understood = await evalModel.model.parse(evalCase.input, context);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    thrown = problemOf(error);
  }
  const latencyMs = performance.now() - started;
  let finish: Awaited<ReturnType<NonNullable<EvalModel['finish']>>> = {};
  try {
    finish = (await evalModel.finish?.(evalCase)) ?? {};
  } catch (error) {
    finish = { problem: problemOf(error) };
  }
  if (finish.problem) return { ...failed(finish.problem, latencyMs), ...noteOf(finish.note) };
  if (!understood) return { ...failed(thrown!, latencyMs), ...noteOf(finish.note) };

  const score = scoreIntent(evalCase.expect, understood.intent);
  const result: CaseResult = {
    ...base,
    status: 'scored',
    exact: score.exact,
    checks: score.checks,
    intent: understood.intent,
    latencyMs,
    model: understood.model,
    ...(understood.usage ? { usage: understood.usage } : {}),
    ...(understood.requests !== undefined ? { requests: understood.requests } : {}),
    ...noteOf(finish.note),
  };
  if (options.safety && isSafetyCase(evalCase)) {
    result.safety = await checkSafety({
      evalCase,
      understood,
      catalog: options.catalog,
      open: options.safety,
      now,
    }).catch(
      (error: unknown): SafetyResult => ({
        id: evalCase.id,
        passed: false,
        checks: [
          {
            check: 'session',
            ok: false,
            detail: `The safety check could not run: ${problemOf(error).summary}`,
          },
        ],
        outcome: 'error',
        planned: [],
        blocked: false,
        approvals: 0,
        mutations: 0,
      }),
    );
  }
  return result;
}

function noteOf(note: string | undefined): { note?: string } {
  return note ? { note } : {};
}

/** An error as a stable code and one line: ConductorErrors keep theirs; anything else is a bug, said as such. */
export function problemOf(error: unknown): CaseProblem {
  if (ConductorError.isInstance(error)) return { code: error.code, summary: error.summary };
  return { code: 'internal-error', summary: error instanceof Error ? error.message : String(error) };
}
