// A simulated OPNsense firewall: VLANs, DHCP, firewall aliases, rules and port forwards, HAProxy, WireGuard and Unbound
// host overrides. It refuses what the real one refuses (a VLAN tag twice on one parent, a static mapping inside the
// dynamic range, two forwards of one port, a backend still in use) and answers with uuids and `vlan01`-style devices.
import { isIP, isIPv4 } from 'node:net';
import { z } from 'zod';
import {
  allocateAddress,
  type Cidr,
  cidrContains,
  cidrsOverlap,
  formatCidr,
  formatIpv4,
  parseCidr,
  parseIpv4,
} from '../ipv4.js';
import { formatPortRange, parsePortRange, portRangesOverlap } from '../port-range.js';
import type { SandboxRecord } from '../resource-record.js';
import { SandboxError } from '../sandbox-error.js';
import {
  hostname,
  ipAddress,
  ipv4Address,
  ipv4InterfaceAddress,
  isHostname,
  port,
  portOrRange,
} from '../schema-parts.js';
import { defineType, propertiesOf, type SandboxContext, type SandboxProvider } from '../type-spec.js';
import { generateWireguardKeyPair, isWireguardKey, wireguardPublicKey } from '../wireguard-keys.js';

/** The simulated firewall's hardware: four NICs, the first two assigned as WAN and LAN. */
const PHYSICAL_INTERFACES: Readonly<Record<string, string>> = {
  igc0: 'wan',
  igc1: 'lan',
  igc2: 'unassigned',
  igc3: 'unassigned',
};

/** Assigned interfaces with their addresses. VLAN devices count as interfaces too (see {@link resolveInterface}). */
const ASSIGNED_INTERFACES: Readonly<Record<string, { device: string; address: string }>> = {
  wan: { device: 'igc0', address: '203.0.113.10/24' },
  lan: { device: 'igc1', address: '192.168.1.1/24' },
};

const WAN_ADDRESS = '203.0.113.10';

const description = z.string().max(255).optional();

const VLAN = 'network:vlan';
const DHCP_RANGE = 'dhcp:range';
const DHCP_STATIC = 'dhcp:static';
const ALIAS = 'firewall:alias';
const RULE = 'firewall:rule';
const NAT = 'firewall:nat';
const BACKEND = 'service:haproxy:backend';
const FRONTEND = 'service:haproxy:frontend';
const WIREGUARD_SERVER = 'service:wireguard:server';
const WIREGUARD_PEER = 'service:wireguard:peer';
const HOST_OVERRIDE = 'dns:host-override';

const uuidId = (context: SandboxContext) => context.uuid();

// ---------------------------------------------------------------------------------------------------------------
// Interfaces

interface InterfaceInfo {
  /** What rules and DHCP name it by: `lan`, `vlan01`. */
  name: string;
  /** Known when the interface has an address (assigned interfaces, VLANs given an `address`). */
  subnet?: Cidr;
  address?: number;
  vlan?: SandboxRecord;
}

/** `lan`, `wan` or a VLAN device (`vlan01`); undefined when the firewall has no such interface. */
function resolveInterface(name: string, context: SandboxContext): InterfaceInfo | undefined {
  const assigned = ASSIGNED_INTERFACES[name];
  if (assigned) {
    const parsed = parseCidr(assigned.address);
    return parsed.ok ? { name, subnet: parsed.cidr, address: parsed.host } : { name };
  }
  const vlan = context.all(VLAN).find((record) => record.outputs.device === name);
  if (!vlan) return undefined;
  const address = propertiesOf<VlanProperties>(vlan).address;
  const parsed = address ? parseCidr(address) : undefined;
  return parsed?.ok ? { name, subnet: parsed.cidr, address: parsed.host, vlan } : { name, vlan };
}

function requireInterface(type: string, name: string, value: string, context: SandboxContext): InterfaceInfo {
  const info = resolveInterface(value, context);
  if (info) return info;
  const devices = context.all(VLAN).map((record) => String(record.outputs.device));
  const known = [...Object.keys(ASSIGNED_INTERFACES), ...devices].join(', ');
  const looksLikeVlanName = context.byName(VLAN, value);
  const hint = looksLikeVlanName
    ? ` "${value}" is a VLAN's name; use its device, ${String(looksLikeVlanName.outputs.device)}.`
    : ' Create the VLAN first, or use one of the existing interfaces.';
  throw new SandboxError(
    'missing-dependency',
    `${type} "${name}": the firewall has no interface "${value}" (it has: ${known}).${hint}`,
  );
}

function vlanOf(interfaceName: string | undefined, context: SandboxContext): SandboxRecord[] {
  if (interfaceName === undefined) return [];
  const vlan = resolveInterface(interfaceName, context)?.vlan;
  return vlan ? [vlan] : [];
}

// ---------------------------------------------------------------------------------------------------------------
// network:vlan

const vlanSchema = z.strictObject({
  tag: z
    .int()
    .min(1, 'VLAN tags are 1-4094')
    .max(4094, 'VLAN tags are 1-4094')
    .describe('802.1Q tag, 1-4094'),
  interface: z.string().describe(`Parent NIC: ${Object.keys(PHYSICAL_INTERFACES).join(', ')}`),
  description,
  priority: z.int().min(0).max(7).optional().describe('802.1p priority (PCP), 0-7'),
  address: ipv4InterfaceAddress
    .optional()
    .describe('Interface address when the VLAN is assigned, e.g. 10.20.0.1/24; DHCP ranges on it must fit'),
});
type VlanProperties = z.infer<typeof vlanSchema>;

const vlan = defineType<VlanProperties>({
  type: VLAN,
  description:
    'An 802.1Q VLAN on a physical NIC (igc0-igc3). Tags are unique per parent; the device is named vlan01, vlan02, ...',
  schema: vlanSchema,
  outputs: ['device', 'tag', 'parent', 'address'],
  replaceOn: ['interface'],
  newId: uuidId,
  realize({ name, properties, previous }, context) {
    const role = PHYSICAL_INTERFACES[properties.interface];
    if (!role) {
      const nics = Object.entries(PHYSICAL_INTERFACES)
        .map(([nic, use]) => `${nic} (${use})`)
        .join(', ');
      const logical = ASSIGNED_INTERFACES[properties.interface];
      const hint = logical
        ? ` "${properties.interface}" is assigned to ${logical.device}; use ${logical.device}.`
        : '';
      throw new SandboxError(
        'invalid-properties',
        `network:vlan "${name}": the parent interface must be a physical NIC, one of ${nics}; got "${properties.interface}".${hint}`,
      );
    }
    const clash = context.all(VLAN).find((other) => {
      const otherProperties = propertiesOf<VlanProperties>(other);
      return otherProperties.interface === properties.interface && otherProperties.tag === properties.tag;
    });
    if (clash) {
      throw new SandboxError(
        'conflict',
        `VLAN tag ${properties.tag} is already used on ${properties.interface} by "${clash.name}" (${String(clash.outputs.device)}). ` +
          'Choose another tag, or another parent interface.',
      );
    }
    if (properties.address) {
      const own = parseCidr(properties.address);
      for (const other of [...context.all(VLAN), ...assignedAsRecords()]) {
        const otherAddress = propertiesOf<VlanProperties>(other).address;
        const parsed = otherAddress ? parseCidr(otherAddress) : undefined;
        if (own.ok && parsed?.ok && cidrsOverlap(own.cidr, parsed.cidr)) {
          throw new SandboxError(
            'conflict',
            `network:vlan "${name}": ${properties.address} overlaps ${other.name}'s network ${formatCidr(parsed.cidr)}. ` +
              'Choose a subnet no other interface uses.',
          );
        }
      }
    }
    const device = previous ? String(previous.outputs.device) : nextDevice(context);
    return { device, tag: properties.tag, parent: properties.interface, address: properties.address ?? null };
  },
});

/** The lowest free device number, as OPNsense names new VLAN devices: vlan01, vlan02, ... */
function nextDevice(context: SandboxContext): string {
  const used = new Set(context.all(VLAN).map((record) => String(record.outputs.device)));
  for (let number = 1; ; number++) {
    const device = `vlan${String(number).padStart(2, '0')}`;
    if (!used.has(device)) return device;
  }
}

/** LAN and WAN as pseudo-records, so overlap checks see the networks the firewall starts with. */
function assignedAsRecords(): SandboxRecord[] {
  return Object.entries(ASSIGNED_INTERFACES).map(([logical, assigned]) => ({
    id: logical,
    type: VLAN,
    name: logical,
    properties: { address: assigned.address },
    outputs: {},
    createdAt: '',
    updatedAt: '',
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// dhcp:range

const dhcpRangeSchema = z.strictObject({
  interface: z.string().describe('lan, or a VLAN device such as vlan01'),
  from: ipv4Address,
  to: ipv4Address,
  gateway: ipv4Address.optional(),
  dnsServers: z.array(ipv4Address).optional(),
  domain: hostname.optional(),
  leaseTime: z.int().min(60).max(31_536_000).optional().describe('Seconds'),
  description,
});
type DhcpRangeProperties = z.infer<typeof dhcpRangeSchema>;

interface AddressRange {
  from: number;
  to: number;
}

function rangeOf(properties: DhcpRangeProperties): AddressRange {
  return { from: parseIpv4(properties.from)!, to: parseIpv4(properties.to)! };
}

const dhcpRange = defineType<DhcpRangeProperties>({
  type: DHCP_RANGE,
  description:
    'A DHCPv4 address pool on an interface (lan or a VLAN device). Pools on one interface may not overlap; static mappings may not fall inside.',
  schema: dhcpRangeSchema,
  outputs: ['interface', 'from', 'to', 'size'],
  newId: uuidId,
  realize({ name, properties }, context) {
    const where = requireInterface(DHCP_RANGE, name, properties.interface, context);
    const range = rangeOf(properties);
    if (range.from > range.to) {
      throw new SandboxError(
        'invalid-properties',
        `dhcp:range "${name}": from ${properties.from} is after to ${properties.to}. Swap them.`,
      );
    }
    if (where.subnet) {
      const subnet = where.subnet;
      if (!cidrContains(subnet, range.from) || !cidrContains(subnet, range.to)) {
        throw new SandboxError(
          'invalid-properties',
          `dhcp:range "${name}": ${properties.from}-${properties.to} is not inside ${where.name}'s network ${formatCidr(subnet)}. ` +
            'Choose addresses in that network.',
        );
      }
      if (where.address !== undefined && where.address >= range.from && where.address <= range.to) {
        throw new SandboxError(
          'conflict',
          `dhcp:range "${name}": the range includes the interface's own address ${formatIpv4(where.address)}. Start the range after it.`,
        );
      }
    } else if (range.to - range.from >= 65_536) {
      throw new SandboxError(
        'invalid-properties',
        `dhcp:range "${name}": ${properties.from}-${properties.to} is larger than any interface network. Narrow it.`,
      );
    }
    for (const other of context.all(DHCP_RANGE)) {
      const otherProperties = propertiesOf<DhcpRangeProperties>(other);
      const otherRange = rangeOf(otherProperties);
      if (
        otherProperties.interface === properties.interface &&
        range.from <= otherRange.to &&
        otherRange.from <= range.to
      ) {
        throw new SandboxError(
          'conflict',
          `dhcp:range "${name}" overlaps "${other.name}" (${otherProperties.from}-${otherProperties.to}) on ${properties.interface}. ` +
            'Choose a range that does not overlap.',
        );
      }
    }
    for (const mapping of context.all(DHCP_STATIC)) {
      const mappingProperties = propertiesOf<DhcpStaticProperties>(mapping);
      const address = parseIpv4(mappingProperties.ipAddress)!;
      if (
        mappingProperties.interface === properties.interface &&
        address >= range.from &&
        address <= range.to
      ) {
        throw new SandboxError(
          'conflict',
          `dhcp:range "${name}" would contain static mapping "${mapping.name}" (${mappingProperties.ipAddress}). ` +
            'Static addresses must stay outside the dynamic range: shrink the range.',
        );
      }
    }
    return {
      interface: properties.interface,
      from: properties.from,
      to: properties.to,
      size: range.to - range.from + 1,
    };
  },
  uses: (resource, context) => vlanOf(resource.properties.interface, context),
});

// ---------------------------------------------------------------------------------------------------------------
// dhcp:static

const macAddress = z
  .string()
  .regex(/^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i, 'MAC addresses look like 00:11:22:aa:bb:cc');

const dhcpStaticSchema = z.strictObject({
  interface: z.string().describe('lan, or a VLAN device such as vlan01'),
  mac: macAddress,
  ipAddress: ipv4Address,
  hostname: z
    .string()
    .regex(/^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/, 'a hostname is one DNS label: letters, digits, hyphens')
    .optional(),
  description,
});
type DhcpStaticProperties = z.infer<typeof dhcpStaticSchema>;

const normalizeMac = (mac: string) => mac.toLowerCase().replaceAll('-', ':');

const dhcpStatic = defineType<DhcpStaticProperties>({
  type: DHCP_STATIC,
  description: 'A DHCP static mapping: a fixed address for a MAC on an interface, outside the dynamic range.',
  schema: dhcpStaticSchema,
  outputs: ['interface', 'ipAddress', 'mac'],
  newId: uuidId,
  realize({ name, properties }, context) {
    const where = requireInterface(DHCP_STATIC, name, properties.interface, context);
    const address = parseIpv4(properties.ipAddress)!;
    if (where.subnet && !cidrContains(where.subnet, address)) {
      throw new SandboxError(
        'invalid-properties',
        `dhcp:static "${name}": ${properties.ipAddress} is not in ${where.name}'s network ${formatCidr(where.subnet)}.`,
      );
    }
    if (where.address === address) {
      throw new SandboxError(
        'conflict',
        `dhcp:static "${name}": ${properties.ipAddress} is the interface's own address.`,
      );
    }
    for (const range of context.all(DHCP_RANGE)) {
      const rangeProperties = propertiesOf<DhcpRangeProperties>(range);
      const { from, to } = rangeOf(rangeProperties);
      if (rangeProperties.interface === properties.interface && address >= from && address <= to) {
        throw new SandboxError(
          'conflict',
          `dhcp:static "${name}": ${properties.ipAddress} is inside the dynamic range "${range.name}" ` +
            `(${rangeProperties.from}-${rangeProperties.to}). Choose an address outside it.`,
        );
      }
    }
    for (const other of context.all(DHCP_STATIC)) {
      const otherProperties = propertiesOf<DhcpStaticProperties>(other);
      if (otherProperties.interface !== properties.interface) continue;
      if (normalizeMac(otherProperties.mac) === normalizeMac(properties.mac)) {
        throw new SandboxError(
          'conflict',
          `dhcp:static "${name}": MAC ${properties.mac} already has a mapping, "${other.name}". Update that one instead.`,
        );
      }
      if (otherProperties.ipAddress === properties.ipAddress) {
        throw new SandboxError(
          'conflict',
          `dhcp:static "${name}": ${properties.ipAddress} is already mapped to ${otherProperties.mac} by "${other.name}".`,
        );
      }
    }
    return {
      interface: properties.interface,
      ipAddress: properties.ipAddress,
      mac: normalizeMac(properties.mac),
    };
  },
  uses: (resource, context) => vlanOf(resource.properties.interface, context),
});

// ---------------------------------------------------------------------------------------------------------------
// firewall:alias

const ALIAS_TYPES = ['host', 'network', 'port', 'url', 'urltable', 'geoip', 'mac', 'networkgroup'] as const;

const aliasSchema = z.strictObject({
  type: z.enum(ALIAS_TYPES).describe('What the entries are'),
  content: z
    .union([z.string(), z.array(z.union([z.string(), z.number()]))])
    .describe('Entries: a list, or one string separated by commas, spaces or newlines'),
  description,
  enabled: z.boolean().optional(),
});
type AliasProperties = z.infer<typeof aliasSchema>;

function aliasEntries(content: AliasProperties['content']): string[] {
  const items = typeof content === 'string' ? content.split(/[\s,]+/) : content.map(String);
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function entryProblem(
  type: AliasProperties['type'],
  entry: string,
  context: SandboxContext,
): string | undefined {
  const isAlias = context.byName(ALIAS, entry) !== undefined;
  switch (type) {
    case 'host':
      return isIP(entry) || isHostname(entry) || isAddressRange(entry) || isAlias
        ? undefined
        : 'an address or host name';
    case 'network':
      return parseCidr(entry).ok || isIP(entry) || isAlias ? undefined : 'a network (CIDR)';
    case 'networkgroup':
      return isAlias ? undefined : 'the name of an existing network alias';
    case 'port':
      return parsePortRange(entry) || isAlias ? undefined : 'a port or range';
    case 'url':
    case 'urltable':
      return URL.canParse(entry) ? undefined : 'a URL';
    case 'geoip':
      return /^[A-Z]{2}$/.test(entry) ? undefined : 'a two-letter country code (e.g. NL)';
    case 'mac':
      return macAddress.safeParse(entry).success ? undefined : 'a MAC address';
  }
}

function isAddressRange(entry: string): boolean {
  const [from, to, extra] = entry.split('-');
  return extra === undefined && to !== undefined && isIPv4(from ?? '') && isIPv4(to);
}

const alias = defineType<AliasProperties>({
  type: ALIAS,
  description:
    'A firewall alias: a named list of hosts, networks, ports, URLs, countries or MACs that rules and forwards may use by name.',
  schema: aliasSchema,
  outputs: ['entries', 'entryCount'],
  replaceOn: ['type'],
  newId: uuidId,
  realize({ name, properties }, context) {
    const entries = aliasEntries(properties.content);
    const problems = entries
      .map((entry) => ({ entry, expected: entryProblem(properties.type, entry, context) }))
      .filter((problem) => problem.expected !== undefined);
    if (problems.length > 0) {
      const listed = problems.map((problem) => `"${problem.entry}" is not ${problem.expected}`).join('; ');
      throw new SandboxError(
        'invalid-properties',
        `firewall:alias "${name}" (type ${properties.type}): ${listed}.`,
      );
    }
    return { entries, entryCount: entries.length };
  },
  uses: (resource, context) =>
    aliasEntries(resource.properties.content)
      .map((entry) => context.byName(ALIAS, entry))
      .filter((record): record is SandboxRecord => record !== undefined && record.id !== resource.id),
});

// ---------------------------------------------------------------------------------------------------------------
// firewall:rule

const PROTOCOLS = [
  'any',
  'tcp',
  'udp',
  'tcp/udp',
  'icmp',
  'esp',
  'ah',
  'gre',
  'ipv6-icmp',
  'igmp',
  'ospf',
] as const;
const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'tcp/udp']);

const addressField = z
  .string()
  .describe(
    'any, an address or network, an interface network (lan, lannet, wanip, vlan01net), or an alias name',
  );
const portField = z
  .union([port, z.string()])
  .describe('A port, a range like 8000-8080, or a port alias name');

const ruleSchema = z.strictObject({
  interface: z
    .string()
    .optional()
    .describe('Where the rule applies: wan, lan or a VLAN device (default lan)'),
  action: z.enum(['pass', 'block', 'reject']),
  direction: z.enum(['in', 'out']).optional(),
  ipProtocol: z.enum(['inet', 'inet6', 'inet46']).optional(),
  protocol: z.enum(PROTOCOLS).optional().describe('Default any'),
  source: addressField.optional().describe('Default any'),
  sourcePort: portField.optional(),
  destination: addressField.optional().describe('Default any'),
  destinationPort: portField.optional(),
  port: portField.optional().describe('Same as destinationPort'),
  log: z.boolean().optional(),
  quick: z.boolean().optional(),
  enabled: z.boolean().optional(),
  sequence: z.int().min(1).max(999_999).optional().describe('Evaluation order (lower first)'),
  description,
});
type RuleProperties = z.infer<typeof ruleSchema>;

/** What an address field names: nothing to check, or an alias the rule now depends on. */
function checkAddress(
  owner: string,
  field: string,
  value: string | undefined,
  context: SandboxContext,
): SandboxRecord | undefined {
  if (value === undefined) return undefined;
  const text = value.startsWith('!') ? value.slice(1) : value;
  if (text === 'any' || text === '(self)' || isIP(text) || parseCidr(text).ok) return undefined;
  const interfaceName = text.replace(/(net|ip)$/, '');
  if (resolveInterface(text, context) || resolveInterface(interfaceName, context)) return undefined;
  const aliasRecord = context.byName(ALIAS, text);
  if (aliasRecord) return aliasRecord;
  if (/^[A-Za-z0-9_-]+$/.test(text)) {
    throw new SandboxError(
      'missing-dependency',
      `${owner}: ${field} "${value}" is not an address, a network or an interface, and no alias has that name. ` +
        'Create the firewall:alias first, or write an address.',
    );
  }
  throw new SandboxError(
    'invalid-properties',
    `${owner}: ${field} "${value}" is not any, an address, a network (CIDR), an interface network or an alias name.`,
  );
}

function checkPort(
  owner: string,
  field: string,
  value: string | number | undefined,
  context: SandboxContext,
): SandboxRecord | undefined {
  if (value === undefined || value === 'any' || parsePortRange(value)) return undefined;
  const aliasRecord = context.byName(ALIAS, String(value));
  if (aliasRecord && propertiesOf<AliasProperties>(aliasRecord).type === 'port') return aliasRecord;
  if (aliasRecord) {
    throw new SandboxError(
      'invalid-properties',
      `${owner}: ${field} names alias "${value}", which is a ${propertiesOf<AliasProperties>(aliasRecord).type} alias; ports need a port alias.`,
    );
  }
  throw new SandboxError(
    'invalid-properties',
    `${owner}: ${field} "${value}" is not a port, a range like 8000-8080, or the name of a port alias.`,
  );
}

function ruleAliases(properties: RuleProperties, owner: string, context: SandboxContext): SandboxRecord[] {
  return [
    checkAddress(owner, 'source', properties.source, context),
    checkAddress(owner, 'destination', properties.destination, context),
    checkPort(owner, 'sourcePort', properties.sourcePort, context),
    checkPort(owner, 'destinationPort', properties.destinationPort ?? properties.port, context),
  ].filter((record): record is SandboxRecord => record !== undefined);
}

const rule = defineType<RuleProperties>({
  type: RULE,
  description:
    'A filter rule on an interface (default lan). Addresses may be any, IPs, CIDRs, interface networks (lannet) or alias names; ports need protocol tcp, udp or tcp/udp.',
  schema: ruleSchema,
  outputs: ['interface', 'sequence', 'enabled'],
  newId: uuidId,
  realize({ name, properties, previous }, context) {
    const owner = `firewall:rule "${name}"`;
    const interfaceName = properties.interface ?? 'lan';
    requireInterface(RULE, name, interfaceName, context);
    if (properties.port !== undefined && properties.destinationPort !== undefined) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: port and destinationPort mean the same thing; give only destinationPort.`,
      );
    }
    const protocol = properties.protocol ?? 'any';
    const ports = [properties.sourcePort, properties.destinationPort, properties.port].filter(
      (value) => value !== undefined && value !== 'any',
    );
    if (ports.length > 0 && !PORT_PROTOCOLS.has(protocol)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: ports only apply to protocol tcp, udp or tcp/udp, and the protocol is ${protocol}. Add protocol: tcp (or udp).`,
      );
    }
    ruleAliases(properties, owner, context);
    const sequence =
      properties.sequence ??
      (previous?.outputs.sequence as number | undefined) ??
      Math.max(0, ...context.all(RULE).map((other) => Number(other.outputs.sequence) || 0)) + 1;
    return { interface: interfaceName, sequence, enabled: properties.enabled ?? true };
  },
  uses: (resource, context) => [
    ...vlanOf(resource.properties.interface, context),
    ...safeAliases(() => ruleAliases(resource.properties, resource.name, context)),
  ],
});

/** Dependencies of a stored resource whose named aliases may since have been changed: only the ones that resolve. */
function safeAliases(find: () => SandboxRecord[]): SandboxRecord[] {
  try {
    return find();
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// firewall:nat (port forward)

const natSchema = z.strictObject({
  interface: z.string().optional().describe('Default wan'),
  protocol: z.enum(['tcp', 'udp', 'tcp/udp']).optional().describe('Default tcp'),
  source: addressField.optional().describe('Default any'),
  destination: addressField.optional().describe('Default wanip: the interface address'),
  destinationPort: portOrRange,
  target: z.string().describe('The internal address (or host alias) to forward to'),
  targetPort: portOrRange.optional().describe('Default: the destination port'),
  filterRule: z.enum(['add', 'pass', 'none']).optional().describe('Associated filter rule (default add)'),
  description,
});
type NatProperties = z.infer<typeof natSchema>;

function natProtocols(protocol: NatProperties['protocol']): Set<string> {
  const value = protocol ?? 'tcp';
  return new Set(value === 'tcp/udp' ? ['tcp', 'udp'] : [value]);
}

function natDestination(properties: NatProperties): string {
  const destination = properties.destination ?? 'wanip';
  const interfaceName = properties.interface ?? 'wan';
  return destination === `${interfaceName}ip` || destination === 'any' ? 'wanip' : destination;
}

function externalAddress(properties: NatProperties): string {
  const destination = natDestination(properties);
  if (destination !== 'wanip') return destination;
  const interfaceName = properties.interface ?? 'wan';
  const assigned = ASSIGNED_INTERFACES[interfaceName];
  return assigned ? assigned.address.split('/')[0]! : destination;
}

const nat = defineType<NatProperties>({
  type: NAT,
  description:
    'A port forward (destination NAT), by default on wan to the WAN address. Two forwards may not claim the same port and protocol on the same address.',
  schema: natSchema,
  outputs: ['externalAddress', 'externalPort', 'target', 'targetPort', 'protocol'],
  newId: uuidId,
  realize({ name, properties }, context) {
    const owner = `firewall:nat "${name}"`;
    const interfaceName = properties.interface ?? 'wan';
    requireInterface(NAT, name, interfaceName, context);
    checkAddress(owner, 'source', properties.source, context);
    checkAddress(owner, 'destination', properties.destination, context);
    const targetAlias = natTarget(owner, properties.target, context);
    const range = parsePortRange(properties.destinationPort)!;
    const protocols = natProtocols(properties.protocol);
    for (const other of context.all(NAT)) {
      const otherProperties = propertiesOf<NatProperties>(other);
      if ((otherProperties.interface ?? 'wan') !== interfaceName) continue;
      if (natDestination(otherProperties) !== natDestination(properties)) continue;
      const shared = [...natProtocols(otherProperties.protocol)].filter((protocol) =>
        protocols.has(protocol),
      );
      const otherRange = parsePortRange(otherProperties.destinationPort)!;
      if (shared.length > 0 && portRangesOverlap(range, otherRange)) {
        throw new SandboxError(
          'conflict',
          `${owner}: port ${formatPortRange(range)}/${shared.join('+')} on ${interfaceName} is already forwarded by ` +
            `"${other.name}" to ${otherProperties.target}. Choose another external port, or change that forward.`,
        );
      }
    }
    const targetPort = properties.targetPort === undefined ? range : parsePortRange(properties.targetPort)!;
    if (targetPort.to - targetPort.from !== 0 && targetPort.to - targetPort.from !== range.to - range.from) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: targetPort ${formatPortRange(targetPort)} must be one port or a range as long as ${formatPortRange(range)}.`,
      );
    }
    return {
      externalAddress: externalAddress(properties),
      externalPort: formatPortRange(range),
      target: targetAlias ? targetAlias.name : properties.target,
      targetPort: formatPortRange(targetPort),
      protocol: properties.protocol ?? 'tcp',
    };
  },
  uses: (resource, context) => [
    ...vlanOf(resource.properties.interface, context),
    ...safeAliases(() => {
      const found = natTarget(resource.name, resource.properties.target, context);
      return found ? [found] : [];
    }),
  ],
});

function natTarget(owner: string, target: string, context: SandboxContext): SandboxRecord | undefined {
  if (isIP(target)) return undefined;
  const aliasRecord = context.byName(ALIAS, target);
  if (aliasRecord && propertiesOf<AliasProperties>(aliasRecord).type === 'host') return aliasRecord;
  throw new SandboxError(
    aliasRecord ? 'invalid-properties' : 'missing-dependency',
    `${owner}: target "${target}" must be an IP address or the name of a host alias` +
      (aliasRecord
        ? ` (alias "${target}" is a ${propertiesOf<AliasProperties>(aliasRecord).type} alias).`
        : '; no alias has that name.'),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// service:haproxy:backend

const backendServer = z.union([
  z.string().describe('host or host:port'),
  z.strictObject({
    name: z.string().optional(),
    address: z.string(),
    port: z.union([port, z.string()]).optional(),
    weight: z.int().min(0).max(256).optional(),
    ssl: z.boolean().optional(),
    backup: z.boolean().optional(),
  }),
]);

const backendSchema = z.strictObject({
  mode: z.enum(['http', 'tcp']).optional().describe('Default http'),
  balance: z
    .enum(['roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'uri', 'url_param', 'hdr', 'random'])
    .optional()
    .describe('Default roundrobin'),
  servers: z
    .array(backendServer)
    .optional()
    .describe('Real servers: "10.0.1.10:8080" or { address, port, weight }'),
  httpCheck: z
    .looseObject({
      uri: z.string().optional(),
      version: z.string().optional(),
      method: z.string().optional(),
      host: z.string().optional(),
      expectStatus: z.union([z.int(), z.string()]).optional(),
    })
    .optional(),
  healthCheck: z
    .looseObject({
      uri: z.string().optional(),
      port: z.union([port, z.string()]).optional(),
      interval: z.union([z.int().min(1), z.string()]).optional(),
      type: z.string().optional(),
    })
    .optional(),
  description,
});
type BackendProperties = z.infer<typeof backendSchema>;

function normalizeServers(owner: string, servers: BackendProperties['servers']): string[] {
  const result: string[] = [];
  for (const server of servers ?? []) {
    let address: string;
    let serverPort: string | number | undefined;
    if (typeof server === 'string') {
      const match = /^(.*?)(?::(\d+))?$/.exec(server)!;
      address = match[1]!;
      serverPort = match[2];
    } else {
      address = server.address;
      serverPort = server.port;
    }
    if (!isIPv4(address) && !isHostname(address)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: server "${address}" is not an address or host name.`,
      );
    }
    if (serverPort !== undefined && !parsePortRange(serverPort)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: server ${address} has port "${serverPort}", not 1-65535.`,
      );
    }
    const entry = serverPort === undefined ? address : `${address}:${serverPort}`;
    if (result.includes(entry)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: server ${entry} is listed twice. List each server once.`,
      );
    }
    result.push(entry);
  }
  return result;
}

const backend = defineType<BackendProperties>({
  type: BACKEND,
  description: 'An HAProxy backend pool: mode, balancing algorithm, servers and health checks.',
  schema: backendSchema,
  outputs: ['mode', 'servers', 'serverCount'],
  newId: uuidId,
  realize({ name, properties }) {
    const owner = `service:haproxy:backend "${name}"`;
    const servers = normalizeServers(owner, properties.servers);
    const checkPort = properties.healthCheck?.port;
    if (checkPort !== undefined && !parsePortRange(checkPort)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: healthCheck.port "${checkPort}" is not a port (1-65535).`,
      );
    }
    for (const [field, check] of [
      ['httpCheck.uri', properties.httpCheck?.uri],
      ['healthCheck.uri', properties.healthCheck?.uri],
    ] as const) {
      if (check !== undefined && !check.startsWith('/')) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: ${field} "${check}" must be a path starting with /.`,
        );
      }
    }
    return { mode: properties.mode ?? 'http', servers, serverCount: servers.length };
  },
});

// ---------------------------------------------------------------------------------------------------------------
// service:haproxy:frontend

const frontendSchema = z.strictObject({
  bind: z
    .union([z.string(), z.array(z.string()).min(1)])
    .describe('address:port to listen on, e.g. 0.0.0.0:443 or :80 (a list for several)'),
  mode: z.enum(['http', 'tcp']).optional().describe('Default http'),
  defaultBackend: z.string().optional().describe('Name of the service:haproxy:backend that gets the traffic'),
  backend: z.string().optional().describe('The backend by id (or name), as an alternative to defaultBackend'),
  sslCertificate: z.string().optional().describe('Certificate (reference or ARN) for TLS offloading'),
  certificate: z.string().optional().describe('Same as sslCertificate'),
  forwardFor: z.boolean().optional(),
  description,
});
type FrontendProperties = z.infer<typeof frontendSchema>;

interface Bind {
  /** Undefined: all addresses. */
  address?: string;
  port: number;
}

function parseBinds(owner: string, bind: FrontendProperties['bind']): Bind[] {
  return (Array.isArray(bind) ? bind : [bind]).map((entry) => {
    const match = /^(?:(.*):)?(\d{1,5})$/.exec(entry.trim());
    const bindPort = match ? Number(match[2]) : Number.NaN;
    const address = match?.[1] ?? '';
    if (
      !match ||
      bindPort < 1 ||
      bindPort > 65535 ||
      (address !== '' && address !== '*' && !isIPv4(address))
    ) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: bind "${entry}" is not address:port (e.g. 0.0.0.0:443, 203.0.113.10:80 or :443).`,
      );
    }
    const wildcard = address === '' || address === '*' || address === '0.0.0.0';
    return wildcard ? { port: bindPort } : { address, port: bindPort };
  });
}

function bindsOverlap(left: Bind, right: Bind): boolean {
  return left.port === right.port && (!left.address || !right.address || left.address === right.address);
}

function frontendBackend(properties: FrontendProperties, context: SandboxContext): SandboxRecord | undefined {
  const wanted = properties.defaultBackend ?? properties.backend;
  if (wanted === undefined) return undefined;
  const byId = context.byId(wanted);
  return byId?.type === BACKEND ? byId : context.byName(BACKEND, wanted);
}

const frontend = defineType<FrontendProperties>({
  type: FRONTEND,
  description:
    'An HAProxy frontend: where it listens and which backend gets the traffic. A wildcard bind listens on the WAN address, which bindAddress reports.',
  schema: frontendSchema,
  outputs: ['bindAddress', 'bindPort', 'ip', 'url', 'backend'],
  references: [
    { property: 'defaultBackend', type: BACKEND, by: 'name' },
    { property: 'backend', type: BACKEND, by: 'id' },
  ],
  newId: uuidId,
  realize({ name, properties }, context) {
    const owner = `service:haproxy:frontend "${name}"`;
    if (properties.defaultBackend && properties.backend && properties.defaultBackend !== properties.backend) {
      throw new SandboxError('invalid-properties', `${owner}: give defaultBackend or backend, not both.`);
    }
    if (
      properties.sslCertificate &&
      properties.certificate &&
      properties.sslCertificate !== properties.certificate
    ) {
      throw new SandboxError('invalid-properties', `${owner}: give sslCertificate or certificate, not both.`);
    }
    const wanted = properties.defaultBackend ?? properties.backend;
    const backendRecord = frontendBackend(properties, context);
    if (wanted !== undefined && !backendRecord) {
      throw new SandboxError(
        'missing-dependency',
        `${owner}: there is no service:haproxy:backend "${wanted}". Create the backend first, or name an existing one.`,
      );
    }
    const mode = properties.mode ?? 'http';
    if (backendRecord && backendRecord.outputs.mode !== mode) {
      throw new SandboxError(
        'conflict',
        `${owner} is in ${mode} mode but backend "${backendRecord.name}" is in ${String(backendRecord.outputs.mode)} mode. ` +
          'Use the same mode on both.',
      );
    }
    const binds = parseBinds(owner, properties.bind);
    for (const other of context.all(FRONTEND)) {
      for (const otherBind of parseBinds(other.name, propertiesOf<FrontendProperties>(other).bind)) {
        const clash = binds.find((bind) => bindsOverlap(bind, otherBind));
        if (clash) {
          throw new SandboxError(
            'conflict',
            `${owner}: port ${clash.port} on ${clash.address ?? 'all addresses'} is already bound by frontend "${other.name}". ` +
              'Choose another port or address.',
          );
        }
      }
    }
    const first = binds[0]!;
    const bindAddress = first.address ?? WAN_ADDRESS;
    const tls = Boolean(properties.sslCertificate ?? properties.certificate);
    const scheme = mode === 'tcp' ? 'tcp' : tls ? 'https' : 'http';
    return {
      bindAddress,
      bindPort: first.port,
      ip: bindAddress,
      url: `${scheme}://${bindAddress}:${first.port}`,
      backend: backendRecord?.name ?? null,
    };
  },
  uses: (resource, context) => {
    const found = frontendBackend(resource.properties, context);
    return found ? [found] : [];
  },
});

// ---------------------------------------------------------------------------------------------------------------
// service:wireguard:server

const wireguardKey = z
  .string()
  .refine(isWireguardKey, 'WireGuard keys are 44 characters of base64 (as `wg genkey` prints)');

const wireguardServerSchema = z.strictObject({
  listenPort: port.optional().describe('UDP port (default 51820)'),
  tunnelAddress: ipv4InterfaceAddress.describe(
    'The server address inside the tunnel with its prefix, e.g. 10.10.0.1/24',
  ),
  privateKey: wireguardKey.optional().describe('Generated when omitted'),
  mtu: z.int().min(1280).max(9000).optional(),
  dns: z.array(ipAddress).optional(),
  disabled: z.boolean().optional(),
  description,
});
type WireguardServerProperties = z.infer<typeof wireguardServerSchema>;

const wireguardServer = defineType<WireguardServerProperties>({
  type: WIREGUARD_SERVER,
  description:
    'A WireGuard instance (wg0, wg1, ...): a UDP listen port unique on the firewall and a tunnel network no other instance uses.',
  schema: wireguardServerSchema,
  outputs: ['interface', 'publicKey', 'listenPort', 'tunnelAddress', 'tunnelNetwork', 'endpoint'],
  sensitive: ['privateKey'],
  newId: uuidId,
  realize({ name, properties, previous }, context) {
    const owner = `service:wireguard:server "${name}"`;
    const listenPort = properties.listenPort ?? 51820;
    const tunnel = parseCidr(properties.tunnelAddress);
    if (!tunnel.ok) throw new SandboxError('invalid-properties', `${owner}: ${tunnel.problem}.`);
    if (tunnel.cidr.prefix > 30) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: tunnel network /${tunnel.cidr.prefix} has no room for peers; use /24.`,
      );
    }
    for (const other of context.all(WIREGUARD_SERVER)) {
      const otherProperties = propertiesOf<WireguardServerProperties>(other);
      if ((otherProperties.listenPort ?? 51820) === listenPort) {
        throw new SandboxError(
          'conflict',
          `${owner}: UDP port ${listenPort} is already used by WireGuard server "${other.name}". Choose another listenPort.`,
        );
      }
      const otherTunnel = parseCidr(otherProperties.tunnelAddress);
      if (otherTunnel.ok && cidrsOverlap(tunnel.cidr, otherTunnel.cidr)) {
        throw new SandboxError(
          'conflict',
          `${owner}: tunnel network ${formatCidr(tunnel.cidr)} overlaps "${other.name}" (${formatCidr(otherTunnel.cidr)}). Choose another network.`,
        );
      }
    }
    const publicKey = properties.privateKey
      ? wireguardPublicKey(properties.privateKey)
      : previous && typeof previous.outputs.publicKey === 'string' && !previous.properties.privateKey
        ? previous.outputs.publicKey
        : generateWireguardKeyPair().publicKey;
    const interfaceName = previous ? String(previous.outputs.interface) : nextWireguardInterface(context);
    return {
      interface: interfaceName,
      publicKey,
      listenPort,
      tunnelAddress: properties.tunnelAddress,
      tunnelNetwork: formatCidr(tunnel.cidr),
      endpoint: `${WAN_ADDRESS}:${listenPort}`,
    };
  },
});

function nextWireguardInterface(context: SandboxContext): string {
  const used = new Set(context.all(WIREGUARD_SERVER).map((record) => String(record.outputs.interface)));
  for (let number = 0; ; number++) if (!used.has(`wg${number}`)) return `wg${number}`;
}

// ---------------------------------------------------------------------------------------------------------------
// service:wireguard:peer

const wireguardPeerSchema = z.strictObject({
  server: z.string().describe('Name of the service:wireguard:server'),
  publicKey: wireguardKey.optional().describe("The peer's public key; a key pair is generated when omitted"),
  presharedKey: wireguardKey.optional(),
  tunnelAddress: z
    .string()
    .optional()
    .describe('Address in the server tunnel network; the next free one when omitted'),
  allowedIps: z.array(z.string()).optional().describe('Extra networks routed to this peer'),
  endpoint: z.string().optional(),
  keepalive: z.int().min(0).max(65535).optional(),
  description,
});
type WireguardPeerProperties = z.infer<typeof wireguardPeerSchema>;

const wireguardPeer = defineType<WireguardPeerProperties>({
  type: WIREGUARD_PEER,
  description:
    'A WireGuard peer of a server: gets the next free tunnel address unless one is given; a key pair is generated when no publicKey is given.',
  schema: wireguardPeerSchema,
  outputs: ['tunnelAddress', 'publicKey', 'privateKey', 'serverPublicKey', 'endpoint', 'config'],
  replaceOn: ['server'],
  sensitive: ['privateKey', 'presharedKey', 'config'],
  references: [{ property: 'server', type: WIREGUARD_SERVER, by: 'name' }],
  newId: uuidId,
  realize({ name, properties, previous }, context) {
    const owner = `service:wireguard:peer "${name}"`;
    const server = context.byName(WIREGUARD_SERVER, properties.server);
    if (!server) {
      throw new SandboxError(
        'missing-dependency',
        `${owner}: there is no service:wireguard:server "${properties.server}". Create it first.`,
      );
    }
    const tunnel = parseCidr(propertiesOf<WireguardServerProperties>(server).tunnelAddress);
    if (!tunnel.ok)
      throw new SandboxError('internal-error', `${owner}: the server's tunnel address is unreadable.`);
    for (const network of properties.allowedIps ?? []) {
      if (!parseCidr(network).ok) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: allowedIps entry "${network}" is not a network (CIDR).`,
        );
      }
    }
    const siblings = context
      .all(WIREGUARD_PEER)
      .filter((other) => propertiesOf<WireguardPeerProperties>(other).server === properties.server);
    const used = new Set<number>([tunnel.host]);
    for (const sibling of siblings)
      used.add(parseIpv4(String(sibling.outputs.tunnelAddress).split('/')[0]!)!);

    let address: number;
    if (properties.tunnelAddress !== undefined) {
      const requested = parseIpv4(properties.tunnelAddress.replace(/\/32$/, ''));
      if (requested === undefined || !cidrContains(tunnel.cidr, requested)) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: tunnelAddress "${properties.tunnelAddress}" must be an address in ${formatCidr(tunnel.cidr)}.`,
        );
      }
      if (used.has(requested)) {
        const holder = siblings.find((sibling) =>
          String(sibling.outputs.tunnelAddress).startsWith(`${formatIpv4(requested)}/`),
        );
        throw new SandboxError(
          'conflict',
          `${owner}: ${formatIpv4(requested)} is already used by ${holder ? `peer "${holder.name}"` : 'the server'}. Choose another tunnelAddress or omit it.`,
        );
      }
      address = requested;
    } else {
      const previousAddress = previous && parseIpv4(String(previous.outputs.tunnelAddress).split('/')[0]!);
      const allocated =
        previousAddress !== undefined && !used.has(previousAddress)
          ? previousAddress
          : allocateAddress(tunnel.cidr, used, { reserveLow: 1, reserveHigh: 1 });
      if (allocated === undefined) {
        throw new SandboxError(
          'capacity',
          `${owner}: the tunnel network ${formatCidr(tunnel.cidr)} of "${properties.server}" has no free address. Use a larger network.`,
        );
      }
      address = allocated;
    }

    let publicKey = properties.publicKey;
    let privateKey: string | null = null;
    if (!publicKey) {
      const kept = previous && !previous.properties.publicKey ? previous.outputs : undefined;
      const pair =
        kept && typeof kept.privateKey === 'string' && typeof kept.publicKey === 'string'
          ? { privateKey: kept.privateKey, publicKey: kept.publicKey }
          : generateWireguardKeyPair();
      publicKey = pair.publicKey;
      privateKey = pair.privateKey;
    }
    const duplicate = siblings.find((sibling) => sibling.outputs.publicKey === publicKey);
    if (duplicate) {
      throw new SandboxError(
        'conflict',
        `${owner}: public key already belongs to peer "${duplicate.name}" on "${properties.server}". Each peer needs its own key.`,
      );
    }
    const tunnelAddress = `${formatIpv4(address)}/32`;
    const endpoint = String(server.outputs.endpoint);
    const serverPublicKey = String(server.outputs.publicKey);
    const config = privateKey
      ? [
          '[Interface]',
          `PrivateKey = ${privateKey}`,
          `Address = ${tunnelAddress}`,
          '',
          '[Peer]',
          `PublicKey = ${serverPublicKey}`,
          `Endpoint = ${endpoint}`,
          `AllowedIPs = ${formatCidr(tunnel.cidr)}`,
          '',
        ].join('\n')
      : null;
    return { tunnelAddress, publicKey, privateKey, serverPublicKey, endpoint, config };
  },
  uses: (resource, context) => {
    const server = context.byName(WIREGUARD_SERVER, resource.properties.server);
    return server ? [server] : [];
  },
});

// ---------------------------------------------------------------------------------------------------------------
// dns:host-override (Unbound)

const hostOverrideSchema = z.strictObject({
  hostname: z
    .string()
    .regex(/^(\*|(?!-)[A-Za-z0-9_-]{1,63}(?<!-))$/, 'hostname is one DNS label (or *), e.g. nas')
    .describe('The first label, e.g. nas'),
  domain: hostname.describe('The rest of the name, e.g. home.arpa'),
  type: z.enum(['A', 'AAAA', 'MX']).optional().describe('Default A'),
  address: ipAddress.optional().describe('Required for A and AAAA'),
  mxHost: hostname.optional(),
  mxPriority: z.int().min(0).max(65535).optional(),
  description,
});
type HostOverrideProperties = z.infer<typeof hostOverrideSchema>;

const hostOverride = defineType<HostOverrideProperties>({
  type: HOST_OVERRIDE,
  description:
    'An Unbound host override: answers hostname.domain with a local address (A, AAAA) or mail host (MX).',
  schema: hostOverrideSchema,
  outputs: ['fqdn', 'type', 'address'],
  newId: uuidId,
  realize({ name, properties }, context) {
    const owner = `dns:host-override "${name}"`;
    const type = properties.type ?? 'A';
    if (type === 'MX') {
      if (!properties.mxHost)
        throw new SandboxError('invalid-properties', `${owner}: an MX override needs mxHost.`);
    } else {
      const version = type === 'A' ? 4 : 6;
      if (!properties.address || isIP(properties.address) !== version) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: an ${type} override needs an IPv${version} address (got ${properties.address ?? 'none'}).`,
        );
      }
    }
    const fqdn = `${properties.hostname}.${properties.domain.replace(/\.$/, '')}`.toLowerCase();
    const clash = context.all(HOST_OVERRIDE).find((other) => {
      const otherProperties = propertiesOf<HostOverrideProperties>(other);
      return other.outputs.fqdn === fqdn && (otherProperties.type ?? 'A') === type;
    });
    if (clash) {
      throw new SandboxError(
        'conflict',
        `${owner}: ${fqdn} already has an ${type} override, "${clash.name}" (${String(clash.outputs.address)}). Update that one instead.`,
      );
    }
    return { fqdn, type, address: properties.address ?? properties.mxHost ?? null };
  },
});

export const opnsenseProvider: SandboxProvider = {
  name: 'opnsense',
  description: `A simulated OPNsense firewall (WAN ${ASSIGNED_INTERFACES.wan!.address} on igc0, LAN ${ASSIGNED_INTERFACES.lan!.address} on igc1, igc2 and igc3 free for VLANs).`,
  types: [
    vlan,
    dhcpRange,
    dhcpStatic,
    alias,
    rule,
    nat,
    backend,
    frontend,
    wireguardServer,
    wireguardPeer,
    hostOverride,
  ],
};

/** The firewall's WAN address, where wildcard binds and port forwards listen. */
export const OPNSENSE_WAN_ADDRESS = WAN_ADDRESS;
