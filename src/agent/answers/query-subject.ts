// "Where is minecraft?", "what's the IP of the shop?": how to reach a deployment or one resource (names, addresses,
// ports, forwards from the internet), then what it is made of.
import type { DeploymentRecord } from '../../state/records.js';
import { maskedShape, resourceLabel } from './describe-resource.js';
import type { KnownResource, KnownWorld } from './known-resources.js';
import { dnsEntryOf, ownAddresses, portForwardOf, publishedPorts } from './network-facts.js';
import {
  finish,
  type QueryAnswer,
  type QueryFact,
  resourceFact,
  resourceLine,
  sourceNotes,
} from './query-answer.js';

const MACHINE_TYPES = new Set(['container', 'vm', 'lxc', 'ec2:instance', 'dhcp:static']);

export interface ReachLine {
  /** What the user types or connects to: a host name, an address with port, a URL. */
  endpoint: string;
  /** Where it leads, e.g. `10.20.0.10`. */
  leadsTo?: string;
  via: KnownResource;
  kind: 'dns' | 'address' | 'internet' | 'url';
}

/** Names, addresses and forwards that reach `resources` (DNS records and forwards may live in other deployments). */
export function reachOf(resources: readonly KnownResource[], world: KnownWorld): ReachLine[] {
  const lines: ReachLine[] = [];
  const addresses = new Set<string>();
  for (const resource of resources) {
    if (!MACHINE_TYPES.has(resource.type)) continue;
    const own = ownAddresses(resource);
    own.forEach((address) => {
      addresses.add(address);
    });
    const ports = publishedPorts(resource);
    for (const address of own.slice(0, 1)) {
      lines.push({
        endpoint:
          ports.length > 0
            ? `${address} port${ports.length > 1 ? 's' : ''} ${ports.map((port) => `${port.port}/${port.protocol}`).join(', ')}`
            : address,
        via: resource,
        kind: 'address',
      });
    }
  }
  const inSubject = new Set(resources);
  for (const resource of world.resources) {
    const dns = dnsEntryOf(resource);
    if (dns && (inSubject.has(resource) || dns.values.some((value) => addresses.has(value))))
      lines.push({ endpoint: dns.fqdn, leadsTo: dns.values.join(', '), via: resource, kind: 'dns' });
    if (resource.type === 'firewall:nat') {
      const forward = portForwardOf(resource);
      if (inSubject.has(resource) || addresses.has(forward.target)) {
        const external = `${forward.externalAddress ?? `the ${forward.interface} address`}:${forward.externalPort}/${forward.protocol}`;
        lines.push({
          endpoint:
            forward.interface === 'wan'
              ? `from the internet: ${external}`
              : `on ${forward.interface}: ${external}`,
          leadsTo: `${forward.target}:${forward.targetPort}${forward.enabled ? '' : ' (disabled)'}`,
          via: resource,
          kind: 'internet',
        });
      }
    }
    if (!inSubject.has(resource)) continue;
    for (const key of ['url', 'dnsName', 'publicDnsName']) {
      const value = resource.outputs[key];
      if (typeof value === 'string' && value !== '')
        lines.push({ endpoint: value, via: resource, kind: 'url' });
    }
  }
  const order = { dns: 0, url: 1, internet: 2, address: 3 };
  return lines.sort((a, b) => order[a.kind] - order[b.kind]);
}

function reachText(line: ReachLine): string {
  return `  ${line.endpoint}${line.leadsTo ? ` → ${line.leadsTo}` : ''} (${resourceLabel(line.via)})`;
}

export function answerDeploymentSubject(
  world: KnownWorld,
  name: string,
  record: DeploymentRecord | undefined,
): QueryAnswer {
  const resources = world.resources.filter((resource) => resource.deployment === name);
  const heading = [
    record?.pattern,
    record?.status,
    `${resources.length} resource${resources.length === 1 ? '' : 's'}`,
  ].filter((part) => part !== undefined);
  const lines = [`${name} (${heading.join(', ')}):`];
  if (resources.length === 0) {
    lines.push(
      record?.status === 'destroyed'
        ? 'It was destroyed; nothing of it remains.'
        : 'State holds no resources for it.',
    );
    return { form: 'deployment', text: finish(lines), facts: [] };
  }
  const reach = reachOf(resources, world);
  if (reach.length > 0) {
    lines.push('Reach it at:');
    lines.push(...reach.map(reachText));
  } else lines.push('It has no address, host name or port of its own.');
  lines.push('Made of:');
  lines.push(...resources.map((resource) => resourceLine(resource)));
  lines.push(...sourceNotes(world, [...new Set(resources.map((resource) => resource.server))]));
  return { form: 'deployment', text: finish(lines), facts: factsFor(resources, reach) };
}

export function answerResourceSubject(world: KnownWorld, resource: KnownResource): QueryAnswer {
  const owner = resource.deployment
    ? `part of deployment ${resource.deployment}`
    : 'not managed by Conductor';
  const lines = [`${resourceLine(resource, '')} (${owner})`];
  const reach = reachOf([resource], world).filter((line) => line.via !== resource || line.kind !== 'address');
  if (reach.length > 0) {
    lines.push('Reach it at:');
    lines.push(...reach.map(reachText));
  }
  lines.push(...sourceNotes(world, [resource.server]));
  return { form: 'resource', text: finish(lines), facts: factsFor([resource], reach) };
}

function factsFor(resources: readonly KnownResource[], reach: readonly ReachLine[]): QueryFact[] {
  return [
    ...reach.map((line) => ({
      subject: line.via.address,
      ...(line.via.deployment !== undefined ? { deployment: line.via.deployment } : {}),
      managed: line.via.origin === 'state',
      values: { reach: line.endpoint, kind: line.kind, leadsTo: line.leadsTo ?? null },
    })),
    ...resources.map((resource) => resourceFact(resource)),
  ];
}

/** Words a subject may be called by: its name, and for deployments the string parameters it was made from. */
export function subjectNames(
  world: KnownWorld,
): Array<{ words: string; deployment?: string; resource?: KnownResource }> {
  const names: Array<{ words: string; deployment?: string; resource?: KnownResource }> = [];
  for (const record of world.deployments) {
    if (record.status === 'destroyed') continue;
    names.push({ words: record.name, deployment: record.name });
    for (const value of Object.values(record.params ?? {}))
      if (typeof value === 'string' && value.length >= 3 && !value.includes(' '))
        names.push({ words: value, deployment: record.name });
  }
  for (const resource of world.resources) {
    names.push({ words: resource.name, resource });
    const dns = dnsEntryOf(maskedShape(resource));
    if (dns?.fqdn) names.push({ words: dns.fqdn, resource });
  }
  return names;
}
