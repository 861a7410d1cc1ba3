// "What's exposed to the internet?": port forwards and pass rules on the WAN, internet-facing load balancers, public
// instance addresses and security groups open to 0.0.0.0/0. Unmanaged ones (seen live, unknown to state) are named as
// such: those are the ones a person most needs to hear about.
import { resourceLabel } from './describe-resource.js';
import type { KnownResource, KnownWorld } from './known-resources.js';
import {
  addressFieldCovers,
  filterRuleOf,
  portCovers,
  portForwardOf,
  protocolCovers,
} from './network-facts.js';
import { finish, type QueryAnswer, type QueryFact, sourceNotes } from './query-answer.js';

const WAN = 'wan';

interface Exposure {
  resource: KnownResource;
  line: string;
  /** Pass rules that let a forward's traffic in. */
  allowedBy?: KnownResource[];
}

export function answerExposure(world: KnownWorld, only?: readonly KnownResource[]): QueryAnswer {
  const exposures = findExposures(world).filter(
    (exposure) =>
      !only ||
      only.includes(exposure.resource) ||
      (exposure.allowedBy ?? []).some((rule) => only.includes(rule)),
  );
  const lines: string[] = [];
  if (exposures.length === 0) {
    lines.push(
      only
        ? 'Nothing of it is exposed to the internet: no port forward, WAN pass rule or public address reaches it.'
        : `Nothing is exposed to the internet${world.inventoryRead ? '' : ' as far as state knows'}: no port forwards, WAN pass rules, public load balancers or open security groups.`,
    );
  } else {
    lines.push(
      only
        ? 'Exposed to the internet:'
        : `${exposures.length} thing${exposures.length > 1 ? 's are' : ' is'} exposed to the internet:`,
    );
    for (const exposure of exposures) {
      const owner = exposure.resource.deployment ? exposure.resource.deployment : 'NOT MANAGED BY CONDUCTOR';
      lines.push(`  ${exposure.line}  [${owner}: ${resourceLabel(exposure.resource)}]`);
    }
  }
  lines.push(...sourceNotes(world));
  return {
    form: 'exposure',
    text: finish(lines),
    facts: exposures.map(
      (exposure): QueryFact => ({
        subject: exposure.resource.address,
        ...(exposure.resource.deployment !== undefined ? { deployment: exposure.resource.deployment } : {}),
        managed: exposure.resource.origin === 'state',
        values: {
          exposure: exposure.line,
          allowedBy: exposure.allowedBy?.map((rule) => rule.address).join(', ') || null,
        },
      }),
    ),
  };
}

function findExposures(world: KnownWorld): Exposure[] {
  const exposures: Exposure[] = [];
  const passRules = world.resources.filter((resource) => {
    if (resource.type !== 'firewall:rule') return false;
    const rule = filterRuleOf(resource);
    return rule.interface === WAN && rule.action === 'pass' && rule.enabled;
  });
  const explained = new Set<KnownResource>();
  for (const resource of world.resources) {
    if (resource.type !== 'firewall:nat') continue;
    const forward = portForwardOf(resource);
    if (forward.interface !== WAN || !forward.enabled) continue;
    const targetPort = Number(forward.targetPort.split('-')[0]);
    const allowedBy = passRules.filter((rule) => {
      const filter = filterRuleOf(rule);
      return (
        addressFieldCovers(filter.destination, forward.target) &&
        (filter.destinationPort === undefined || portCovers(filter.destinationPort, targetPort)) &&
        protocolCovers(filter.protocol, forward.protocol.split('/')[0]!)
      );
    });
    allowedBy.forEach((rule) => {
      explained.add(rule);
    });
    const filterNote =
      allowedBy.length > 0
        ? ` (allowed by ${allowedBy.map((rule) => `rule ${rule.name}`).join(', ')})`
        : forward.filterRule === 'none'
          ? ' (no pass rule lets it in: blocked by the firewall)'
          : ' (its own associated filter rule lets it in)';
    exposures.push({
      resource,
      line: `${forward.externalAddress ?? 'WAN address'}:${forward.externalPort}/${forward.protocol} → ${forward.target}:${forward.targetPort}${filterNote}`,
      allowedBy,
    });
  }
  for (const rule of passRules) {
    if (explained.has(rule)) continue;
    const filter = filterRuleOf(rule);
    exposures.push({
      resource: rule,
      line: `WAN pass rule: ${filter.protocol} from ${filter.source} to ${filter.destination}${filter.destinationPort ? `:${filter.destinationPort}` : ''}`,
    });
  }
  for (const resource of world.resources) {
    const { properties, outputs } = resource;
    if (resource.type === 'elb:loadBalancer' && (outputs.scheme ?? properties.scheme) !== 'internal') {
      exposures.push({
        resource,
        line: `internet-facing load balancer ${String(outputs.dnsName ?? resource.name)}`,
      });
    }
    if (resource.type === 'ec2:instance' && typeof outputs.publicIp === 'string' && outputs.publicIp !== '') {
      exposures.push({ resource, line: `public address ${outputs.publicIp}` });
    }
    if (resource.type === 'ec2:securityGroup' && Array.isArray(properties.ingress)) {
      for (const entry of properties.ingress as Array<Record<string, unknown>>) {
        const sources = [
          ...(Array.isArray(entry.cidrBlocks) ? entry.cidrBlocks : []),
          ...(entry.cidr ? [entry.cidr] : []),
        ];
        if (!sources.includes('0.0.0.0/0')) continue;
        const port =
          entry.port ??
          (entry.fromPort === entry.toPort ? entry.fromPort : `${entry.fromPort}-${entry.toPort}`);
        exposures.push({
          resource,
          line: `security group open to 0.0.0.0/0 on ${String(entry.protocol ?? 'tcp')} ${String(port ?? 'all')}`,
        });
      }
    }
  }
  return exposures;
}
