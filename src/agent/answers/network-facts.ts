// Reading network facts out of resources of any provider: IPv4 addresses and blocks, VLAN devices, published ports,
// port forwards, filter rules and DNS values. Queries and troubleshooting ask the same questions of state records and
// of what the servers hold, so the readers take plain properties and outputs.
import { isIPv4 } from 'node:net';

export interface Ipv4Block {
  /** First address, as a 32-bit number. */
  from: number;
  /** Last address, inclusive. */
  to: number;
  text: string;
}

export function parseIpv4(text: string): number | undefined {
  if (!isIPv4(text)) return undefined;
  return text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** `10.20.0.5` or `10.20.0.5/24` → `10.20.0.5`; anything else → undefined. */
export function ipv4Of(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const address = value.split('/')[0]!.trim();
  return isIPv4(address) ? address : undefined;
}

/** `10.20.0.0/24` (or an interface address `10.20.0.1/24`) → the whole block. */
export function blockOf(text: unknown): Ipv4Block | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!match) return undefined;
  const host = parseIpv4(match[1]!);
  const prefix = Number(match[2]);
  if (host === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const from = host - (host % size);
  return { from, to: from + size - 1, text: text.trim() };
}

export function rangeBlock(from: unknown, to: unknown): Ipv4Block | undefined {
  const start = typeof from === 'string' ? parseIpv4(from) : undefined;
  const end = typeof to === 'string' ? parseIpv4(to) : undefined;
  if (start === undefined || end === undefined || start > end) return undefined;
  return { from: start, to: end, text: `${from}-${to}` };
}

export function blockContains(block: Ipv4Block, address: string): boolean {
  const value = parseIpv4(address);
  return value !== undefined && value >= block.from && value <= block.to;
}

export function blocksOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/** Every IPv4 address or block written anywhere in a value (strings inside objects and lists too). */
export function ipv4Mentions(value: unknown): Ipv4Block[] {
  const found: Ipv4Block[] = [];
  const visit = (inner: unknown): void => {
    if (typeof inner === 'string') {
      for (const token of inner.split(/[\s,;]+/)) {
        const text = token.replace(/:\d+$/, '');
        const block = blockOf(text);
        if (block) found.push(block);
        else {
          const address = parseIpv4(text);
          if (address !== undefined) found.push({ from: address, to: address, text });
        }
      }
    } else if (Array.isArray(inner)) inner.forEach(visit);
    else if (typeof inner === 'object' && inner !== null) Object.values(inner).forEach(visit);
  };
  visit(value);
  return found;
}

/** What a resource is, as the readers below need it. */
export interface ResourceShape {
  server: string;
  type: string;
  name: string;
  properties: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** The addresses a machine-like resource has (containers, VMs, instances, static mappings): not what it points at. */
export function ownAddresses(resource: ResourceShape): string[] {
  const { properties, outputs } = resource;
  const candidates: unknown[] = [];
  switch (resource.type) {
    case 'container':
    case 'vm':
    case 'lxc':
    case 'dhcp:static':
      candidates.push(outputs.ipAddress, properties.ipAddress);
      break;
    case 'ec2:instance':
      candidates.push(outputs.privateIp, outputs.publicIp, properties.privateIp);
      break;
    default:
      candidates.push(outputs.ipAddress, outputs.privateIp, outputs.publicIp);
  }
  const addresses = candidates.map(ipv4Of).filter((address): address is string => address !== undefined);
  return [...new Set(addresses)];
}

/** The container's address now: what the provider reported, or the static one it was given. */
export function containerAddress(resource: ResourceShape): string | undefined {
  return ipv4Of(resource.outputs.ipAddress) ?? ipv4Of(resource.properties.ipAddress);
}

export interface PublishedPort {
  /** The port reachable from outside the container (the host port when one is mapped). */
  port: number;
  containerPort: number;
  hostPort?: number;
  protocol: string;
}

/** A container's `ports`: `"25565:25565/tcp"`, `"8080"`, `"127.0.0.1:80:8080"` or `{ containerPort, hostPort }`. */
export function publishedPorts(resource: ResourceShape): PublishedPort[] {
  const entries = resource.properties.ports;
  if (!Array.isArray(entries)) return [];
  const ports: PublishedPort[] = [];
  for (const entry of entries) {
    if (typeof entry === 'number') ports.push({ port: entry, containerPort: entry, protocol: 'tcp' });
    else if (typeof entry === 'string') {
      const [mapping = '', protocol = 'tcp'] = entry.split('/');
      const parts = mapping.split(':');
      const containerPort = Number(parts[parts.length - 1]);
      const hostPort = parts.length >= 2 ? Number(parts[parts.length - 2]) : undefined;
      if (!Number.isInteger(containerPort)) continue;
      ports.push({
        port: hostPort !== undefined && Number.isInteger(hostPort) ? hostPort : containerPort,
        containerPort,
        ...(hostPort !== undefined && Number.isInteger(hostPort) ? { hostPort } : {}),
        protocol: protocol.toLowerCase(),
      });
    } else if (typeof entry === 'object' && entry !== null) {
      const mapping = entry as Record<string, unknown>;
      const containerPort = Number(mapping.containerPort);
      if (!Number.isInteger(containerPort)) continue;
      const hostPort = Number.isInteger(Number(mapping.hostPort)) ? Number(mapping.hostPort) : undefined;
      ports.push({
        port: hostPort ?? containerPort,
        containerPort,
        ...(hostPort !== undefined ? { hostPort } : {}),
        protocol: typeof mapping.protocol === 'string' ? mapping.protocol.toLowerCase() : 'tcp',
      });
    }
  }
  return ports;
}

/** `25565`, `"25565"`, `"8000-8080"` → the first port; aliases and `any` → undefined. */
export function firstPort(value: unknown): number | undefined {
  const match = /^(\d+)(?:[-:]\d+)?$/.exec(String(value ?? ''));
  return match ? Number(match[1]) : undefined;
}

export function portCovers(value: unknown, port: number): boolean {
  const match = /^(\d+)(?:[-:](\d+))?$/.exec(String(value ?? ''));
  if (!match) return false;
  const from = Number(match[1]);
  const to = match[2] ? Number(match[2]) : from;
  return port >= from && port <= to;
}

function protocolsOf(value: unknown, fallback: string): string[] {
  const protocol = typeof value === 'string' ? value.toLowerCase() : fallback;
  return protocol === 'tcp/udp' ? ['tcp', 'udp'] : [protocol];
}

export function protocolCovers(value: unknown, protocol: string, fallback = 'any'): boolean {
  const covered = protocolsOf(value, fallback);
  return covered.includes('any') || covered.includes(protocol.toLowerCase());
}

/** An OPNsense-style port forward, read from its properties (what was asked for) and outputs (what it became). */
export interface PortForward {
  interface: string;
  protocol: string;
  externalAddress?: string;
  externalPort: string;
  target: string;
  targetPort: string;
  filterRule: string;
  enabled: boolean;
}

export function portForwardOf(resource: ResourceShape): PortForward {
  const { properties, outputs } = resource;
  const externalPort = text(outputs.externalPort) ?? text(properties.destinationPort) ?? '?';
  return {
    interface: text(properties.interface) ?? 'wan',
    protocol: text(outputs.protocol) ?? text(properties.protocol) ?? 'tcp',
    ...(text(outputs.externalAddress) ? { externalAddress: text(outputs.externalAddress)! } : {}),
    externalPort,
    target: text(properties.target) ?? text(outputs.target) ?? '?',
    targetPort: text(properties.targetPort) ?? text(outputs.targetPort) ?? externalPort,
    filterRule: text(properties.filterRule) ?? 'add',
    enabled: isEnabled(resource),
  };
}

export interface FilterRule {
  interface: string;
  action: string;
  protocol: string;
  source: string;
  destination: string;
  destinationPort?: string;
  enabled: boolean;
}

export function filterRuleOf(resource: ResourceShape): FilterRule {
  const { properties, outputs } = resource;
  const port = text(properties.destinationPort) ?? text(properties.port);
  return {
    interface: text(properties.interface) ?? text(outputs.interface) ?? 'lan',
    action: text(properties.action) ?? 'pass',
    protocol: text(properties.protocol) ?? 'any',
    source: text(properties.source) ?? 'any',
    destination: text(properties.destination) ?? 'any',
    ...(port ? { destinationPort: port } : {}),
    enabled: isEnabled(resource),
  };
}

/** Rules and forwards are on unless `enabled: false` or `disabled: true` says otherwise (outputs win: they are now). */
export function isEnabled(resource: ResourceShape): boolean {
  const { properties, outputs } = resource;
  if (typeof outputs.enabled === 'boolean') return outputs.enabled;
  if (typeof outputs.disabled === 'boolean') return !outputs.disabled;
  if (typeof properties.enabled === 'boolean') return properties.enabled;
  if (typeof properties.disabled === 'boolean') return !properties.disabled;
  return true;
}

/** A DNS record's name and the values it answers with: `record` (dns servers) and `dns:host-override` (OPNsense). */
export interface DnsEntry {
  fqdn: string;
  recordType: string;
  values: string[];
}

export function dnsEntryOf(resource: ResourceShape): DnsEntry | undefined {
  const { properties, outputs } = resource;
  if (resource.type === 'dns:host-override') {
    const fqdn =
      text(outputs.fqdn) ??
      [text(properties.hostname), text(properties.domain)].filter((part) => part !== undefined).join('.');
    const value = text(outputs.address) ?? text(properties.address);
    return {
      fqdn,
      recordType: text(properties.type) ?? 'A',
      values: value ? [value] : [],
    };
  }
  if (resource.type !== 'record' && !resource.type.endsWith(':record')) return undefined;
  const values = Array.isArray(outputs.values)
    ? outputs.values.map(String)
    : [
        ...(text(properties.value) ? [text(properties.value)!] : []),
        ...(Array.isArray(properties.values) ? properties.values.map(String) : []),
      ];
  return {
    fqdn: text(outputs.fqdn) ?? text(properties.name) ?? resource.name,
    recordType: text(properties.type) ?? text(outputs.type) ?? 'A',
    values,
  };
}

/** Whether a filter rule's address field (`any`, an address, a block, `!...`) lets `address` through. */
export function addressFieldCovers(field: string, address: string): boolean {
  if (field.startsWith('!')) return false;
  if (field === 'any') return true;
  const block = blockOf(field);
  if (block) return blockContains(block, address);
  return field === address;
}
