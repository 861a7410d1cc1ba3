// A simulated Docker host: networks with address pools, volumes, containers that get addresses from their network and
// publish host ports, image builds and registry pushes. It refuses what dockerd refuses (overlapping pools, a host
// port bound twice, a static IP on the default bridge, a network or volume still in use) and checks memory against
// the host's.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  allocateAddress,
  type Cidr,
  cidrContains,
  cidrsOverlap,
  cidrWithin,
  formatCidr,
  formatIpv4,
  isAssignable,
  parseCidr,
  parseIpv4,
  parseNetwork,
} from '../ipv4.js';
import { formatMemorySize, parseMemorySize } from '../memory-size.js';
import { isPort } from '../port-range.js';
import type { SandboxRecord } from '../resource-record.js';
import { SandboxError } from '../sandbox-error.js';
import { ipv4Address, ipv4Network, isHostname, port, stringMap } from '../schema-parts.js';
import { defineType, propertiesOf, type SandboxContext, type SandboxProvider } from '../type-spec.js';

/** The simulated host: what containers share. */
const HOST = {
  memoryBytes: 16 * 1024 ** 3,
  cpus: 8,
  /** The host's own LAN address, which `host`-network containers share. */
  address: '192.168.1.20',
} as const;

/** Docker's own minimum for `--memory`. */
const MINIMUM_MEMORY_BYTES = 6 * 1024 ** 2;

const BUILTIN_NETWORKS: Readonly<Record<string, { driver: string; subnet?: string; gateway?: string }>> = {
  bridge: { driver: 'bridge', subnet: '172.17.0.0/16', gateway: '172.17.0.1' },
  host: { driver: 'host' },
  none: { driver: 'null' },
};

/** Docker's default address pools for new networks: 172.18-31.0.0/16, then 192.168.0.0/16 in /20 blocks. */
function* defaultPools(): Generator<Cidr> {
  for (let second = 18; second <= 31; second++)
    yield (parseNetwork(`172.${second}.0.0/16`) as { cidr: Cidr }).cidr;
  for (let third = 0; third < 256; third += 16)
    yield (parseNetwork(`192.168.${third}.0/20`) as { cidr: Cidr }).cidr;
}

const NETWORK = 'network';
const VOLUME = 'volume';
const CONTAINER = 'container';
const IMAGE_BUILD = 'image:build';
const REGISTRY_PUSH = 'registry:push';

const dockerId = (context: SandboxContext) => context.randomHex(64);

// ---------------------------------------------------------------------------------------------------------------
// network

const networkSchema = z.strictObject({
  driver: z.enum(['bridge', 'macvlan', 'ipvlan', 'overlay']).optional().describe('Default bridge'),
  subnet: ipv4Network.optional().describe('e.g. 10.20.0.0/24; taken from the default pools when omitted'),
  gateway: ipv4Address.optional().describe('Default: the first address of the subnet'),
  ipRange: ipv4Network.optional().describe('Where container addresses are allocated, inside the subnet'),
  parent: z.string().optional().describe('Host interface for macvlan/ipvlan, e.g. eth0 or a VLAN device'),
  internal: z.boolean().optional(),
  attachable: z.boolean().optional(),
  options: stringMap.optional(),
  labels: stringMap.optional(),
});
type NetworkProperties = z.infer<typeof networkSchema>;

interface NetworkInfo {
  name: string;
  driver: string;
  subnet?: Cidr;
  gateway?: number;
  ipRange?: Cidr;
  record?: SandboxRecord;
}

function networkInfo(name: string, context: SandboxContext): NetworkInfo | undefined {
  const builtin = BUILTIN_NETWORKS[name];
  if (builtin) {
    const subnet = builtin.subnet ? parseCidr(builtin.subnet) : undefined;
    return {
      name,
      driver: builtin.driver,
      ...(subnet?.ok ? { subnet: subnet.cidr } : {}),
      ...(builtin.gateway ? { gateway: parseIpv4(builtin.gateway)! } : {}),
    };
  }
  const record = context.byName(NETWORK, name);
  if (!record) return undefined;
  const properties = propertiesOf<NetworkProperties>(record);
  const subnet = parseCidr(String(record.outputs.subnet));
  const ipRange = properties.ipRange ? parseCidr(properties.ipRange) : undefined;
  return {
    name,
    driver: String(record.outputs.driver),
    ...(subnet.ok ? { subnet: subnet.cidr } : {}),
    gateway: parseIpv4(String(record.outputs.gateway))!,
    ...(ipRange?.ok ? { ipRange: ipRange.cidr } : {}),
    record,
  };
}

/** Subnets already taken on this host, with who holds them. */
function takenSubnets(context: SandboxContext): { holder: string; subnet: Cidr }[] {
  const taken = [{ holder: 'bridge', subnet: parseCidr(BUILTIN_NETWORKS.bridge!.subnet!) }];
  for (const record of context.all(NETWORK)) {
    taken.push({ holder: record.name, subnet: parseCidr(String(record.outputs.subnet)) });
  }
  return taken.flatMap((entry) =>
    entry.subnet.ok ? [{ holder: entry.holder, subnet: entry.subnet.cidr }] : [],
  );
}

const network = defineType<NetworkProperties>({
  type: NETWORK,
  description:
    'A Docker network. Subnets may not overlap (bridge has 172.17.0.0/16; new ones come from 172.18.0.0/16 upward); macvlan/ipvlan take a parent interface, one network per parent.',
  schema: networkSchema,
  outputs: ['driver', 'subnet', 'gateway', 'parent', 'scope'],
  replaceOn: ['driver', 'subnet', 'gateway', 'ipRange', 'parent', 'internal', 'options'],
  newId: dockerId,
  realize({ name, properties, previous }, context) {
    const owner = `network "${name}"`;
    if (BUILTIN_NETWORKS[name]) {
      throw new SandboxError(
        'name-taken',
        `network with name ${name} already exists (it is built in). Choose another name.`,
      );
    }
    const driver = properties.driver ?? 'bridge';
    const attachesToParent = driver === 'macvlan' || driver === 'ipvlan';
    if (properties.parent !== undefined && !attachesToParent) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: parent applies only to macvlan and ipvlan networks; remove it or set driver: macvlan.`,
      );
    }
    const taken = takenSubnets(context);
    let subnet: Cidr;
    if (properties.subnet) {
      subnet = (parseNetwork(properties.subnet) as { cidr: Cidr }).cidr;
      if (subnet.prefix > 30) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: subnet ${properties.subnet} has no room for containers; use /24.`,
        );
      }
      const clash = taken.find((entry) => cidrsOverlap(entry.subnet, subnet));
      if (clash) {
        throw new SandboxError(
          'conflict',
          `${owner}: Pool overlaps with other one on this address space: ${properties.subnet} overlaps network ` +
            `"${clash.holder}" (${formatCidr(clash.subnet)}). Choose a subnet no other network uses.`,
        );
      }
    } else if (previous) {
      subnet = (parseCidr(String(previous.outputs.subnet)) as { cidr: Cidr }).cidr;
    } else {
      const free = [...defaultPools()].find(
        (pool) => !taken.some((entry) => cidrsOverlap(entry.subnet, pool)),
      );
      if (!free) {
        throw new SandboxError(
          'capacity',
          `${owner}: could not find an available, non-overlapping IPv4 address pool among the defaults. Give a subnet explicitly, or remove unused networks.`,
        );
      }
      subnet = free;
    }
    const gateway = properties.gateway ? parseIpv4(properties.gateway)! : subnet.network + 1;
    if (!isAssignable(subnet, gateway, { reserveLow: 1, reserveHigh: 1 })) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: gateway ${formatIpv4(gateway)} is not a usable address of ${formatCidr(subnet)}.`,
      );
    }
    if (properties.ipRange) {
      const range = (parseNetwork(properties.ipRange) as { cidr: Cidr }).cidr;
      if (!cidrWithin(range, subnet)) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: ipRange ${properties.ipRange} is not inside ${formatCidr(subnet)}.`,
        );
      }
    }
    if (attachesToParent && properties.parent) {
      const sharing = context
        .all(NETWORK)
        .find(
          (other) =>
            propertiesOf<NetworkProperties>(other).parent === properties.parent &&
            other.outputs.driver === driver,
        );
      if (sharing) {
        throw new SandboxError(
          'conflict',
          `${owner}: network "${sharing.name}" is already using parent interface ${properties.parent}. ` +
            'Attach containers to that network, or use another parent.',
        );
      }
    }
    return {
      driver,
      subnet: formatCidr(subnet),
      gateway: formatIpv4(gateway),
      parent: properties.parent ?? null,
      scope: driver === 'overlay' ? 'swarm' : 'local',
    };
  },
});

// ---------------------------------------------------------------------------------------------------------------
// volume

const volumeSchema = z.strictObject({
  driver: z.string().optional().describe('Default local'),
  driverOptions: stringMap.optional(),
  labels: stringMap.optional(),
});
type VolumeProperties = z.infer<typeof volumeSchema>;

const volume = defineType<VolumeProperties>({
  type: VOLUME,
  description: 'A named Docker volume. It cannot be removed while a container mounts it.',
  schema: volumeSchema,
  outputs: ['driver', 'mountpoint'],
  replaceOn: ['driver', 'driverOptions'],
  newId: (_context, { name }) => name,
  realize({ name, properties }) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
      throw new SandboxError(
        'invalid-properties',
        `"${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed.`,
      );
    }
    return { driver: properties.driver ?? 'local', mountpoint: `/var/lib/docker/volumes/${name}/_data` };
  },
});

// ---------------------------------------------------------------------------------------------------------------
// container

const portMapping = z.union([
  z.string().describe('"8080:80", "127.0.0.1:8080:80/tcp" or "80" (a free host port is chosen)'),
  z.strictObject({
    containerPort: port,
    hostPort: port.optional(),
    protocol: z.enum(['tcp', 'udp', 'sctp']).optional(),
    hostIp: ipv4Address.optional(),
  }),
]);

const volumeMount = z.union([
  z.string().describe('"name:/path", "/host/path:/path" or either with ":ro"'),
  z.strictObject({ source: z.string(), target: z.string(), readOnly: z.boolean().optional() }),
]);

const containerSchema = z.strictObject({
  image: z.string().min(1).describe('e.g. nginx:1.27 or an image built here by tag'),
  command: z.union([z.string(), z.array(z.string())]).optional(),
  entrypoint: z.union([z.string(), z.array(z.string())]).optional(),
  env: z
    .union([z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), z.array(z.string())])
    .optional()
    .describe('{ KEY: value } or ["KEY=value"]'),
  ports: z.array(portMapping).optional(),
  volumes: z.array(volumeMount).optional(),
  network: z
    .string()
    .optional()
    .describe('Network name (default bridge); bridge, host, none or one created here'),
  ipAddress: ipv4Address.optional().describe('Static address; only on user-defined networks'),
  memory: z
    .union([z.string(), z.number()])
    .optional()
    .describe('Limit, e.g. 512m or 4g (a bare number is bytes)'),
  cpus: z.number().positive().optional(),
  restart: z
    .string()
    .regex(
      /^(no|always|unless-stopped|on-failure(:\d+)?)$/,
      'restart is no, always, unless-stopped or on-failure[:N]',
    )
    .optional(),
  labels: stringMap.optional(),
  privileged: z.boolean().optional(),
  hostname: z.string().optional(),
  user: z.string().optional(),
  workingDir: z.string().optional(),
  capAdd: z.array(z.string()).optional(),
  devices: z.array(z.string()).optional(),
  healthcheck: z.looseObject({}).optional(),
});
type ContainerProperties = z.infer<typeof containerSchema>;

interface PublishedPort {
  hostIp?: string;
  hostPort?: number;
  containerPort: number;
  protocol: string;
}

function parsePorts(owner: string, ports: ContainerProperties['ports']): PublishedPort[] {
  return (ports ?? []).map((entry) => {
    if (typeof entry !== 'string') {
      return {
        containerPort: entry.containerPort,
        protocol: entry.protocol ?? 'tcp',
        ...(entry.hostPort !== undefined ? { hostPort: entry.hostPort } : {}),
        ...(entry.hostIp !== undefined ? { hostIp: entry.hostIp } : {}),
      };
    }
    const match = /^(?:(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d{1,5})?:)?(\d{1,5})(?:\/(tcp|udp|sctp))?$/.exec(
      entry.trim(),
    );
    const hostPort = match?.[2] === undefined ? undefined : Number(match[2]);
    const containerPort = Number(match?.[3]);
    if (!match || !isPort(containerPort) || (hostPort !== undefined && !isPort(hostPort))) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: invalid port mapping "${entry}"; write host:container[/protocol], e.g. 8080:80 or 53:53/udp.`,
      );
    }
    return {
      containerPort,
      protocol: match[4] ?? 'tcp',
      ...(hostPort !== undefined ? { hostPort } : {}),
      ...(match[1] !== undefined ? { hostIp: match[1] } : {}),
    };
  });
}

function formatPublished(published: PublishedPort): string {
  const host =
    published.hostPort === undefined ? '' : `${published.hostIp ?? '0.0.0.0'}:${published.hostPort}->`;
  return `${host}${published.containerPort}/${published.protocol}`;
}

interface Mount {
  source: string;
  target: string;
  named: boolean;
}

function parseMounts(owner: string, volumes: ContainerProperties['volumes']): Mount[] {
  return (volumes ?? []).map((entry) => {
    const [source, target] =
      typeof entry === 'string'
        ? (entry.split(':') as [string, string | undefined])
        : [entry.source, entry.target];
    if (!source || !target?.startsWith('/')) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: invalid mount config "${typeof entry === 'string' ? entry : `${entry.source}:${entry.target}`}": ` +
          'write source:/absolute/path, where source is a volume name or a host path.',
      );
    }
    return { source, target, named: !source.startsWith('/') && !source.startsWith('.') };
  });
}

function memoryBytes(owner: string, memory: ContainerProperties['memory']): number | undefined {
  if (memory === undefined) return undefined;
  const bytes = parseMemorySize(memory, 'b');
  if (bytes === undefined) {
    throw new SandboxError(
      'invalid-properties',
      `${owner}: memory "${memory}" is not a size; write e.g. 512m or 4g.`,
    );
  }
  if (bytes < MINIMUM_MEMORY_BYTES) {
    throw new SandboxError(
      'invalid-properties',
      `${owner}: Minimum memory limit allowed is 6MB (got ${formatMemorySize(bytes)}).`,
    );
  }
  return bytes;
}

/** The image:build that produced an image reference (by tag or id), if it was built here. */
function builtImage(reference: string, context: SandboxContext): SandboxRecord | undefined {
  const withTag =
    reference.includes(':') || reference.startsWith('sha256') ? reference : `${reference}:latest`;
  return context
    .all(IMAGE_BUILD)
    .find((record) => record.id === reference || (record.outputs.tags as string[]).includes(withTag));
}

/** Whether published ports bind host ports: on macvlan/ipvlan the container has its own address and nothing is bound. */
function bindsHostPorts(networkDriver: string): boolean {
  return networkDriver === 'bridge';
}

const container = defineType<ContainerProperties>({
  type: CONTAINER,
  description: `A running container. It gets an address from its network (or a static ipAddress on a user-defined network); published host ports are exclusive; memory limits must fit the host (${formatMemorySize(HOST.memoryBytes)}, ${HOST.cpus} CPUs).`,
  schema: containerSchema,
  outputs: ['ipAddress', 'network', 'ports', 'hostPorts', 'exposedPort', 'status', 'hostname', 'image'],
  replaceOn: [
    'image',
    'command',
    'entrypoint',
    'env',
    'ports',
    'volumes',
    'network',
    'ipAddress',
    'privileged',
    'hostname',
    'user',
    'workingDir',
    'capAdd',
    'devices',
    'labels',
    'healthcheck',
  ],
  references: [{ property: 'network', type: NETWORK, by: 'name', builtins: ['bridge', 'host', 'none'] }],
  newId: dockerId,
  realize({ id, name, properties, previous }, context) {
    const owner = `container "${name}"`;
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) {
      throw new SandboxError(
        'invalid-properties',
        `Invalid container name "${name}", only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed.`,
      );
    }
    if (
      !/^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/.test(
        properties.image,
      ) &&
      !/^sha256:[a-f0-9]{64}$/.test(properties.image)
    ) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: invalid reference format "${properties.image}"; write name[:tag], e.g. nginx:1.27 (lowercase).`,
      );
    }
    const networkName = properties.network ?? 'bridge';
    const attached = networkInfo(networkName, context);
    if (!attached) {
      throw new SandboxError(
        'missing-dependency',
        `${owner}: network ${networkName} not found. Create the network first, or use bridge.`,
      );
    }

    // Address
    let ipAddress: string | null = null;
    if (attached.driver === 'host') {
      if (properties.ipAddress) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: a container on the host network cannot have its own ipAddress.`,
        );
      }
      ipAddress = HOST.address;
    } else if (attached.subnet) {
      const subnet = attached.subnet;
      const used = new Set<number>([attached.gateway ?? -1]);
      for (const other of context.all(CONTAINER)) {
        if (
          (propertiesOf<ContainerProperties>(other).network ?? 'bridge') === networkName &&
          other.outputs.ipAddress
        ) {
          used.add(parseIpv4(String(other.outputs.ipAddress))!);
        }
      }
      const reservations = { reserveLow: 1, reserveHigh: 1 };
      if (properties.ipAddress) {
        if (!attached.record) {
          throw new SandboxError(
            'invalid-properties',
            `${owner}: user specified IP address is supported on user defined networks only. Create a network with a subnet and attach to it.`,
          );
        }
        const requested = parseIpv4(properties.ipAddress)!;
        if (!cidrContains(subnet, requested) || !isAssignable(subnet, requested, reservations)) {
          throw new SandboxError(
            'invalid-properties',
            `${owner}: ${properties.ipAddress} is not a usable address of network ${networkName} (${formatCidr(subnet)}).`,
          );
        }
        if (used.has(requested)) {
          const holder = context
            .all(CONTAINER)
            .find((other) => other.outputs.ipAddress === properties.ipAddress);
          throw new SandboxError(
            'conflict',
            `${owner}: Address already in use: ${properties.ipAddress} on ${networkName} belongs to ` +
              `${holder ? `container "${holder.name}"` : 'the gateway'}. Choose another address or omit ipAddress.`,
          );
        }
        ipAddress = properties.ipAddress;
      } else {
        const kept = previous?.outputs.ipAddress;
        const keptNumber = typeof kept === 'string' ? parseIpv4(kept) : undefined;
        const pool = attached.ipRange ?? subnet;
        const allocated =
          keptNumber !== undefined && !used.has(keptNumber)
            ? keptNumber
            : allocateAddress(pool, used, {
                reserveLow: pool === subnet ? 1 : 0,
                reserveHigh: pool.end === subnet.end ? 1 : 0,
              });
        if (allocated === undefined) {
          throw new SandboxError(
            'capacity',
            `${owner}: no available IPv4 addresses on network ${networkName} (${formatCidr(pool)}). Use a larger subnet or remove containers.`,
          );
        }
        ipAddress = formatIpv4(allocated);
      }
    }

    // Published ports
    const requested =
      attached.driver === 'host' || attached.driver === 'null' ? [] : parsePorts(owner, properties.ports);
    const published: PublishedPort[] = bindsHostPorts(attached.driver)
      ? requested
      : requested.map((mapping) => ({ containerPort: mapping.containerPort, protocol: mapping.protocol }));
    if (bindsHostPorts(attached.driver)) {
      const bound = boundHostPorts(context);
      for (const [index, mapping] of published.entries()) {
        if (mapping.hostPort === undefined) {
          const previousPorts = (previous?.outputs.hostPorts as number[] | undefined) ?? [];
          mapping.hostPort =
            previousPorts.find((candidate) => !bound.some((entry) => entry.port === candidate)) ??
            ephemeralPort(bound, published);
        }
        const clash =
          bound.find((entry) => samePort(entry, mapping)) ??
          published
            .slice(0, index)
            .map((earlier) => ({ ...earlier, port: earlier.hostPort!, holder: name }))
            .find((entry) => samePort(entry, mapping));
        if (clash) {
          throw new SandboxError(
            'conflict',
            `${owner}: Bind for ${mapping.hostIp ?? '0.0.0.0'}:${mapping.hostPort} failed: port is already allocated ` +
              `(by container "${clash.holder}"). Publish another host port.`,
          );
        }
      }
    }

    // Memory and CPUs
    const memory = memoryBytes(owner, properties.memory);
    if (memory !== undefined) {
      if (memory > HOST.memoryBytes) {
        throw new SandboxError(
          'capacity',
          `${owner}: memory ${formatMemorySize(memory)} exceeds the host's ${formatMemorySize(HOST.memoryBytes)}. Lower memory.`,
        );
      }
      const others = context
        .all(CONTAINER)
        .map((other) => ({
          name: other.name,
          bytes: parseMemorySize(propertiesOf<ContainerProperties>(other).memory ?? 0, 'b') ?? 0,
        }))
        .filter((other) => other.bytes > 0);
      const reserved = others.reduce((sum, other) => sum + other.bytes, 0);
      if (reserved + memory > HOST.memoryBytes) {
        const holders = others.map((other) => `${other.name} (${formatMemorySize(other.bytes)})`).join(', ');
        throw new SandboxError(
          'capacity',
          `${owner}: memory ${formatMemorySize(memory)} does not fit: the host has ${formatMemorySize(HOST.memoryBytes)} and ` +
            `${holders} already hold ${formatMemorySize(reserved)}. Lower memory or remove a container.`,
        );
      }
    }
    if (properties.cpus !== undefined && properties.cpus > HOST.cpus) {
      throw new SandboxError(
        'capacity',
        `${owner}: range of CPUs is from 0.01 to ${HOST.cpus}.00, as there are only ${HOST.cpus} CPUs available.`,
      );
    }

    const mounts = parseMounts(owner, properties.volumes);
    for (const mount of mounts) {
      if (mount.named && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(mount.source)) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: "${mount.source}" is not a volume name or an absolute host path.`,
        );
      }
    }

    const hostPorts = published.flatMap((mapping) =>
      mapping.hostPort === undefined ? [] : [mapping.hostPort],
    );
    return {
      ipAddress,
      network: networkName,
      ports: published.map(formatPublished),
      hostPorts,
      exposedPort: hostPorts[0] ?? published[0]?.containerPort ?? null,
      status: 'running',
      hostname: properties.hostname ?? id.slice(0, 12),
      image: properties.image,
    };
  },
  uses: (resource, context) => {
    const used: SandboxRecord[] = [];
    const networkRecord = context.byName(NETWORK, resource.properties.network ?? 'bridge');
    if (networkRecord) used.push(networkRecord);
    for (const entry of resource.properties.volumes ?? []) {
      const source = typeof entry === 'string' ? entry.split(':')[0]! : entry.source;
      const volumeRecord = context.byName(VOLUME, source);
      if (volumeRecord) used.push(volumeRecord);
    }
    const image = builtImage(resource.properties.image, context);
    if (image) used.push(image);
    return used;
  },
});

interface BoundPort {
  port: number;
  protocol: string;
  hostIp?: string;
  holder: string;
}

function boundHostPorts(context: SandboxContext): BoundPort[] {
  const bound: BoundPort[] = [];
  for (const other of context.all(CONTAINER)) {
    for (const text of other.outputs.ports as string[]) {
      const match = /^(.+):(\d+)->\d+\/(\w+)$/.exec(text);
      if (match) {
        const hostIp = match[1] === '0.0.0.0' ? undefined : match[1];
        bound.push({
          port: Number(match[2]),
          protocol: match[3]!,
          holder: other.name,
          ...(hostIp ? { hostIp } : {}),
        });
      }
    }
  }
  return bound;
}

function samePort(
  entry: { port: number; protocol: string; hostIp?: string },
  mapping: PublishedPort,
): boolean {
  return (
    entry.port === mapping.hostPort &&
    entry.protocol === mapping.protocol &&
    (!entry.hostIp || !mapping.hostIp || entry.hostIp === mapping.hostIp)
  );
}

/** A free port from Linux's ephemeral range, as dockerd picks for `-p 80`. */
function ephemeralPort(bound: readonly BoundPort[], published: readonly PublishedPort[]): number {
  const taken = new Set([
    ...bound.map((entry) => entry.port),
    ...published.map((mapping) => mapping.hostPort),
  ]);
  for (let candidate = 32768; candidate <= 60999; candidate++) if (!taken.has(candidate)) return candidate;
  throw new SandboxError('capacity', 'No free host port is left in the ephemeral range 32768-60999.');
}

// ---------------------------------------------------------------------------------------------------------------
// image:build

const imageTag = z
  .string()
  .regex(
    /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?$/,
    'tags look like name:tag in lowercase, e.g. test-app:latest',
  );

const imageBuildSchema = z.strictObject({
  context: z.string().min(1).describe('Build context path or URL'),
  dockerfile: z.string().optional().describe('Default Dockerfile'),
  tags: z.array(imageTag).optional(),
  tag: imageTag.optional().describe('One tag; same as tags: [tag]'),
  buildArgs: z.record(z.string(), z.string()).optional(),
  target: z.string().optional(),
  platform: z
    .string()
    .regex(/^linux\/(amd64|arm64|arm\/v7|386|ppc64le|s390x)$/)
    .optional(),
  labels: stringMap.optional(),
  noCache: z.boolean().optional(),
});
type ImageBuildProperties = z.infer<typeof imageBuildSchema>;

function imageTags(properties: ImageBuildProperties): string[] {
  const tags = [...(properties.tags ?? []), ...(properties.tag ? [properties.tag] : [])];
  return [
    ...new Set(tags.map((tag) => (/:[\w][\w.-]*$/.test(tag.split('/').at(-1)!) ? tag : `${tag}:latest`))),
  ];
}

const imageBuild = defineType<ImageBuildProperties>({
  type: IMAGE_BUILD,
  description:
    'An image built on this host from a context and Dockerfile. Its id (sha256:...) is the image id; a tag belongs to one build.',
  schema: imageBuildSchema,
  outputs: ['imageId', 'tags', 'tag', 'size', 'architecture'],
  replaceOn: ['context', 'dockerfile', 'tags', 'tag', 'buildArgs', 'target', 'platform', 'noCache'],
  newId: (context) => `sha256:${context.randomHex(64)}`,
  realize({ id, name, properties }, context) {
    const tags = imageTags(properties);
    for (const other of context.all(IMAGE_BUILD)) {
      const shared = tags.find((tag) => (other.outputs.tags as string[]).includes(tag));
      if (shared) {
        throw new SandboxError(
          'conflict',
          `image:build "${name}": tag ${shared} is already produced by image:build "${other.name}". Use another tag.`,
        );
      }
    }
    const digest = createHash('sha256').update(id).digest();
    return {
      imageId: id,
      tags,
      tag: tags[0] ?? null,
      size: 50_000_000 + (digest.readUInt32BE(0) % 200_000_000),
      architecture: (properties.platform ?? 'linux/amd64').replace('linux/', ''),
    };
  },
});

// ---------------------------------------------------------------------------------------------------------------
// registry:push

const registryPushSchema = z.strictObject({
  image: z.string().min(1).describe('A local image: its id (sha256:...) or a tag'),
  registry: z.string().refine(
    (value) => {
      const [host, ...path] = value.split('/');
      const [hostName, hostPort] = (host ?? '').split(':');
      return (
        isHostname(hostName ?? '') &&
        (hostPort === undefined || /^\d{1,5}$/.test(hostPort)) &&
        path.every((segment) => /^[a-z0-9]+([._-][a-z0-9]+)*$/.test(segment))
      );
    },
    { error: (issue) => `"${issue.input}" is not a registry (host[:port][/namespace], e.g. ghcr.io/acme)` },
  ),
  repository: z
    .string()
    .regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/)
    .optional()
    .describe("Default: the image's name"),
  tag: z
    .string()
    .regex(/^[\w][\w.-]{0,127}$/)
    .optional()
    .describe("Default: the image's tag"),
});
type RegistryPushProperties = z.infer<typeof registryPushSchema>;

const registryPush = defineType<RegistryPushProperties>({
  type: REGISTRY_PUSH,
  description:
    'A local image pushed to a registry. The image must exist on this host (built here, by id or tag).',
  schema: registryPushSchema,
  outputs: ['imageUri', 'digest', 'registry', 'repository', 'tag'],
  replaceOn: ['image', 'registry', 'repository', 'tag'],
  newId: (context) => context.uuid(),
  realize({ name, properties }, context) {
    const source = builtImage(properties.image, context);
    if (!source) {
      throw new SandboxError(
        'missing-dependency',
        `registry:push "${name}": No such image: ${properties.image}. Build it first (image:build) and push its id or tag.`,
      );
    }
    const firstTag = (source.outputs.tags as string[])[0] ?? `${source.name}:latest`;
    const separator = firstTag.lastIndexOf(':');
    const repository = properties.repository ?? firstTag.slice(0, separator).split('/').at(-1)!;
    const tag = properties.tag ?? firstTag.slice(separator + 1);
    const registry = properties.registry.replace(/\/$/, '');
    const digest = `sha256:${createHash('sha256').update(`${source.id}@${registry}/${repository}`).digest('hex')}`;
    return { imageUri: `${registry}/${repository}:${tag}`, digest, registry, repository, tag };
  },
});

export const dockerProvider: SandboxProvider = {
  name: 'docker',
  description: `A simulated Docker host (${formatMemorySize(HOST.memoryBytes)} memory, ${HOST.cpus} CPUs, LAN address ${HOST.address}).`,
  types: [network, volume, container, imageBuild, registryPush],
};
