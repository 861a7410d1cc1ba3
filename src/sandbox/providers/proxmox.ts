// A simulated Proxmox VE node: QEMU virtual machines and LXC containers with cluster-unique VMIDs, memory, cores and
// disk checked against the node, and addresses from the bridge's network (or the VLAN's, for tagged guests).
import { z } from 'zod';
import {
  allocateAddress,
  type Cidr,
  cidrContains,
  formatCidr,
  formatIpv4,
  isAssignable,
  parseCidr,
  parseIpv4,
} from '../ipv4.js';
import { formatMemorySize, parseMemorySize } from '../memory-size.js';
import type { PropertyMap, SandboxRecord } from '../resource-record.js';
import { SandboxError } from '../sandbox-error.js';
import { ipv4Address } from '../schema-parts.js';
import {
  defineType,
  type PendingResource,
  propertiesOf,
  type SandboxContext,
  type SandboxProvider,
  type TypeSpec,
} from '../type-spec.js';

const NODES: Readonly<
  Record<string, { memoryBytes: number; cores: number; storage: Readonly<Record<string, number>> }>
> = {
  pve: {
    memoryBytes: 64 * 1024 ** 3,
    cores: 16,
    storage: { 'local-lvm': 1024 * 1024 ** 3, local: 100 * 1024 ** 3 },
  },
};

/** The untagged bridge is the LAN; guests without a fixed address get one from .100 upward, as from DHCP. */
const BRIDGE_NETWORK = '192.168.1.0/24';
const DHCP_START = 100;

const VM = 'vm';
const LXC = 'lxc';

const guestCommon = {
  node: z
    .string()
    .optional()
    .describe(`Default pve; nodes: ${Object.keys(NODES).join(', ')}`),
  vmid: z
    .int()
    .min(100)
    .max(999_999_999)
    .optional()
    .describe('Unique across VMs and containers; the next free one when omitted'),
  memory: z
    .union([z.int().min(16), z.string()])
    .optional()
    .describe('MiB (a number) or a size like 4g'),
  cores: z.int().min(1).optional(),
  disk: z
    .union([z.int().min(1), z.string()])
    .optional()
    .describe('GiB (a number) or a size like 32G'),
  storage: z.string().optional().describe('Default local-lvm'),
  bridge: z.string().optional().describe('Default vmbr0'),
  vlan: z.int().min(1).max(4094).optional().describe('VLAN tag on the bridge'),
  ipAddress: z.string().optional().describe('Fixed address with prefix (10.20.0.5/24) or "dhcp" (default)'),
  gateway: ipv4Address.optional(),
  onboot: z.boolean().optional(),
  start: z
    .boolean()
    .optional()
    .describe('Start after creating (default true); only running guests use memory'),
  tags: z.union([z.array(z.string()), z.string()]).optional(),
  description: z.string().max(8192).optional(),
};

const vmSchema = z.strictObject({
  ...guestCommon,
  sockets: z.int().min(1).max(4).optional(),
  cpu: z.string().optional().describe('CPU type, e.g. host or x86-64-v2-AES'),
  ostype: z.enum(['l26', 'l24', 'win11', 'win10', 'win2k22', 'win2k19', 'solaris', 'other']).optional(),
  iso: z.string().optional().describe('storage:iso/file.iso'),
  clone: z.string().optional().describe('Name or VMID of a template VM to clone'),
  template: z.boolean().optional().describe('Make this VM a template'),
  ciuser: z.string().optional(),
  sshKeys: z.string().optional(),
  cipassword: z.string().optional(),
});
type VmProperties = z.infer<typeof vmSchema>;

const lxcSchema = z.strictObject({
  ...guestCommon,
  hostname: z.string().optional().describe("Default: the resource's name"),
  ostemplate: z
    .string()
    .describe('storage:vztmpl/file, e.g. local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst'),
  swap: z.int().min(0).optional().describe('MiB'),
  unprivileged: z.boolean().optional().describe('Default true'),
  password: z.string().min(5).optional(),
  sshPublicKeys: z.string().optional(),
  features: z.string().optional().describe('e.g. nesting=1,keyctl=1'),
});
type LxcProperties = z.infer<typeof lxcSchema>;

type GuestProperties = VmProperties | LxcProperties;

function guests(context: SandboxContext): SandboxRecord[] {
  return [...context.all(VM), ...context.all(LXC)];
}

function nextVmid(context: SandboxContext): number {
  const used = new Set(guests(context).map((record) => Number(record.outputs.vmid)));
  let vmid = 100;
  while (used.has(vmid)) vmid++;
  return vmid;
}

function guestId(kind: 'qemu' | 'lxc') {
  return (context: SandboxContext, resource: { properties: GuestProperties }) =>
    `${kind}/${resource.properties.vmid ?? nextVmid(context)}`;
}

function sizeOf(
  owner: string,
  field: string,
  value: number | string | undefined,
  bareUnit: 'm' | 'g',
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const bytes = parseMemorySize(value, bareUnit);
  if (bytes === undefined || bytes <= 0) {
    throw new SandboxError(
      'invalid-properties',
      `${owner}: ${field} "${value}" is not a size; write a number of ${bareUnit === 'm' ? 'MiB' : 'GiB'} or e.g. 4g.`,
    );
  }
  return bytes;
}

function networkFor(properties: GuestProperties): Cidr | undefined {
  if (properties.vlan === undefined) return (parseCidr(BRIDGE_NETWORK) as { cidr: Cidr }).cidr;
  // Home-lab convention the sandbox follows: VLAN n uses 10.n.0.0/24 (VLAN 20 → 10.20.0.0/24).
  if (properties.vlan > 255) return undefined;
  return (parseCidr(`10.${properties.vlan}.0.0/24`) as { cidr: Cidr }).cidr;
}

function segmentOf(properties: GuestProperties): string {
  return `${properties.bridge ?? 'vmbr0'}:${properties.vlan ?? 'untagged'}`;
}

function realizeGuest(
  kind: 'qemu' | 'lxc',
  { id, name, properties, previous }: PendingResource<GuestProperties>,
  context: SandboxContext,
): PropertyMap {
  const owner = `${kind === 'qemu' ? 'vm' : 'lxc'} "${name}"`;
  const nodeName = properties.node ?? 'pve';
  const node = NODES[nodeName];
  if (!node) {
    throw new SandboxError(
      'invalid-properties',
      `${owner}: no node "${nodeName}" in the cluster (nodes: ${Object.keys(NODES).join(', ')}).`,
    );
  }
  const vmid = Number(id.split('/')[1]);
  const holder = guests(context).find((record) => Number(record.outputs.vmid) === vmid);
  if (holder) {
    throw new SandboxError(
      'conflict',
      `${owner}: VM ${vmid} already exists on node '${String(holder.outputs.node)}' ("${holder.name}"). Choose another vmid or omit it.`,
    );
  }
  const memory = sizeOf(owner, 'memory', properties.memory, 'm', (kind === 'qemu' ? 2048 : 512) * 1024 ** 2);
  const cores = properties.cores ?? 1;
  if (cores > node.cores) {
    throw new SandboxError(
      'capacity',
      `${owner}: ${cores} cores requested, but node ${nodeName} has only ${node.cores}.`,
    );
  }
  const storageName = properties.storage ?? 'local-lvm';
  const storageSize = node.storage[storageName];
  if (storageSize === undefined) {
    throw new SandboxError(
      'invalid-properties',
      `${owner}: storage '${storageName}' does not exist on ${nodeName} (it has ${Object.keys(node.storage).join(', ')}).`,
    );
  }
  const disk = sizeOf(owner, 'disk', properties.disk, 'g', (kind === 'qemu' ? 32 : 8) * 1024 ** 3);
  const isTemplate = kind === 'qemu' && (properties as VmProperties).template === true;
  const running = properties.start !== false && !isTemplate;

  const others = guests(context).filter((record) => record.outputs.node === nodeName);
  const memoryInUse = others
    .filter((record) => record.outputs.status === 'running')
    .reduce((sum, record) => sum + Number(record.outputs.memoryBytes), 0);
  if (running && memoryInUse + memory > node.memoryBytes) {
    throw new SandboxError(
      'capacity',
      `${owner}: ${formatMemorySize(memory)} of memory does not fit on ${nodeName}: ${formatMemorySize(memoryInUse)} of ` +
        `${formatMemorySize(node.memoryBytes)} are used by running guests. Lower memory, stop a guest, or set start: false.`,
    );
  }
  const diskInUse = others
    .filter((record) => record.outputs.storage === storageName)
    .reduce((sum, record) => sum + Number(record.outputs.diskBytes), 0);
  if (diskInUse + disk > storageSize) {
    throw new SandboxError(
      'capacity',
      `${owner}: ${formatMemorySize(disk)} of disk does not fit on ${storageName}: ${formatMemorySize(diskInUse)} of ` +
        `${formatMemorySize(storageSize)} are allocated. Use a smaller disk or another storage.`,
    );
  }

  if (kind === 'qemu') {
    const clone = (properties as VmProperties).clone;
    if (clone !== undefined) {
      const source = findTemplate(clone, context);
      if (!source) {
        throw new SandboxError(
          'missing-dependency',
          `${owner}: there is no VM "${clone}" to clone. Create it first (with template: true).`,
        );
      }
      if (propertiesOf<VmProperties>(source).template !== true) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: VM "${source.name}" is not a template; set template: true on it to clone it.`,
        );
      }
    }
  } else {
    const lxc = properties as LxcProperties;
    if (!/^[\w-]+:vztmpl\/.+\.(tar\.(gz|xz|zst)|tgz)$/.test(lxc.ostemplate)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: ostemplate "${lxc.ostemplate}" is not storage:vztmpl/<file>.tar.zst, e.g. local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst.`,
      );
    }
    const hostname = lxc.hostname ?? name;
    if (!/^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/.test(hostname)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: hostname "${hostname}" is not a valid DNS name; set hostname.`,
      );
    }
  }

  const ipAddress = running || isTemplate ? guestAddress(owner, properties, previous, context) : null;
  return {
    vmid,
    node: nodeName,
    status: isTemplate ? 'template' : running ? 'running' : 'stopped',
    ipAddress: isTemplate ? null : ipAddress,
    macAddress:
      typeof previous?.outputs.macAddress === 'string' ? previous.outputs.macAddress : proxmoxMac(context),
    memoryBytes: memory,
    cores,
    diskBytes: disk,
    storage: storageName,
    ...(kind === 'lxc' ? { hostname: (properties as LxcProperties).hostname ?? name } : {}),
  };
}

function findTemplate(value: string, context: SandboxContext): SandboxRecord | undefined {
  return context.all(VM).find((record) => record.name === value || String(record.outputs.vmid) === value);
}

/** Proxmox gives guests MACs in its own OUI, BC:24:11. */
function proxmoxMac(context: SandboxContext): string {
  return `BC:24:11:${context.randomHex(6).toUpperCase().match(/../g)!.join(':')}`;
}

function guestAddress(
  owner: string,
  properties: GuestProperties,
  previous: SandboxRecord | undefined,
  context: SandboxContext,
): string | null {
  const segment = segmentOf(properties);
  const used = new Set<number>();
  for (const record of guests(context)) {
    if (
      segmentOf(record.properties as GuestProperties) === segment &&
      typeof record.outputs.ipAddress === 'string'
    ) {
      used.add(parseIpv4(record.outputs.ipAddress)!);
    }
  }
  const network = networkFor(properties);
  if (properties.ipAddress !== undefined && properties.ipAddress !== 'dhcp') {
    const parsed = parseCidr(properties.ipAddress);
    if (!parsed.ok)
      throw new SandboxError(
        'invalid-properties',
        `${owner}: ipAddress ${parsed.problem}; write e.g. 10.20.0.5/24.`,
      );
    if (network && !cidrContains(network, parsed.host)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: ${properties.ipAddress} is not in the network of ${segment.replace(':', ' VLAN ')} (${formatCidr(network)}).`,
      );
    }
    if (!isAssignable(parsed.cidr, parsed.host, { reserveLow: 1, reserveHigh: 1 })) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: ${properties.ipAddress} is a network or broadcast address.`,
      );
    }
    if (used.has(parsed.host)) {
      const holder = guests(context).find((record) => record.outputs.ipAddress === formatIpv4(parsed.host));
      throw new SandboxError(
        'conflict',
        `${owner}: ${formatIpv4(parsed.host)} is already used by "${holder?.name}". Choose another ipAddress or use dhcp.`,
      );
    }
    if (properties.gateway && !cidrContains(parsed.cidr, parseIpv4(properties.gateway)!)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: gateway ${properties.gateway} is not in ${formatCidr(parsed.cidr)}.`,
      );
    }
    return formatIpv4(parsed.host);
  }
  if (!network) return null;
  const kept =
    typeof previous?.outputs.ipAddress === 'string' ? parseIpv4(previous.outputs.ipAddress) : undefined;
  if (kept !== undefined && !used.has(kept) && cidrContains(network, kept)) return formatIpv4(kept);
  const allocated = allocateAddress(network, used, {
    reserveLow: 1,
    reserveHigh: 1,
    from: network.network + DHCP_START,
  });
  if (allocated === undefined) {
    throw new SandboxError(
      'capacity',
      `${owner}: the DHCP pool of ${formatCidr(network)} is exhausted. Give a fixed ipAddress.`,
    );
  }
  return formatIpv4(allocated);
}

const sharedOutputs = [
  'vmid',
  'node',
  'status',
  'ipAddress',
  'macAddress',
  'memoryBytes',
  'cores',
  'diskBytes',
  'storage',
];

const vm: TypeSpec = defineType<VmProperties>({
  type: VM,
  description:
    'A QEMU virtual machine on a Proxmox node (pve: 64 GiB, 16 cores, local-lvm 1 TiB). Running guests must fit in memory; VLAN n gets addresses from 10.n.0.0/24, untagged from 192.168.1.100 up.',
  schema: vmSchema,
  outputs: sharedOutputs,
  replaceOn: ['node', 'vmid', 'clone', 'iso', 'storage', 'template', 'ostype'],
  newId: guestId('qemu'),
  realize: (resource, context) => realizeGuest('qemu', resource, context),
  uses: (resource, context) => {
    const source = resource.properties.clone ? findTemplate(resource.properties.clone, context) : undefined;
    return source && source.id !== resource.id ? [source] : [];
  },
});

const lxc: TypeSpec = defineType<LxcProperties>({
  type: LXC,
  description:
    'An LXC container on a Proxmox node, from an ostemplate. Same VMID space, memory and addressing rules as VMs.',
  schema: lxcSchema,
  outputs: [...sharedOutputs, 'hostname'],
  replaceOn: ['node', 'vmid', 'ostemplate', 'storage', 'unprivileged'],
  sensitive: ['password'],
  newId: guestId('lxc'),
  realize: (resource, context) => realizeGuest('lxc', resource, context),
});

export const proxmoxProvider: SandboxProvider = {
  name: 'proxmox',
  description:
    'A simulated Proxmox VE node "pve" (64 GiB memory, 16 cores, local-lvm 1 TiB, bridge vmbr0 on 192.168.1.0/24).',
  types: [vm, lxc],
};
