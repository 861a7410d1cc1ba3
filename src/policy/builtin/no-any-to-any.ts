// A pass rule from any source to any destination turns the firewall off for that interface.
import { formatUnknownFields } from '../describe.js';
import { allOf, changingSteps, isAnyAddress, isPass, property } from '../inspect.js';
import { definePolicy, type PolicyFinding } from '../policy.js';
import { securityGroupRuleSource } from './network-exposure.js';

export const noAnyToAny = definePolicy({
  id: 'no-any-to-any',
  description: 'Firewall rules and security groups must not pass traffic from any source to any destination.',
  severity: 'high',
  enforcement: 'mandatory',
  evaluate(plan) {
    const findings: PolicyFinding[] = [];
    for (const step of changingSteps(plan, ['firewall:rule'])) {
      const fields = {
        action: property(step, 'action'),
        source: property(step, 'source'),
        destination: property(step, 'destination'),
      };
      const verdict = allOf(
        isPass(fields.action.value),
        isAnyAddress(fields.source.value),
        isAnyAddress(fields.destination.value),
      );
      if (verdict === false) continue;
      findings.push(
        verdict === true
          ? {
              address: step.address,
              code: 'any-to-any-rule',
              summary: 'Firewall rule allows any-to-any traffic.',
              detail: `${step.address} passes traffic from any source to any destination.`,
              remediation:
                'Restrict the source or the destination to the hosts or networks that need it (an address, a network or an alias), or make the rule block.',
            }
          : {
              address: step.address,
              code: 'any-to-any-rule',
              unverifiable: true,
              summary: 'Whether this rule allows any-to-any traffic cannot be checked until apply.',
              detail: `${step.address}: ${formatUnknownFields(step, Object.values(fields))}.`,
              remediation:
                'Conductor checks again at apply time; give literal addresses to have it checked now.',
            },
      );
    }
    for (const step of changingSteps(plan, ['ec2:securityGroup', 'securityGroup'])) {
      const ingress = property(step, 'ingress', 'ingressRules', 'inbound');
      if (!Array.isArray(ingress.value)) continue;
      ingress.value.forEach((raw, index) => {
        const rule = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
        const protocol = rule.protocol ?? rule.ipProtocol;
        const allProtocols = protocol === '-1' || protocol === -1 || protocol === 'all' || protocol === 'any';
        if (!allProtocols) return;
        const source = securityGroupRuleSource(rule);
        const verdict = isAnyAddress(source);
        if (verdict === false) return;
        const path = `properties.${ingress.key}[${index}]`;
        findings.push(
          verdict === true
            ? {
                address: step.address,
                path,
                code: 'any-to-any-rule',
                summary: 'Security group rule allows any-to-any traffic.',
                detail: `${step.address} admits every protocol and port from anywhere.`,
                remediation:
                  'Name the protocol and ports the service needs and the CIDRs allowed to reach them.',
              }
            : {
                address: step.address,
                path,
                code: 'any-to-any-rule',
                unverifiable: true,
                summary:
                  'Whether this security group rule allows any-to-any traffic cannot be checked until apply.',
                detail: `${step.address}: ${formatUnknownFields(step, [{ key: 'cidrBlocks', value: source }])}.`,
                remediation:
                  'Conductor checks again at apply time; give literal CIDRs to have it checked now.',
              },
        );
      });
    }
    return findings;
  },
});
