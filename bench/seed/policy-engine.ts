// Baseline only: a faithful re-implementation of the `PolicyEngine` and policy types from
// /work/shared/origin-docs/04-multi-mcp-integration.md §4: every policy evaluates the whole deployment and returns
// its violations. Not used by Conductor.
import type { MultiMCPDeployment } from './multi-mcp-deployment.js';

export interface PolicyViolation {
  resource: string;
  policy: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  message: string;
}

export interface PolicyResult {
  compliant: boolean;
  violations: PolicyViolation[];
}

export interface Policy {
  name: string;
  evaluate(deployment: MultiMCPDeployment): Promise<PolicyResult>;
}

export interface PolicyEvaluationResult {
  compliant: boolean;
  violations: PolicyViolation[];
  policies: number;
}

export class PolicyEngine {
  private policies: Policy[] = [];

  addPolicy(policy: Policy): void {
    this.policies.push(policy);
  }

  async evaluate(deployment: MultiMCPDeployment): Promise<PolicyEvaluationResult> {
    const violations: PolicyViolation[] = [];
    for (const policy of this.policies) {
      const result = await policy.evaluate(deployment);
      if (!result.compliant) {
        violations.push(...result.violations);
      }
    }
    return { compliant: violations.length === 0, violations, policies: this.policies.length };
  }
}
