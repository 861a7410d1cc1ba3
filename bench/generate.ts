// Synthetic deployments for the planner benchmark: deterministic (seeded), valid (the plan has no errors), and
// shaped like real infrastructure. Each resource builds on a few that came shortly before it (a container on its
// VLAN, a DNS record naming a VM), and firewall rules on the same interface follow each other in order.
import { Random } from './random.js';

export const SERVERS = ['opnsense', 'docker', 'aws', 'dns', 'proxmox'] as const;
export type BenchServer = (typeof SERVERS)[number];

interface ResourceKind {
  /** Without the server prefix, as the project normalizes it. */
  type: string;
  /** Names are `<prefix>-<index>`, e.g. `rule-42`. */
  prefix: string;
  /** The output other resources read from this kind. */
  output: string;
  weight: number;
  properties(random: Random, index: number): Record<string, unknown>;
}

const FIREWALL_INTERFACES = ['lan', 'dmz', 'guest', 'iot', 'wan'];

const KINDS: Record<BenchServer, ResourceKind[]> = {
  opnsense: [
    {
      type: 'network:vlan',
      prefix: 'vlan',
      output: 'id',
      weight: 2,
      properties: (_random, index) => ({
        tag: 2 + (index % 4000),
        interface: 'igc1',
        description: `segment ${index}`,
      }),
    },
    {
      type: 'firewall:rule',
      prefix: 'rule',
      output: 'id',
      weight: 5,
      properties: (random, index) => {
        const onWan = random.next() < 0.2;
        return {
          action: 'pass',
          interface: onWan ? 'wan' : random.pick(FIREWALL_INTERFACES.slice(0, -1)),
          protocol: 'tcp',
          source: onWan ? 'any' : `10.${random.integer(0, 255)}.${random.integer(0, 255)}.0/24`,
          destination: `10.${random.integer(0, 255)}.${random.integer(0, 255)}.${random.integer(2, 254)}`,
          destinationPort: random.pick(['443', '53', '25565', '8443']),
          description: `rule ${index}`,
        };
      },
    },
    {
      type: 'dhcp:range',
      prefix: 'dhcp',
      output: 'id',
      weight: 1,
      properties: (random) => {
        const subnet = `10.${random.integer(0, 255)}.${random.integer(0, 255)}`;
        return { interface: 'igc1', from: `${subnet}.100`, to: `${subnet}.200`, leaseTime: 86400 };
      },
    },
    {
      type: 'firewall:alias',
      prefix: 'alias',
      output: 'id',
      weight: 1,
      properties: (random) => ({
        type: 'host',
        content: [
          `10.0.${random.integer(0, 255)}.${random.integer(2, 254)}`,
          `10.0.${random.integer(0, 255)}.10`,
        ],
      }),
    },
    {
      type: 'service:haproxy:backend',
      prefix: 'backend',
      output: 'id',
      weight: 1,
      properties: () => ({
        mode: 'http',
        balance: 'leastconn',
        httpCheck: { uri: '/health', version: 'HTTP/1.1' },
      }),
    },
  ],
  docker: [
    {
      type: 'container',
      prefix: 'app',
      output: 'ip',
      weight: 6,
      properties: (random) => ({
        image: random.pick([
          'nginx:1.27',
          'postgres:16',
          'redis:7',
          'itzg/minecraft-server:latest',
          'grafana/grafana:11',
        ]),
        ports: [`${random.integer(8000, 8999)}:80`],
        restart: 'unless-stopped',
        privileged: false,
        environment: { TZ: 'UTC', LOG_LEVEL: 'info' },
      }),
    },
    {
      type: 'network',
      prefix: 'net',
      output: 'id',
      weight: 1,
      properties: (random) => ({
        driver: 'bridge',
        subnet: `172.${random.integer(16, 31)}.${random.integer(0, 255)}.0/24`,
      }),
    },
    {
      type: 'volume',
      prefix: 'data',
      output: 'mountpoint',
      weight: 2,
      properties: () => ({ driver: 'local' }),
    },
  ],
  aws: [
    {
      type: 'ec2:instance',
      prefix: 'web',
      output: 'privateIp',
      weight: 5,
      properties: (random) => ({
        instanceType: random.pick(['t3.small', 't3.medium', 'm6i.large']),
        ami: 'ami-0c55b159cbfafe1f0',
        subnetId: `subnet-${random.integer(100000, 999999)}`,
      }),
    },
    {
      type: 'ec2:securityGroup',
      prefix: 'sg',
      output: 'id',
      weight: 2,
      properties: () => ({
        description: 'web tier',
        ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['10.0.0.0/8'] }],
      }),
    },
    {
      type: 's3:bucket',
      prefix: 'bucket',
      output: 'arn',
      weight: 1,
      properties: () => ({ versioning: true, encryption: 'AES256' }),
    },
    {
      type: 'rds:instance',
      prefix: 'db',
      output: 'endpoint',
      weight: 1,
      properties: () => ({ engine: 'postgres', instanceClass: 'db.t3.micro', allocatedStorage: 20 }),
    },
  ],
  dns: [
    {
      type: 'record',
      prefix: 'host',
      output: 'fqdn',
      weight: 8,
      properties: (random, index) => ({
        zone: 'example.internal',
        recordType: 'A',
        value: `10.${random.integer(0, 255)}.${random.integer(0, 255)}.${random.integer(2, 254)}`,
        ttl: 300,
        label: `host-${index}`,
      }),
    },
    {
      type: 'zone',
      prefix: 'zone',
      output: 'id',
      weight: 1,
      properties: (_random, index) => ({ domain: `zone-${index}.example.internal`, ttl: 3600 }),
    },
  ],
  proxmox: [
    {
      type: 'vm',
      prefix: 'vm',
      output: 'ip',
      weight: 5,
      properties: (random) => ({
        node: random.pick(['pve1', 'pve2', 'pve3']),
        cores: random.pick([2, 4, 8]),
        memory: random.pick([2048, 4096, 8192]),
        disk: '32G',
        template: 'debian-12',
      }),
    },
    {
      type: 'lxc',
      prefix: 'ct',
      output: 'ip',
      weight: 3,
      properties: (random) => ({
        node: random.pick(['pve1', 'pve2', 'pve3']),
        cores: 1,
        memory: 1024,
        unprivileged: true,
        template: 'alpine-3.20',
      }),
    },
    {
      type: 'storage',
      prefix: 'store',
      output: 'id',
      weight: 1,
      properties: (_random, index) => ({ storageType: 'dir', path: `/var/lib/vz/store-${index}` }),
    },
  ],
};

const KIND_WEIGHTS: Record<BenchServer, number[]> = Object.fromEntries(
  SERVERS.map((server) => [server, KINDS[server].map((kind) => kind.weight)]),
) as Record<BenchServer, number[]>;

/** How many earlier resources a resource refers to: 0, 1, 2 or 3, with these weights. */
const REFERENCE_COUNT_WEIGHTS = [15, 35, 30, 20];

/** The output each resource type offers to references: what a fake server fills in for the seed's resolution. */
export const OUTPUT_BY_TYPE: Readonly<Record<string, string>> = Object.fromEntries(
  SERVERS.flatMap((server) => KINDS[server].map((kind) => [kind.type, kind.output])),
);

export interface GenerateOptions {
  resources: number;
  seed?: number;
  /** References point at most this many resources back. */
  window?: number;
}

export interface GeneratedDeployment {
  /** `{ name, resources: [{ server, type, name, properties, dependsOn }] }` as JSON. */
  text: string;
  resources: number;
  references: {
    /** `"${server:type:name.output}"`: the string is the reference. */
    whole: number;
    /** `"http://${...}:8080"`: the reference is part of a longer string. */
    embedded: number;
    /** `dependsOn: ["name"]`: a bare name on the same server. */
    dependsOn: number;
  };
}

interface Placed {
  server: BenchServer;
  kind: ResourceKind;
  name: string;
}

export function generateDeployment(options: GenerateOptions): GeneratedDeployment {
  const count = options.resources;
  const window = options.window ?? 100;
  const random = new Random(options.seed ?? 0x5eed + count);
  const references = { whole: 0, embedded: 0, dependsOn: 0 };
  const placed: Placed[] = [];
  const resources: unknown[] = [];
  const lastRuleOn = new Map<string, number>();

  for (let index = 0; index < count; index++) {
    const server = SERVERS[index % SERVERS.length]!;
    const kind = KINDS[server][random.weighted(KIND_WEIGHTS[server])]!;
    const name = `${kind.prefix}-${index}`;
    const properties = kind.properties(random, index);
    properties.tags = tagsFor(random, index);
    const dependsOn: string[] = [];

    // A rule comes after the rule before it on the same interface: rule order matters to a firewall.
    let previousRule: number | undefined;
    if (kind.type === 'firewall:rule') {
      const ruleInterface = String(properties.interface);
      previousRule = lastRuleOn.get(ruleInterface);
      if (previousRule !== undefined && index - previousRule > window) previousRule = undefined;
      lastRuleOn.set(ruleInterface, index);
    }

    for (const target of chooseTargets(random, index, window, previousRule)) {
      const other = placed[target]!;
      const expression = `\${${other.server}:${other.kind.type}:${other.name}.${other.kind.output}}`;
      if (target === previousRule || (other.server === server && random.next() < 0.5)) {
        dependsOn.push(other.name);
        references.dependsOn++;
      } else if (random.next() < 0.6) {
        properties[freeKey(properties, `${other.kind.prefix}${capitalize(other.kind.output)}`)] = expression;
        references.whole++;
      } else {
        properties.endpoints ??= [];
        (properties.endpoints as string[]).push(`http://${expression}:8080`);
        references.embedded++;
      }
    }

    placed.push({ server, kind, name });
    resources.push({ server, type: kind.type, name, properties, dependsOn });
  }

  return { text: JSON.stringify({ name: `bench-${count}`, resources }), resources: count, references };
}

/** Distinct earlier resources within the window; the previous rule first, when there is one. */
function chooseTargets(
  random: Random,
  index: number,
  window: number,
  previousRule: number | undefined,
): number[] {
  const low = Math.max(0, index - window);
  const available = index - low;
  const wanted = Math.min(random.weighted(REFERENCE_COUNT_WEIGHTS), available);
  const targets: number[] = previousRule === undefined ? [] : [previousRule];
  while (targets.length < wanted) {
    const candidate = random.integer(low, index - 1);
    if (!targets.includes(candidate)) targets.push(candidate);
  }
  return targets;
}

/** Almost every resource carries the tags the origin documents require; a few miss one, as in real files. */
function tagsFor(random: Random, index: number): Record<string, string> {
  const tags: Record<string, string> = {
    Environment: random.pick(['prod', 'staging', 'dev']),
    Owner: `team-${index % 17}`,
    CostCenter: `cc-${1000 + (index % 50)}`,
  };
  if (random.next() < 0.02) delete tags.CostCenter;
  return tags;
}

function freeKey(properties: Record<string, unknown>, base: string): string {
  if (!(base in properties)) return base;
  let suffix = 2;
  while (`${base}${suffix}` in properties) suffix++;
  return `${base}${suffix}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
