// Baseline only: a faithful re-implementation of `ResourceTaggingPolicy` from
// /work/shared/origin-docs/04-multi-mcp-integration.md §4 (every resource carries Environment, Owner, CostCenter).
// Not used by Conductor.
import type { MultiMCPDeployment } from './multi-mcp-deployment.js';
import type { Policy, PolicyResult, PolicyViolation } from './policy-engine.js';

export class ResourceTaggingPolicy implements Policy {
  name = 'required-tags';
  requiredTags = ['Environment', 'Owner', 'CostCenter'];

  async evaluate(deployment: MultiMCPDeployment): Promise<PolicyResult> {
    const violations: PolicyViolation[] = [];
    for (const [server, resources] of Object.entries(deployment.serverResources)) {
      for (const resource of resources) {
        const tags = (resource.properties.tags || {}) as Record<string, unknown>;
        for (const required of this.requiredTags) {
          if (!tags[required]) {
            violations.push({
              resource: `${server}:${resource.name}`,
              policy: this.name,
              severity: 'medium',
              message: `Missing required tag: ${required}`,
            });
          }
        }
      }
    }
    return { compliant: violations.length === 0, violations };
  }
}
