// One line per resource for answers: the few facts a person asks about (addresses, ports, tags, where traffic goes),
// by type, with secrets masked. Types it does not know get their short scalar properties.
import { isSensitivePath, REDACTED, redactValue } from '../../review/redact.js';
import type { KnownResource } from './known-resources.js';
import {
  dnsEntryOf,
  filterRuleOf,
  ipv4Of,
  ownAddresses,
  portForwardOf,
  publishedPorts,
  type ResourceShape,
} from './network-facts.js';

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** `docker container minecraft` */
export function resourceLabel(resource: Pick<KnownResource, 'server' | 'type' | 'name'>): string {
  return `${resource.server} ${resource.type.replaceAll(':', ' ')} ${resource.name}`;
}

/** The facts after the label, e.g. `10.20.0.10, port 25565/tcp, running (itzg/minecraft-server:latest)`. */
export function describeResource(resource: KnownResource): string {
  const masked = maskedShape(resource);
  const { properties, outputs } = masked;
  switch (resource.type) {
    case 'network:vlan': {
      const parts = [`tag ${text(properties.tag) ?? text(outputs.tag) ?? '?'}`];
      if (text(properties.interface)) parts.push(`on ${text(properties.interface)}`);
      if (text(outputs.device)) parts.push(`device ${text(outputs.device)}`);
      if (text(properties.address)) parts.push(`address ${text(properties.address)}`);
      return parts.join(', ');
    }
    case 'dhcp:range':
      return `${text(properties.from) ?? '?'}-${text(properties.to) ?? '?'} on ${text(properties.interface) ?? '?'}`;
    case 'dhcp:static':
      return `${text(properties.ipAddress) ?? '?'} for ${text(properties.mac) ?? '?'} on ${text(properties.interface) ?? '?'}`;
    case 'network': {
      const parts = [text(outputs.driver) ?? text(properties.driver) ?? 'bridge'];
      const subnet = text(outputs.subnet) ?? text(properties.subnet);
      if (subnet) parts.push(subnet);
      const parent = text(properties.parent) ?? text(outputs.parent);
      if (parent) parts.push(`on ${parent}`);
      return parts.join(' ');
    }
    case 'container':
    case 'vm':
    case 'lxc':
    case 'ec2:instance':
      return describeMachine(masked);
    case 'firewall:nat': {
      const forward = portForwardOf(masked);
      const external = forward.externalAddress
        ? `${forward.externalAddress}:${forward.externalPort}`
        : `port ${forward.externalPort}`;
      return `${forward.interface} ${external}/${forward.protocol} → ${forward.target}:${forward.targetPort}${forward.enabled ? '' : ' (disabled)'}`;
    }
    case 'firewall:rule': {
      const rule = filterRuleOf(masked);
      const port = rule.destinationPort ? `:${rule.destinationPort}` : '';
      return `${rule.action} ${rule.protocol} ${rule.source} → ${rule.destination}${port} on ${rule.interface}${rule.enabled ? '' : ' (disabled)'}`;
    }
    case 'record':
    case 'dns:host-override': {
      const entry = dnsEntryOf(masked);
      if (entry) return `${entry.fqdn} ${entry.recordType} ${entry.values.join(', ') || '?'}`;
      break;
    }
    case 'service:haproxy:frontend': {
      const url = text(outputs.url);
      const bind = text(outputs.bindAddress)
        ? `${text(outputs.bindAddress)}:${text(outputs.bindPort) ?? '?'}`
        : JSON.stringify(properties.bind);
      return `listens on ${bind}${url ? ` (${url})` : ''}${text(outputs.backend) ? ` → backend ${text(outputs.backend)}` : ''}`;
    }
    case 'elb:loadBalancer':
      return [text(outputs.dnsName), text(outputs.scheme) ?? text(properties.scheme)]
        .filter((part) => part !== undefined)
        .join(', ');
  }
  return genericFacts(masked);
}

function describeMachine(resource: ResourceShape): string {
  const { properties, outputs } = resource;
  const parts: string[] = [];
  const addresses = ownAddresses(resource);
  if (addresses.length > 0) parts.push(addresses.join(', '));
  if (typeof properties.vlan === 'number') parts.push(`VLAN ${properties.vlan}`);
  if (resource.type === 'container' && text(properties.network))
    parts.push(`network ${text(properties.network)}`);
  const ports = publishedPorts(resource);
  if (ports.length > 0)
    parts.push(
      `port${ports.length > 1 ? 's' : ''} ${ports.map((port) => `${port.port}/${port.protocol}`).join(', ')}`,
    );
  if (properties.memory !== undefined) parts.push(`memory ${text(properties.memory)}`);
  const status = text(outputs.status) ?? text(outputs.state);
  if (status) parts.push(status);
  const image = text(properties.image) ?? text(properties.instanceType);
  return `${parts.join(', ')}${image ? ` (${image})` : ''}`;
}

function genericFacts(resource: ResourceShape): string {
  const facts = Object.entries(resource.properties)
    .filter(
      ([, value]) => ['string', 'number', 'boolean'].includes(typeof value) && String(value).length <= 40,
    )
    .slice(0, 4)
    .map(([key, value]) => `${key} ${String(value)}`);
  return facts.join(', ');
}

/** The resource with every secret replaced by REDACTED: declared sensitive paths and keys that name a secret. */
export function maskedShape(resource: KnownResource): ResourceShape {
  return {
    server: resource.server,
    type: resource.type,
    name: resource.name,
    properties: redactValue(resource.properties, resource.sensitive) as Record<string, unknown>,
    outputs: redactValue(resource.outputs, resource.sensitive) as Record<string, unknown>,
  };
}

/** A value shown at `path` of a resource's properties, masked when it is a secret. */
export function shownValue(value: unknown, path: string, sensitive: readonly string[]): string {
  if (isSensitivePath(path, sensitive)) return REDACTED;
  const masked = redactValue(value, sensitive, path);
  return typeof masked === 'string' ? masked : JSON.stringify(masked);
}

/** The address of a machine-like resource, for lines like "minecraft.home.arpa → 10.20.0.10". */
export function primaryAddress(resource: ResourceShape): string | undefined {
  return ownAddresses(resource)[0] ?? ipv4Of(resource.outputs.address);
}
