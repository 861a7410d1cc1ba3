// Baseline only: a faithful re-implementation of `SecurityGroupPolicy` from
// /work/shared/origin-docs/04-multi-mcp-integration.md §4 (no any-to-any rules, no SSH from the internet). Not used by
// Conductor.
import type { MultiMCPDeployment } from './multi-mcp-deployment.js';
import type { Policy, PolicyResult, PolicyViolation } from './policy-engine.js';

export class SecurityGroupPolicy implements Policy {
  name = 'security-group-restrictions';

  async evaluate(deployment: MultiMCPDeployment): Promise<PolicyResult> {
    const violations: PolicyViolation[] = [];

    // Check all firewall rules. The doc compares with 'opnsense:firewall:rule'; types here are normalized without
    // the server prefix (as in Conductor), so the same rules are found.
    const firewallRules =
      deployment.serverResources.opnsense?.filter((r) => r.type === 'firewall:rule') || [];

    for (const rule of firewallRules) {
      // No wide-open rules
      if (rule.properties.source === 'any' && rule.properties.destination === 'any') {
        violations.push({
          resource: rule.name,
          policy: this.name,
          severity: 'high',
          message: 'Firewall rule allows any-to-any traffic',
        });
      }
      // No SSH from internet
      if (rule.properties.source === 'any' && rule.properties.destinationPort === '22') {
        violations.push({
          resource: rule.name,
          policy: this.name,
          severity: 'critical',
          message: 'SSH exposed to internet',
        });
      }
    }
    return { compliant: violations.length === 0, violations };
  }
}
