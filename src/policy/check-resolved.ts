// Policies again at apply time, for what plan time could not know. A mandatory policy that reported "unverifiable"
// for a step (a port or source that comes from another resource's output) is evaluated once more on the step's
// resolved properties, just before they are sent; a violation then fails the step, and the apply rolls back.
import type { Plan, PolicyResult, Step } from '../model/plan.js';
import type { Problem } from '../state/records.js';
import type { PolicyEngine } from './engine.js';

export type ResolvedCheck = (step: Step, properties: Record<string, unknown>) => Promise<Problem | undefined>;

/** Undefined when the plan has nothing left to check at apply time. */
export function createResolvedCheck(engine: PolicyEngine, plan: Plan): ResolvedCheck | undefined {
  const pending = new Set(
    (plan.policies?.results ?? [])
      .filter(
        (result) => result.status === 'unverifiable' && result.enforcement === 'mandatory' && result.address,
      )
      .map((result) => result.address!),
  );
  if (pending.size === 0) return undefined;
  // What a person overrode at plan time stays overridden on the resolved values.
  const overridden = new Set(
    (plan.policies?.results ?? []).filter((result) => result.overridden).map((result) => result.policy),
  );
  return async (step, properties) => {
    if (!pending.has(step.address)) return undefined;
    const resolvedPlan: Plan = {
      ...plan,
      steps: plan.steps.map((candidate) =>
        candidate.address === step.address ? { ...candidate, after: properties } : candidate,
      ),
    };
    let report: Awaited<ReturnType<PolicyEngine['evaluate']>>;
    try {
      report = await engine.evaluate(resolvedPlan);
    } catch (error) {
      return {
        code: 'policy-failed',
        summary: `${step.address}: the policies could not be checked on the resolved values.`,
        detail: `${error instanceof Error ? error.message : String(error)}. Nothing unchecked is sent.`,
      };
    }
    // A policy that breaks fails closed here too (its result has no address).
    const violations = report.results.filter(
      (result) =>
        result.enforcement === 'mandatory' &&
        result.status === 'violation' &&
        !overridden.has(result.policy) &&
        (result.address === step.address || result.code === 'policy-failed'),
    );
    if (violations.length === 0) return undefined;
    return {
      code: 'policy-violation',
      summary: `${step.address}: ${violations.map((result) => result.summary).join(' ')}`,
      detail:
        `With the values known at apply time, ${describe(violations)} fails. ${violations[0]!.remediation}`.trim(),
    };
  };
}

function describe(violations: readonly PolicyResult[]): string {
  const names = [...new Set(violations.map((result) => `"${result.policy}"`))];
  return `the mandatory polic${names.length === 1 ? 'y' : 'ies'} ${names.join(', ')}`;
}
