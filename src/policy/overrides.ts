// `--override-policy ID --reason TEXT`: a person accepts a mandatory policy's violations for one plan. The results
// stay in the plan (the review shows them as overridden, with the reason) and the audit log records the override;
// only the block is lifted. Naming a policy that blocks nothing is refused, so a typo cannot look like an override.
import { ConductorError } from '../model/conductor-error.js';
import type { Plan } from '../model/plan.js';

export interface PolicyOverride {
  policy: string;
  reason: string;
}

export function applyPolicyOverrides(plan: Plan, overrides: readonly PolicyOverride[]): Plan {
  if (overrides.length === 0 || !plan.policies) return plan;
  const report = plan.policies;
  for (const override of overrides) {
    if (!report.evaluated.includes(override.policy)) {
      throw new ConductorError({
        code: 'override-unknown-policy',
        summary: `--override-policy names "${override.policy}", which is not a policy that checked this plan.`,
        detail: `Policies that ran: ${report.evaluated.join(', ') || 'none'}.`,
        exitCode: 2,
      });
    }
    const blocks = report.results.some(
      (result) => result.policy === override.policy && result.enforcement === 'mandatory',
    );
    if (!blocks) {
      throw new ConductorError({
        code: 'override-not-needed',
        summary: `Policy "${override.policy}" has no mandatory finding in this plan: there is nothing to override.`,
        detail:
          'Remove --override-policy for it; overrides are recorded in the audit log and should mean something.',
        exitCode: 2,
      });
    }
  }
  const reasons = new Map(overrides.map((override) => [override.policy, override.reason]));
  const results = report.results.map((result) => {
    const reason = result.enforcement === 'mandatory' ? reasons.get(result.policy) : undefined;
    return reason === undefined ? result : { ...result, overridden: { reason } };
  });
  return {
    ...plan,
    policies: {
      ...report,
      results,
      blocked: results.some(
        (result) => result.status === 'violation' && result.enforcement === 'mandatory' && !result.overridden,
      ),
    },
  };
}
