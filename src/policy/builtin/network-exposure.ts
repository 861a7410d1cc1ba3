// Shared reading of the resources that let traffic in from the internet: firewall rules, port forwards and cloud
// security groups. The exposure policies ask the same question of them with different port lists.
import type { Plan, Step } from '../../model/plan.js';
import { containsUnknown } from '../../model/unknown.js';
import {
  allOf,
  anyOf,
  carriesTcp,
  changingSteps,
  coversPorts,
  isAnyAddress,
  isPass,
  isWan,
  portRange,
  property,
  type Truth,
} from '../inspect.js';

export interface Exposure {
  step: Step;
  /** Which rule inside the resource, for resources that hold several (security group ingress). */
  path: string;
  kind: 'firewall rule' | 'port forward' | 'security group rule';
  exposed: Truth;
  /** The wanted ports the rule opens (all of them when it opens every port). */
  ports: number[];
  allPorts: boolean;
  /** Fields whose values are only known after apply, when `exposed` is unknown. */
  unknownFields: Array<{ key: string; value: unknown }>;
}

export interface ExposureOptions {
  ports: readonly number[];
  wanInterfaces: readonly string[];
}

/** Every rule in the plan that may let TCP traffic from any source reach one of `ports` through a WAN. */
export function findExposures(plan: Plan, options: ExposureOptions): Exposure[] {
  const exposures: Exposure[] = [];
  for (const step of changingSteps(plan, ['firewall:rule'])) {
    const fields = {
      action: property(step, 'action'),
      interface: property(step, 'interface'),
      source: property(step, 'source'),
      protocol: property(step, 'protocol'),
      port: property(step, 'destinationPort', 'destination_port', 'port', 'dstPort'),
    };
    const ports = coversPorts(fields.port.value, options.ports);
    const exposed = allOf(
      isPass(fields.action.value),
      isWan(fields.interface.value, options.wanInterfaces),
      isAnyAddress(fields.source.value),
      carriesTcp(fields.protocol.value),
      ports.covers,
    );
    exposures.push({
      step,
      path: 'properties',
      kind: 'firewall rule',
      exposed,
      ...ports,
      unknownFields: unknownKeys(fields),
    });
  }
  for (const step of changingSteps(plan, ['firewall:nat'])) {
    const fields = {
      interface: property(step, 'interface'),
      source: property(step, 'source'),
      protocol: property(step, 'protocol'),
      port: property(step, 'destinationPort', 'externalPort', 'port', 'sourcePort'),
      target: property(step, 'targetPort', 'localPort', 'internalPort'),
    };
    const external = coversPorts(fields.port.value, options.ports);
    // Forwarding WAN 2222 to 22 exposes SSH as much as forwarding 22 does.
    const internal =
      fields.target.value === undefined ? external : coversPorts(fields.target.value, options.ports);
    const exposed = allOf(
      isWan(fields.interface.value, options.wanInterfaces, true),
      isAnyAddress(fields.source.value),
      carriesTcp(fields.protocol.value),
      anyOf(external.covers, internal.covers),
    );
    exposures.push({
      step,
      path: 'properties',
      kind: 'port forward',
      exposed,
      ports: [...new Set([...external.ports, ...internal.ports])].sort((a, b) => a - b),
      allPorts: external.allPorts && internal.allPorts,
      unknownFields: unknownKeys(fields),
    });
  }
  for (const step of changingSteps(plan, ['ec2:securityGroup', 'securityGroup'])) {
    const ingress = property(step, 'ingress', 'ingressRules', 'inbound');
    if (containsUnknown(ingress.value) && !Array.isArray(ingress.value)) {
      exposures.push({
        step,
        path: `properties.${ingress.key}`,
        kind: 'security group rule',
        exposed: 'unknown',
        ports: [],
        allPorts: false,
        unknownFields: [ingress],
      });
      continue;
    }
    const rules = Array.isArray(ingress.value) ? ingress.value : [];
    rules.forEach((raw, index) => {
      const rule = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const fields = {
        source: {
          key: 'cidrBlocks',
          // A rule that admits another security group instead of a CIDR is not open to the internet.
          value:
            rule.cidrBlocks ??
            rule.cidr ??
            rule.cidrIp ??
            rule.source ??
            (rule.sourceSecurityGroupId !== undefined || rule.securityGroups !== undefined
              ? 'security-group'
              : undefined),
        },
        protocol: { key: 'protocol', value: rule.protocol ?? rule.ipProtocol },
        port: { key: 'fromPort', value: portRange(rule) },
      };
      const ports = coversPorts(fields.port.value, options.ports);
      const exposed = allOf(
        isAnyAddress(fields.source.value),
        carriesTcp(fields.protocol.value),
        ports.covers,
      );
      exposures.push({
        step,
        path: `properties.${ingress.key}[${index}]`,
        kind: 'security group rule',
        exposed,
        ...ports,
        unknownFields: unknownKeys(fields),
      });
    });
  }
  return exposures;
}

function unknownKeys(
  fields: Record<string, { key: string; value: unknown }>,
): Array<{ key: string; value: unknown }> {
  return Object.values(fields).filter((field) => containsUnknown(field.value));
}
