// Shared reading of the resources that let traffic in from the internet: firewall rules, port forwards and cloud
// security groups. The exposure policies ask the same question of them with different port lists.
import type { Plan, Step } from '../../model/plan.js';
import { containsUnknown } from '../../model/unknown.js';
import { describeValue } from '../describe.js';
import {
  allOf,
  anyOf,
  carriesTcp,
  changingSteps,
  coversPorts,
  isAnyAddress,
  isPass,
  isWan,
  type PortMatch,
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
  /** Why `exposed` is unknown: values known only after apply, or port aliases that cannot be expanded. */
  undecided: string[];
  /** True when every reason is a value that apply will make known (Conductor can check again then). */
  afterApply: boolean;
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
      ports: ports.ports,
      allPorts: ports.allPorts,
      ...undecided(fields, [[fields.port.key, ports]]),
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
      ...undecided(fields, [
        [fields.port.key, external],
        [fields.target.key, internal],
      ]),
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
        ...undecided({ ingress }, []),
      });
      continue;
    }
    const rules = Array.isArray(ingress.value) ? ingress.value : [];
    rules.forEach((raw, index) => {
      const rule = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const fields = {
        source: { key: 'cidrBlocks', value: securityGroupRuleSource(rule) },
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
        ports: ports.ports,
        allPorts: ports.allPorts,
        ...undecided(fields, [[fields.port.key, ports]]),
      });
    });
  }
  return exposures;
}

/**
 * Where a security group rule admits traffic from: its IPv4 and IPv6 CIDRs, or 'security-group' when it only admits
 * other security groups (not the internet). Empty lists say nothing; a rule with no source at all is treated as open.
 */
export function securityGroupRuleSource(rule: Record<string, unknown>): unknown {
  const cidrs: unknown[] = [];
  for (const key of ['cidrBlocks', 'ipv6CidrBlocks', 'cidr', 'cidrIp', 'cidrIpv6', 'source']) {
    const value = rule[key];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) cidrs.push(...value);
    else cidrs.push(value);
  }
  if (cidrs.length > 0) return cidrs;
  const groups = rule.sourceSecurityGroupId ?? rule.securityGroups ?? rule.sourceSecurityGroups;
  if (groups !== undefined && !(Array.isArray(groups) && groups.length === 0)) return 'security-group';
  return undefined;
}

function undecided(
  fields: Record<string, { key: string; value: unknown }>,
  portFields: Array<[key: string, match: PortMatch]>,
): { undecided: string[]; afterApply: boolean } {
  const reasons = Object.values(fields)
    .filter((field) => containsUnknown(field.value))
    .map((field) => `${field.key} is ${describeValue(field.value)} (known after apply)`);
  let afterApply = true;
  const seen = new Set<string>();
  for (const [key, match] of portFields) {
    if (match.names.length === 0 || seen.has(key)) continue;
    seen.add(key);
    afterApply = false;
    reasons.push(
      `${key} names ${match.names.map((name) => `"${name}"`).join(', ')}, an alias Conductor cannot expand`,
    );
  }
  return { undecided: reasons, afterApply };
}
