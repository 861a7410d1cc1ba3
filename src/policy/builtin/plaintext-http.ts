// Plain HTTP published to the internet sends passwords and cookies in the clear.
import { isUnknown } from '../../model/unknown.js';
import { changingSteps, property } from '../inspect.js';
import { definePolicy, type PolicyFinding } from '../policy.js';
import { findExposures } from './network-exposure.js';

export const noPlaintextHttpFromWan = definePolicy({
  id: 'no-plaintext-http-from-wan',
  description: 'Services published to the internet should use HTTPS, not plain HTTP.',
  severity: 'medium',
  enforcement: 'advisory',
  options: { ports: [80, 8080], wanInterfaces: ['wan'] },
  evaluate(plan, { options }) {
    const ports = (options.ports as number[]).map(Number);
    const wanInterfaces = (options.wanInterfaces as string[]).map(String);
    const findings: PolicyFinding[] = [];
    for (const exposure of findExposures(plan, { ports, wanInterfaces })) {
      // A rule open on every port is the any-to-any or management policy's finding; this one is about HTTP itself.
      if (exposure.exposed === false || exposure.allPorts) continue;
      if (exposure.exposed === 'unknown') {
        findings.push({
          address: exposure.step.address,
          path: exposure.path,
          code: 'plaintext-http-exposed',
          unverifiable: true,
          summary: `Whether this ${exposure.kind} publishes plain HTTP to the internet cannot be checked ${exposure.afterApply ? 'until apply' : 'at plan time'}.`,
          detail: `${exposure.step.address}: ${exposure.undecided.join('; ')}.`,
          remediation: exposure.afterApply
            ? 'Conductor checks again at apply time.'
            : 'Write the ports as numbers or ranges instead of an alias to have them checked.',
        });
        continue;
      }
      findings.push({
        address: exposure.step.address,
        path: exposure.path,
        code: 'plaintext-http-exposed',
        summary: `Plain HTTP (port ${exposure.ports.join(', ')}) is published to the internet.`,
        detail: `${exposure.step.address} lets anyone on the internet reach an unencrypted HTTP port.`,
        remediation:
          'Publish HTTPS (443) with a certificate instead, e.g. through an HAProxy frontend with TLS; keep port 80 only to redirect to HTTPS.',
      });
    }
    for (const step of changingSteps(plan, ['elb:loadBalancer'])) {
      const scheme = property(step, 'scheme').value;
      if (scheme !== undefined && scheme !== 'internet-facing') continue;
      const listeners = property(step, 'listeners').value;
      if (!Array.isArray(listeners)) continue;
      listeners.forEach((listener, index) => {
        const protocol = (listener as Record<string, unknown> | null)?.protocol;
        if (typeof protocol === 'string' && protocol.toUpperCase() === 'HTTP' && !isUnknown(protocol)) {
          findings.push({
            address: step.address,
            path: `properties.listeners[${index}]`,
            code: 'plaintext-http-exposed',
            summary: 'Internet-facing load balancer listens on plain HTTP.',
            detail: `${step.address} accepts unencrypted HTTP from the internet.`,
            remediation:
              'Use an HTTPS listener with a certificate, and make the HTTP listener redirect to it.',
          });
        }
      });
    }
    return findings;
  },
});
