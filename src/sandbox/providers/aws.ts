// A simulated AWS account in us-east-1: a VPC (10.0.0.0/16) with two default subnets, EC2 instances, launch templates,
// security groups, subnets, Auto Scaling groups, target groups, load balancers and ACM certificates. Ids and ARNs look
// like AWS's; addresses come from the subnet's CIDR with AWS's five reserved addresses; the vCPU quota is enforced;
// and what AWS refuses (overlapping subnets, a target group on two load balancers, a subnet with instances in it) is
// refused with a message that says what to change.
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
  parseIpv4,
  parseNetwork,
} from '../ipv4.js';
import type { PropertyMap, SandboxRecord } from '../resource-record.js';
import { SandboxError } from '../sandbox-error.js';
import { ipv4Address, ipv4Network, isHostname, port, stringMap } from '../schema-parts.js';
import { defineType, propertiesOf, type SandboxContext, type SandboxProvider } from '../type-spec.js';
import { isPrivateDomain } from './public-domain.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'] as const;

const VPC = { id: 'vpc-0f3c9a1b2d4e5f607', cidr: '10.0.0.0/16' } as const;

interface SubnetInfo {
  id: string;
  cidr: Cidr;
  availabilityZone: string;
  mapPublicIpOnLaunch: boolean;
  /** Set for subnets created here (not the defaults). */
  record?: SandboxRecord;
}

/** The account's default subnets: where instances, groups and load balancers go when no subnet is given. */
const DEFAULT_SUBNETS: readonly SubnetInfo[] = [
  {
    id: 'subnet-0a1e5d2c7b9f30461',
    cidr: network('10.0.0.0/24'),
    availabilityZone: 'us-east-1a',
    mapPublicIpOnLaunch: true,
  },
  {
    id: 'subnet-0b2f6e3d8c0a41572',
    cidr: network('10.0.128.0/24'),
    availabilityZone: 'us-east-1b',
    mapPublicIpOnLaunch: true,
  },
];

/** Public addresses for instances that get one (TEST-NET-2, so nothing real is ever addressed). */
const PUBLIC_POOL = network('198.51.100.0/24');

/** The account's running On-Demand vCPU quota (AWS's VcpuLimitExceeded). */
const VCPU_QUOTA = 32;

/** vCPUs and memory (GiB) of the instance types the sandbox offers. */
const INSTANCE_TYPES: Readonly<Record<string, { vcpus: number; memoryGib: number }>> = {
  't2.micro': { vcpus: 1, memoryGib: 1 },
  't2.small': { vcpus: 1, memoryGib: 2 },
  't2.medium': { vcpus: 2, memoryGib: 4 },
  't3.nano': { vcpus: 2, memoryGib: 0.5 },
  't3.micro': { vcpus: 2, memoryGib: 1 },
  't3.small': { vcpus: 2, memoryGib: 2 },
  't3.medium': { vcpus: 2, memoryGib: 4 },
  't3.large': { vcpus: 2, memoryGib: 8 },
  't3.xlarge': { vcpus: 4, memoryGib: 16 },
  't3.2xlarge': { vcpus: 8, memoryGib: 32 },
  't4g.micro': { vcpus: 2, memoryGib: 1 },
  't4g.small': { vcpus: 2, memoryGib: 2 },
  'm5.large': { vcpus: 2, memoryGib: 8 },
  'm5.xlarge': { vcpus: 4, memoryGib: 16 },
  'm5.2xlarge': { vcpus: 8, memoryGib: 32 },
  'c5.large': { vcpus: 2, memoryGib: 4 },
  'c5.xlarge': { vcpus: 4, memoryGib: 8 },
  'r5.large': { vcpus: 2, memoryGib: 16 },
};

/** Amazon Linux 2023, used when neither the instance nor its launch template names an image. */
const DEFAULT_IMAGE = 'ami-0c02fb55956c7d316';

const INSTANCE = 'ec2:instance';
const LAUNCH_TEMPLATE = 'ec2:launchTemplate';
const SECURITY_GROUP = 'ec2:securityGroup';
const SUBNET = 'vpc:subnet';
const AUTOSCALING_GROUP = 'autoscaling:group';
const TARGET_GROUP = 'elb:targetGroup';
const LOAD_BALANCER = 'elb:loadBalancer';
const CERTIFICATE = 'acm:certificate';

function network(text: string): Cidr {
  const parsed = parseNetwork(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.cidr;
}

/** `i-`, `sg-`, `subnet-`, `lt-` followed by 17 hex digits, as EC2 writes ids. */
const ec2Id = (prefix: string) => (context: SandboxContext) => `${prefix}-0${context.randomHex(16)}`;

const tags = stringMap.optional().describe('Key/value tags');
const imageId = z
  .string()
  .regex(/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, 'image ids look like ami-0c02fb55956c7d316');
const instanceType = z.string().describe(`One of ${Object.keys(INSTANCE_TYPES).join(', ')}`);
const idList = z.array(z.string());

function checkInstanceType(owner: string, type: string): { vcpus: number; memoryGib: number } {
  const known = INSTANCE_TYPES[type];
  if (!known) {
    throw new SandboxError(
      'invalid-properties',
      `${owner}: instance type "${type}" is not offered here. Choose one of ${Object.keys(INSTANCE_TYPES).join(', ')}.`,
    );
  }
  return known;
}

// ---------------------------------------------------------------------------------------------------------------
// Lookups: every reference may be written as an id (or ARN) or as the resource's name.

function findSubnet(value: string, context: SandboxContext): SubnetInfo | undefined {
  const builtin = DEFAULT_SUBNETS.find((subnet) => subnet.id === value);
  if (builtin) return builtin;
  const record = context.all(SUBNET).find((candidate) => candidate.id === value || candidate.name === value);
  if (!record) return undefined;
  return {
    id: record.id,
    cidr: network(String(record.outputs.cidrBlock)),
    availabilityZone: String(record.outputs.availabilityZone),
    mapPublicIpOnLaunch: propertiesOf<SubnetProperties>(record).mapPublicIpOnLaunch ?? false,
    record,
  };
}

function requireSubnet(owner: string, value: string, context: SandboxContext): SubnetInfo {
  const subnet = findSubnet(value, context);
  if (!subnet) {
    throw new SandboxError(
      'missing-dependency',
      `${owner}: The subnet ID '${value}' does not exist. Create the vpc:subnet first, or give an existing subnet id ` +
        `(the default subnets are ${DEFAULT_SUBNETS.map((entry) => entry.id).join(', ')}).`,
    );
  }
  return subnet;
}

function requireRecord(
  owner: string,
  type: string,
  value: string,
  context: SandboxContext,
  what: string,
): SandboxRecord {
  const record = context
    .all(type)
    .find(
      (candidate) => candidate.id === value || candidate.name === value || candidate.outputs.arn === value,
    );
  if (!record) {
    throw new SandboxError(
      'missing-dependency',
      `${owner}: ${what} '${value}' does not exist. Create the ${type} first, or name an existing one by id or name.`,
    );
  }
  return record;
}

function findRecord(type: string, value: string, context: SandboxContext): SandboxRecord | undefined {
  return context
    .all(type)
    .find(
      (candidate) => candidate.id === value || candidate.name === value || candidate.outputs.arn === value,
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Addresses: everything that holds a private IP in a subnet.

interface HeldAddress {
  subnetId: string;
  address: string;
  holder: string;
}

function heldAddresses(context: SandboxContext): HeldAddress[] {
  const held: HeldAddress[] = [];
  for (const record of context.all(INSTANCE)) {
    held.push({
      subnetId: String(record.outputs.subnetId),
      address: String(record.outputs.privateIp),
      holder: `instance "${record.name}"`,
    });
  }
  for (const record of [...context.all(AUTOSCALING_GROUP), ...context.all(LOAD_BALANCER)]) {
    for (const entry of (record.outputs.networkInterfaces as NetworkInterface[] | undefined) ?? []) {
      held.push({
        subnetId: entry.subnetId,
        address: entry.privateIp,
        holder: `${record.type} "${record.name}"`,
      });
    }
  }
  return held;
}

interface NetworkInterface {
  subnetId: string;
  availabilityZone: string;
  privateIp: string;
  instanceId?: string;
}

/** AWS reserves the first four and the last address of every subnet. */
const RESERVED = { reserveLow: 4, reserveHigh: 1 } as const;

function allocatePrivateIp(owner: string, subnet: SubnetInfo, taken: Set<number>): string {
  const address = allocateAddress(subnet.cidr, taken, RESERVED);
  if (address === undefined) {
    throw new SandboxError(
      'capacity',
      `${owner}: There are not enough free addresses in subnet '${subnet.id}' (${formatCidr(subnet.cidr)}). Use another subnet.`,
    );
  }
  taken.add(address);
  return formatIpv4(address);
}

function takenIn(
  subnet: SubnetInfo,
  context: SandboxContext,
  extra: readonly HeldAddress[] = [],
): Set<number> {
  return new Set(
    [...heldAddresses(context), ...extra]
      .filter((entry) => entry.subnetId === subnet.id)
      .map((entry) => parseIpv4(entry.address)!),
  );
}

function allocatePublicIp(context: SandboxContext, extra: readonly string[] = []): string {
  const taken = new Set<number>();
  for (const record of context.all(INSTANCE)) {
    if (typeof record.outputs.publicIp === 'string') taken.add(parseIpv4(record.outputs.publicIp)!);
  }
  for (const address of extra) taken.add(parseIpv4(address)!);
  const address = allocateAddress(PUBLIC_POOL, taken, { reserveLow: 1, reserveHigh: 1 });
  if (address === undefined) {
    throw new SandboxError(
      'capacity',
      'The account has no public IPv4 addresses left. Launch instances without one.',
    );
  }
  return formatIpv4(address);
}

// ---------------------------------------------------------------------------------------------------------------
// vCPU quota

function vcpusInUse(context: SandboxContext): number {
  let total = 0;
  for (const record of context.all(INSTANCE))
    total += INSTANCE_TYPES[String(record.outputs.instanceType)]?.vcpus ?? 0;
  for (const record of context.all(AUTOSCALING_GROUP)) {
    const perInstance = INSTANCE_TYPES[String(record.outputs.instanceType)]?.vcpus ?? 0;
    total += perInstance * ((record.outputs.instanceIds as string[] | undefined)?.length ?? 0);
  }
  return total;
}

function checkVcpuQuota(owner: string, wanted: number, context: SandboxContext): void {
  const inUse = vcpusInUse(context);
  if (inUse + wanted > VCPU_QUOTA) {
    throw new SandboxError(
      'capacity',
      `${owner}: VcpuLimitExceeded: this needs ${wanted} vCPUs and ${inUse} of the account's ${VCPU_QUOTA} are in use. ` +
        'Use a smaller instance type or fewer instances, or terminate some.',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// vpc:subnet

const subnetSchema = z.strictObject({
  cidrBlock: ipv4Network.optional().describe(`Inside the VPC's ${VPC.cidr}, /16 to /28`),
  cidr: ipv4Network.optional().describe('Same as cidrBlock'),
  availabilityZone: z.enum(ZONES).optional().describe('Default us-east-1a'),
  vpcId: z.string().optional().describe(`Default ${VPC.id}`),
  mapPublicIpOnLaunch: z.boolean().optional(),
  tags,
});
type SubnetProperties = z.infer<typeof subnetSchema>;

const subnet = defineType<SubnetProperties>({
  type: SUBNET,
  description: `A subnet of the VPC ${VPC.id} (${VPC.cidr}). It may not overlap another subnet; the default subnets hold ${DEFAULT_SUBNETS.map((entry) => formatCidr(entry.cidr)).join(' and ')}.`,
  schema: subnetSchema,
  outputs: ['subnetId', 'arn', 'cidrBlock', 'availabilityZone', 'vpcId'],
  replaceOn: ['cidrBlock', 'cidr', 'availabilityZone', 'vpcId'],
  newId: ec2Id('subnet'),
  realize({ id, name, properties }, context) {
    const owner = `vpc:subnet "${name}"`;
    checkVpc(owner, properties.vpcId);
    if (properties.cidrBlock && properties.cidr && properties.cidrBlock !== properties.cidr) {
      throw new SandboxError('invalid-properties', `${owner}: give cidrBlock or cidr, not both.`);
    }
    const text = properties.cidrBlock ?? properties.cidr;
    if (!text)
      throw new SandboxError('invalid-properties', `${owner}: cidrBlock is required, e.g. 10.0.1.0/24.`);
    const block = network(text);
    if (block.prefix < 16 || block.prefix > 28) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: The CIDR '${text}' is invalid: subnet sizes are /16 to /28.`,
      );
    }
    if (!cidrWithin(block, network(VPC.cidr))) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: The CIDR '${text}' is invalid for the VPC ${VPC.id} (${VPC.cidr}). Choose a block inside ${VPC.cidr}.`,
      );
    }
    const existing = [
      ...DEFAULT_SUBNETS.map((entry) => ({ label: `default subnet ${entry.id}`, cidr: entry.cidr })),
      ...context.all(SUBNET).map((record) => ({
        label: `subnet "${record.name}" (${record.id})`,
        cidr: network(String(record.outputs.cidrBlock)),
      })),
    ];
    const clash = existing.find((entry) => cidrsOverlap(entry.cidr, block));
    if (clash) {
      throw new SandboxError(
        'conflict',
        `${owner}: The CIDR '${text}' conflicts with ${clash.label}, which holds ${formatCidr(clash.cidr)}. Choose a free block.`,
      );
    }
    return {
      subnetId: id,
      arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${id}`,
      cidrBlock: formatCidr(block),
      availabilityZone: properties.availabilityZone ?? 'us-east-1a',
      vpcId: VPC.id,
    };
  },
});

function checkVpc(owner: string, vpcId: string | undefined): void {
  if (vpcId !== undefined && vpcId !== VPC.id) {
    throw new SandboxError(
      'missing-dependency',
      `${owner}: The vpc ID '${vpcId}' does not exist. This account has one VPC, ${VPC.id}; omit vpcId to use it.`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// ec2:securityGroup

const securityGroupRule = z.strictObject({
  protocol: z.enum(['tcp', 'udp', 'icmp', '-1', 'all']).describe('-1 or all: every protocol'),
  fromPort: z.int().min(-1).max(65535).optional(),
  toPort: z.int().min(-1).max(65535).optional(),
  port: port.optional().describe('Shortcut for fromPort = toPort'),
  cidrBlocks: z.array(ipv4Network).optional(),
  cidr: ipv4Network.optional().describe('Shortcut for one cidrBlocks entry'),
  sourceSecurityGroupId: z.string().optional().describe('A security group by id or name'),
  description: z.string().max(255).optional(),
});
type SecurityGroupRule = z.infer<typeof securityGroupRule>;

const securityGroupSchema = z.strictObject({
  description: z.string().max(255).optional().describe('Default "Managed by Conductor"; cannot change later'),
  vpcId: z.string().optional(),
  ingress: z.array(securityGroupRule).optional(),
  egress: z.array(securityGroupRule).optional().describe('Default: all traffic to 0.0.0.0/0'),
  tags,
});
type SecurityGroupProperties = z.infer<typeof securityGroupSchema>;

function ruleKeys(owner: string, direction: string, rules: readonly SecurityGroupRule[]): string[] {
  const keys: string[] = [];
  for (const [index, rule] of rules.entries()) {
    const where = `${owner}: ${direction}[${index}]`;
    const allProtocols = rule.protocol === '-1' || rule.protocol === 'all';
    const from = rule.port ?? rule.fromPort ?? (allProtocols ? -1 : undefined);
    const to = rule.port ?? rule.toPort ?? from;
    if (from === undefined || to === undefined) {
      throw new SandboxError(
        'invalid-properties',
        `${where}: give port, or fromPort and toPort, for protocol ${rule.protocol}.`,
      );
    }
    if (rule.protocol !== 'icmp' && !allProtocols && (from < 0 || from > to)) {
      throw new SandboxError(
        'invalid-properties',
        `${where}: port range ${from}-${to} is not valid; fromPort must be 0-65535 and at most toPort.`,
      );
    }
    const sources = [...(rule.cidrBlocks ?? []), ...(rule.cidr ? [rule.cidr] : [])];
    if (sources.length === 0 && rule.sourceSecurityGroupId === undefined) {
      throw new SandboxError(
        'invalid-properties',
        `${where}: give cidrBlocks (e.g. ["10.0.0.0/16"]) or sourceSecurityGroupId.`,
      );
    }
    for (const source of [
      ...sources,
      ...(rule.sourceSecurityGroupId ? [`sg:${rule.sourceSecurityGroupId}`] : []),
    ]) {
      const key = `${allProtocols ? '-1' : rule.protocol}:${from}:${to}:${source}`;
      if (keys.includes(key)) {
        throw new SandboxError(
          'conflict',
          `${where}: InvalidPermission.Duplicate: the rule for ${rule.protocol} ${from}-${to} from ${source} is given twice. Remove one.`,
        );
      }
      keys.push(key);
    }
  }
  return keys;
}

const securityGroup = defineType<SecurityGroupProperties>({
  type: SECURITY_GROUP,
  description:
    'An EC2 security group in the VPC with ingress and egress rules (CIDRs or other groups as sources).',
  schema: securityGroupSchema,
  outputs: ['groupId', 'arn', 'vpcId', 'groupName'],
  replaceOn: ['description', 'vpcId'],
  newId: ec2Id('sg'),
  realize({ id, name, properties }, context) {
    const owner = `ec2:securityGroup "${name}"`;
    if (name === 'default') {
      throw new SandboxError(
        'name-taken',
        `${owner}: The security group 'default' already exists for VPC '${VPC.id}'. Choose another name.`,
      );
    }
    if (name.toLowerCase().startsWith('sg-')) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: Group names may not be in the format sg-*. Choose another name.`,
      );
    }
    checkVpc(owner, properties.vpcId);
    ruleKeys(owner, 'ingress', properties.ingress ?? []);
    ruleKeys(owner, 'egress', properties.egress ?? []);
    for (const rule of [...(properties.ingress ?? []), ...(properties.egress ?? [])]) {
      if (
        rule.sourceSecurityGroupId &&
        rule.sourceSecurityGroupId !== id &&
        rule.sourceSecurityGroupId !== name
      ) {
        requireRecord(owner, SECURITY_GROUP, rule.sourceSecurityGroupId, context, 'The security group');
      }
    }
    return {
      groupId: id,
      arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${id}`,
      vpcId: VPC.id,
      groupName: name,
    };
  },
  uses: (resource, context) =>
    [...(resource.properties.ingress ?? []), ...(resource.properties.egress ?? [])].flatMap((rule) => {
      const found = rule.sourceSecurityGroupId
        ? findRecord(SECURITY_GROUP, rule.sourceSecurityGroupId, context)
        : undefined;
      return found && found.id !== resource.id ? [found] : [];
    }),
});

function resolveSecurityGroups(
  owner: string,
  values: readonly string[],
  context: SandboxContext,
): SandboxRecord[] {
  return values.map((value) => requireRecord(owner, SECURITY_GROUP, value, context, 'The security group'));
}

// ---------------------------------------------------------------------------------------------------------------
// ec2:launchTemplate

const launchTemplateSchema = z.strictObject({
  imageId: imageId.optional(),
  instanceType: instanceType.optional(),
  userData: z.string().optional().describe('Base64-encoded, as the EC2 API requires'),
  keyName: z.string().optional(),
  securityGroupIds: idList.optional(),
  securityGroups: idList.optional().describe('Same as securityGroupIds; ids or names'),
  iamInstanceProfile: z.string().optional(),
  description: z.string().max(255).optional(),
  tags,
});
type LaunchTemplateProperties = z.infer<typeof launchTemplateSchema>;

const launchTemplate = defineType<LaunchTemplateProperties>({
  type: LAUNCH_TEMPLATE,
  description: 'An EC2 launch template. Each update adds a version (latestVersion).',
  schema: launchTemplateSchema,
  outputs: ['launchTemplateId', 'arn', 'latestVersion', 'defaultVersion', 'imageId', 'instanceType'],
  newId: ec2Id('lt'),
  realize({ id, name, properties, previous }, context) {
    const owner = `ec2:launchTemplate "${name}"`;
    if (!/^[a-zA-Z0-9()./_-]{3,128}$/.test(name)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: launch template names are 3-128 letters, digits and ( ) . / _ -.`,
      );
    }
    if (properties.instanceType) checkInstanceType(owner, properties.instanceType);
    if (properties.userData !== undefined && !isBase64(properties.userData)) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: Invalid BASE64 encoding of user data. Encode the script with base64 first.`,
      );
    }
    resolveSecurityGroups(
      owner,
      [...(properties.securityGroupIds ?? []), ...(properties.securityGroups ?? [])],
      context,
    );
    const latestVersion = previous ? Number(previous.outputs.latestVersion) + 1 : 1;
    return {
      launchTemplateId: id,
      arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:launch-template/${id}`,
      latestVersion,
      defaultVersion: 1,
      imageId: properties.imageId ?? DEFAULT_IMAGE,
      instanceType: properties.instanceType ?? null,
    };
  },
  uses: (resource, context) =>
    [...(resource.properties.securityGroupIds ?? []), ...(resource.properties.securityGroups ?? [])].flatMap(
      (value) => {
        const found = findRecord(SECURITY_GROUP, value, context);
        return found ? [found] : [];
      },
    ),
});

function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/\r\n]*={0,2}$/.test(text) && text.replace(/[\r\n]/g, '').length % 4 === 0;
}

function launchTemplateId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const object = value as { id?: unknown; name?: unknown };
    if (typeof object.id === 'string') return object.id;
    if (typeof object.name === 'string') return object.name;
  }
  return undefined;
}

const launchTemplateReference = z
  .union([
    z.string(),
    z.strictObject({
      id: z.string().optional(),
      name: z.string().optional(),
      version: z.union([z.string(), z.int()]).optional(),
    }),
  ])
  .describe('A launch template id or name, or { id | name, version }');

// ---------------------------------------------------------------------------------------------------------------
// ec2:instance

const instanceSchema = z.strictObject({
  instanceType: instanceType.optional().describe('Required unless the launch template sets it'),
  imageId: imageId.optional(),
  launchTemplate: launchTemplateReference.optional(),
  subnet: z.string().optional().describe('Subnet id or name (default: the default subnet in us-east-1a)'),
  subnetId: z.string().optional().describe('Same as subnet'),
  securityGroups: idList.optional().describe('Security group ids or names'),
  securityGroupIds: idList.optional().describe('Same as securityGroups'),
  privateIp: ipv4Address
    .optional()
    .describe('A fixed private address in the subnet; the next free one otherwise'),
  associatePublicIp: z.boolean().optional(),
  keyName: z.string().optional(),
  userData: z.string().optional(),
  rootVolumeSize: z.int().min(1).max(16384).optional().describe('GiB'),
  tags,
});
type InstanceProperties = z.infer<typeof instanceSchema>;

const instance = defineType<InstanceProperties>({
  type: INSTANCE,
  description:
    'An EC2 instance. Its private IP comes from its subnet (the default subnet 10.0.0.0/24 when none is given); instances count against a 32 vCPU quota.',
  schema: instanceSchema,
  outputs: [
    'instanceId',
    'arn',
    'privateIp',
    'privateDnsName',
    'publicIp',
    'publicDnsName',
    'subnetId',
    'vpcId',
    'availabilityZone',
    'instanceType',
    'imageId',
    'state',
  ],
  replaceOn: [
    'imageId',
    'launchTemplate',
    'subnet',
    'subnetId',
    'privateIp',
    'keyName',
    'userData',
    'associatePublicIp',
  ],
  newId: ec2Id('i'),
  realize({ id, name, properties, previous }, context) {
    const owner = `ec2:instance "${name}"`;
    if (properties.subnet && properties.subnetId && properties.subnet !== properties.subnetId) {
      throw new SandboxError('invalid-properties', `${owner}: give subnet or subnetId, not both.`);
    }
    const templateValue = launchTemplateId(properties.launchTemplate);
    const template = templateValue
      ? requireRecord(owner, LAUNCH_TEMPLATE, templateValue, context, 'The launch template')
      : undefined;
    const typeName =
      properties.instanceType ?? (template?.outputs.instanceType as string | null | undefined) ?? undefined;
    if (!typeName) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: instanceType is required (e.g. t3.micro) unless the launch template sets it.`,
      );
    }
    const size = checkInstanceType(owner, typeName);
    resolveSecurityGroups(
      owner,
      [...(properties.securityGroups ?? []), ...(properties.securityGroupIds ?? [])],
      context,
    );
    const placement = properties.subnet ?? properties.subnetId;
    const subnetInfo = placement ? requireSubnet(owner, placement, context) : DEFAULT_SUBNETS[0]!;
    const previousType = previous ? (INSTANCE_TYPES[String(previous.outputs.instanceType)]?.vcpus ?? 0) : 0;
    checkVcpuQuota(owner, size.vcpus - previousType, context);

    const taken = takenIn(subnetInfo, context);
    let privateIp: string;
    if (properties.privateIp) {
      const requested = parseIpv4(properties.privateIp)!;
      if (!cidrContains(subnetInfo.cidr, requested) || !isAssignable(subnetInfo.cidr, requested, RESERVED)) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: Address ${properties.privateIp} does not fall within the subnet's usable range ` +
            `(${formatCidr(subnetInfo.cidr)}, less the first four and the last address).`,
        );
      }
      if (taken.has(requested)) {
        const holder = heldAddresses(context).find((entry) => entry.address === properties.privateIp);
        throw new SandboxError(
          'conflict',
          `${owner}: Address ${properties.privateIp} is in use by ${holder?.holder ?? 'another interface'}. Choose another privateIp or omit it.`,
        );
      }
      privateIp = properties.privateIp;
    } else if (typeof previous?.outputs.privateIp === 'string') {
      privateIp = previous.outputs.privateIp;
    } else {
      privateIp = allocatePrivateIp(owner, subnetInfo, taken);
    }
    const wantsPublic = properties.associatePublicIp ?? subnetInfo.mapPublicIpOnLaunch;
    const publicIp = wantsPublic
      ? typeof previous?.outputs.publicIp === 'string'
        ? previous.outputs.publicIp
        : allocatePublicIp(context)
      : null;
    return {
      instanceId: id,
      arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`,
      privateIp,
      privateDnsName: `ip-${privateIp.replaceAll('.', '-')}.ec2.internal`,
      publicIp,
      publicDnsName: publicIp ? `ec2-${publicIp.replaceAll('.', '-')}.compute-1.amazonaws.com` : null,
      subnetId: subnetInfo.id,
      vpcId: VPC.id,
      availabilityZone: subnetInfo.availabilityZone,
      instanceType: typeName,
      imageId: properties.imageId ?? (template?.outputs.imageId as string | undefined) ?? DEFAULT_IMAGE,
      state: 'running',
    };
  },
  uses: (resource, context) => {
    const used: SandboxRecord[] = [];
    const placement = findSubnet(String(resource.outputs.subnetId), context);
    if (placement?.record) used.push(placement.record);
    for (const value of [
      ...(resource.properties.securityGroups ?? []),
      ...(resource.properties.securityGroupIds ?? []),
    ]) {
      const found = findRecord(SECURITY_GROUP, value, context);
      if (found) used.push(found);
    }
    return used;
  },
});

// ---------------------------------------------------------------------------------------------------------------
// elb:targetGroup

const TARGET_GROUP_PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE'] as const;

const targetGroupSchema = z.strictObject({
  port: port.describe('Port the targets receive traffic on'),
  protocol: z.enum(TARGET_GROUP_PROTOCOLS),
  vpcId: z.string().optional(),
  targetType: z.enum(['instance', 'ip', 'lambda', 'alb']).optional().describe('Default instance'),
  protocolVersion: z.enum(['HTTP1', 'HTTP2', 'GRPC']).optional(),
  healthCheck: z
    .strictObject({
      path: z.string().optional(),
      port: z.union([port, z.literal('traffic-port')]).optional(),
      protocol: z.enum(['HTTP', 'HTTPS', 'TCP']).optional(),
      intervalSeconds: z.int().min(5).max(300).optional(),
      timeoutSeconds: z.int().min(2).max(120).optional(),
      healthyThresholdCount: z.int().min(2).max(10).optional(),
      unhealthyThresholdCount: z.int().min(2).max(10).optional(),
      matcher: z.string().optional(),
    })
    .optional(),
  tags,
});
type TargetGroupProperties = z.infer<typeof targetGroupSchema>;

/** Load balancer and target group names: at most 32 letters, digits and hyphens, no hyphen at either end. */
function checkElbName(owner: string, kind: string, name: string): void {
  if (!/^(?!-)[A-Za-z0-9-]{1,32}(?<!-)$/.test(name) || name.startsWith('internal-')) {
    throw new SandboxError(
      'invalid-properties',
      `${owner}: ${kind} name '${name}' can have a maximum of 32 characters, only letters, digits and hyphens, ` +
        "must not begin or end with a hyphen, and must not begin with 'internal-'. Choose a shorter name.",
    );
  }
}

const targetGroup = defineType<TargetGroupProperties>({
  type: TARGET_GROUP,
  description: 'An ELB target group. Its id is its ARN; one load balancer may use it at a time.',
  schema: targetGroupSchema,
  outputs: ['arn', 'targetGroupName', 'port', 'protocol', 'vpcId', 'loadBalancerArns'],
  replaceOn: ['port', 'protocol', 'vpcId', 'targetType', 'protocolVersion'],
  newId: (context, { name }) =>
    `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/${context.randomHex(16)}`,
  realize({ id, name, properties }) {
    const owner = `elb:targetGroup "${name}"`;
    checkElbName(owner, 'Target group', name);
    checkVpc(owner, properties.vpcId);
    const path = properties.healthCheck?.path;
    if (path !== undefined && !path.startsWith('/')) {
      throw new SandboxError('invalid-properties', `${owner}: healthCheck.path "${path}" must start with /.`);
    }
    if (
      path !== undefined &&
      !['HTTP', 'HTTPS'].includes(properties.healthCheck?.protocol ?? properties.protocol)
    ) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: a health check path needs an HTTP or HTTPS health check; set healthCheck.protocol: HTTP or remove path.`,
      );
    }
    return {
      arn: id,
      targetGroupName: name,
      port: properties.port,
      protocol: properties.protocol,
      vpcId: VPC.id,
      loadBalancerArns: [],
    };
  },
});

// ---------------------------------------------------------------------------------------------------------------
// autoscaling:group

const autoscalingSchema = z.strictObject({
  minSize: z.int().min(0),
  maxSize: z.int().min(0).max(1000),
  desiredCapacity: z.int().min(0).optional().describe('Default minSize'),
  launchTemplate: launchTemplateReference,
  vpcZoneIdentifier: z
    .union([idList, z.string()])
    .optional()
    .describe('Subnet ids or names (a list, or one comma-separated string); default: the default subnets'),
  subnets: idList.optional().describe('Same as vpcZoneIdentifier'),
  targetGroupArns: idList.optional().describe('Target groups (ARNs or names) the instances register with'),
  healthCheckType: z.enum(['EC2', 'ELB']).optional(),
  healthCheckGracePeriod: z.int().min(0).optional(),
  tags,
});
type AutoscalingProperties = z.infer<typeof autoscalingSchema>;

function autoscalingSubnets(properties: AutoscalingProperties): string[] | undefined {
  const value = properties.vpcZoneIdentifier ?? properties.subnets;
  if (value === undefined) return undefined;
  return (typeof value === 'string' ? value.split(',') : value).map((entry) => entry.trim()).filter(Boolean);
}

const autoscalingGroup = defineType<AutoscalingProperties>({
  type: AUTOSCALING_GROUP,
  description:
    'An Auto Scaling group: desiredCapacity (default minSize) instances from a launch template, spread over its subnets; instanceIps lists their private IPs.',
  schema: autoscalingSchema,
  outputs: [
    'arn',
    'instanceIds',
    'instanceIps',
    'desiredCapacity',
    'availabilityZones',
    'launchTemplateId',
    'instanceType',
    'networkInterfaces',
  ],
  newId: (context, { name }) =>
    `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:${context.uuid()}:autoScalingGroupName/${name}`,
  realize({ id, name, properties, previous }, context) {
    const owner = `autoscaling:group "${name}"`;
    const desired = properties.desiredCapacity ?? properties.minSize;
    if (properties.minSize > properties.maxSize) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: minSize ${properties.minSize} is larger than maxSize ${properties.maxSize}.`,
      );
    }
    if (desired < properties.minSize || desired > properties.maxSize) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: desiredCapacity ${desired} must be between minSize ${properties.minSize} and maxSize ${properties.maxSize}.`,
      );
    }
    const templateValue = launchTemplateId(properties.launchTemplate);
    if (!templateValue)
      throw new SandboxError('invalid-properties', `${owner}: launchTemplate needs an id or a name.`);
    const template = requireRecord(owner, LAUNCH_TEMPLATE, templateValue, context, 'The launch template');
    const typeName = template.outputs.instanceType;
    if (typeof typeName !== 'string') {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: launch template "${template.name}" sets no instanceType. Add one to the template.`,
      );
    }
    const size = checkInstanceType(owner, typeName);
    const subnetValues = autoscalingSubnets(properties);
    const subnets = subnetValues
      ? subnetValues.map((value) => requireSubnet(owner, value, context))
      : [...DEFAULT_SUBNETS];
    if (subnets.length === 0)
      throw new SandboxError('invalid-properties', `${owner}: give at least one subnet.`);
    for (const value of properties.targetGroupArns ?? []) {
      requireRecord(owner, TARGET_GROUP, value, context, 'The target group');
    }

    // Keep the instances that still fit (scaling in removes the newest), launch the rest round-robin over the subnets.
    const kept = ((previous?.outputs.networkInterfaces as NetworkInterface[] | undefined) ?? [])
      .filter((entry) => subnets.some((candidate) => candidate.id === entry.subnetId))
      .slice(0, desired);
    const previousCount = (previous?.outputs.instanceIds as string[] | undefined)?.length ?? 0;
    const previousSize = previous ? (INSTANCE_TYPES[String(previous.outputs.instanceType)]?.vcpus ?? 0) : 0;
    checkVcpuQuota(owner, desired * size.vcpus - previousCount * previousSize, context);
    const launched: NetworkInterface[] = [...kept];
    for (let index = kept.length; index < desired; index++) {
      const placement = subnets[index % subnets.length]!;
      const privateIp = allocatePrivateIp(
        owner,
        placement,
        takenIn(
          placement,
          context,
          launched.map((entry) => ({ ...entry, address: entry.privateIp, holder: owner })),
        ),
      );
      launched.push({
        subnetId: placement.id,
        availabilityZone: placement.availabilityZone,
        privateIp,
        instanceId: `i-0${context.randomHex(16)}`,
      });
    }
    return {
      arn: id,
      instanceIds: launched.map((entry) => entry.instanceId),
      instanceIps: launched.map((entry) => entry.privateIp),
      desiredCapacity: desired,
      availabilityZones: [...new Set(subnets.map((entry) => entry.availabilityZone))],
      launchTemplateId: template.id,
      instanceType: typeName,
      networkInterfaces: launched,
    };
  },
  uses: (resource, context) => {
    const used: SandboxRecord[] = [];
    const templateValue = launchTemplateId(resource.properties.launchTemplate);
    const template = templateValue ? findRecord(LAUNCH_TEMPLATE, templateValue, context) : undefined;
    if (template) used.push(template);
    for (const value of autoscalingSubnets(resource.properties) ?? []) {
      const found = findSubnet(value, context)?.record;
      if (found) used.push(found);
    }
    for (const value of resource.properties.targetGroupArns ?? []) {
      const found = findRecord(TARGET_GROUP, value, context);
      if (found) used.push(found);
    }
    return used;
  },
});

// ---------------------------------------------------------------------------------------------------------------
// elb:loadBalancer

const listenerSchema = z.strictObject({
  port,
  protocol: z.enum(['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP']),
  certificateArn: z
    .string()
    .optional()
    .describe('Required for HTTPS and TLS: an ACM certificate ARN (or name)'),
  targetGroupArn: z
    .string()
    .optional()
    .describe('Default action: forward to this target group (ARN or name)'),
  sslPolicy: z.string().optional(),
});
type Listener = z.infer<typeof listenerSchema>;

const loadBalancerSchema = z.strictObject({
  type: z.enum(['application', 'network']).optional().describe('Default application'),
  scheme: z.enum(['internet-facing', 'internal']).optional().describe('Default internet-facing'),
  subnets: idList
    .optional()
    .describe('Subnet ids or names, in at least two zones for application; default: the default subnets'),
  securityGroups: idList.optional(),
  ipAddressType: z.enum(['ipv4', 'dualstack']).optional(),
  listeners: z.array(listenerSchema).optional(),
  targetGroupArn: z
    .string()
    .optional()
    .describe('Shortcut: one HTTP:80 (TCP:80 for network) listener forwarding here'),
  idleTimeout: z.int().min(1).max(4000).optional(),
  tags,
});
type LoadBalancerProperties = z.infer<typeof loadBalancerSchema>;

function listenersOf(properties: LoadBalancerProperties): Listener[] {
  const listeners = [...(properties.listeners ?? [])];
  if (properties.targetGroupArn !== undefined) {
    listeners.push({
      port: 80,
      protocol: (properties.type ?? 'application') === 'application' ? 'HTTP' : 'TCP',
      targetGroupArn: properties.targetGroupArn,
    });
  }
  return listeners;
}

const loadBalancer = defineType<LoadBalancerProperties>({
  type: LOAD_BALANCER,
  description:
    'An application or network load balancer with listeners that forward to target groups; HTTPS and TLS listeners need an issued ACM certificate.',
  schema: loadBalancerSchema,
  outputs: [
    'arn',
    'dnsName',
    'canonicalHostedZoneId',
    'vpcId',
    'scheme',
    'type',
    'availabilityZones',
    'privateIps',
    'listeners',
    'networkInterfaces',
  ],
  replaceOn: ['type', 'scheme'],
  newId: (context, { name, properties }) =>
    `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/${(properties.type ?? 'application') === 'application' ? 'app' : 'net'}/${name}/${context.randomHex(16)}`,
  realize({ id, name, properties, previous }, context) {
    const owner = `elb:loadBalancer "${name}"`;
    checkElbName(owner, 'Load balancer', name);
    const kind = properties.type ?? 'application';
    const scheme = properties.scheme ?? 'internet-facing';
    const subnets = properties.subnets
      ? properties.subnets.map((value) => requireSubnet(owner, value, context))
      : [...DEFAULT_SUBNETS];
    const zones = [...new Set(subnets.map((entry) => entry.availabilityZone))];
    if (kind === 'application' && zones.length < 2) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: At least two subnets in two different Availability Zones must be specified (got ${zones.join(', ') || 'none'}).`,
      );
    }
    if (zones.length !== subnets.length) {
      throw new SandboxError(
        'invalid-properties',
        `${owner}: give at most one subnet per Availability Zone.`,
      );
    }
    resolveSecurityGroups(owner, properties.securityGroups ?? [], context);

    const listeners = listenersOf(properties);
    const seenPorts = new Map<number, Listener>();
    const normalized: PropertyMap[] = [];
    for (const listener of listeners) {
      const allowed = kind === 'application' ? ['HTTP', 'HTTPS'] : ['TCP', 'TLS', 'UDP', 'TCP_UDP'];
      if (!allowed.includes(listener.protocol)) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: a${kind === 'application' ? 'n application' : ' network'} load balancer's listeners use ${allowed.join(' or ')}, not ${listener.protocol}.`,
        );
      }
      if (seenPorts.has(listener.port)) {
        throw new SandboxError(
          'conflict',
          `${owner}: DuplicateListener: a listener already exists on port ${listener.port}. Use one listener per port.`,
        );
      }
      seenPorts.set(listener.port, listener);
      let certificateArn: string | null = null;
      if (listener.protocol === 'HTTPS' || listener.protocol === 'TLS') {
        if (!listener.certificateArn) {
          throw new SandboxError(
            'invalid-properties',
            `${owner}: the ${listener.protocol} listener on port ${listener.port} needs certificateArn.`,
          );
        }
        const certificate = requireRecord(
          owner,
          CERTIFICATE,
          listener.certificateArn,
          context,
          'Certificate',
        );
        if (certificate.outputs.status !== 'ISSUED') {
          throw new SandboxError(
            'conflict',
            `${owner}: certificate "${certificate.name}" is not issued yet (${String(certificate.outputs.status)}).`,
          );
        }
        certificateArn = String(certificate.outputs.arn);
      }
      let targetGroupArn: string | null = null;
      if (listener.targetGroupArn) {
        const group = requireRecord(
          owner,
          TARGET_GROUP,
          listener.targetGroupArn,
          context,
          'The target group',
        );
        const groupProtocol = String(group.outputs.protocol);
        const compatible =
          kind === 'application'
            ? ['HTTP', 'HTTPS'].includes(groupProtocol)
            : !['HTTP', 'HTTPS'].includes(groupProtocol);
        if (!compatible) {
          throw new SandboxError(
            'invalid-properties',
            `${owner}: target group "${group.name}" uses ${groupProtocol}, which a${kind === 'application' ? 'n application' : ' network'} load balancer cannot forward to.`,
          );
        }
        const otherBalancer = context
          .all(LOAD_BALANCER)
          .find((other) =>
            ((other.outputs.listeners as PropertyMap[] | undefined) ?? []).some(
              (entry) => entry.targetGroupArn === group.id,
            ),
          );
        if (otherBalancer) {
          throw new SandboxError(
            'conflict',
            `${owner}: target group "${group.name}" is already used by load balancer "${otherBalancer.name}"; a target group serves one load balancer. Create another target group.`,
          );
        }
        targetGroupArn = group.id;
      }
      normalized.push({ port: listener.port, protocol: listener.protocol, certificateArn, targetGroupArn });
    }

    const keptInterfaces = (previous?.outputs.networkInterfaces as NetworkInterface[] | undefined) ?? [];
    const interfaces: NetworkInterface[] = subnets.map((placement) => {
      const kept = keptInterfaces.find((entry) => entry.subnetId === placement.id);
      return (
        kept ?? {
          subnetId: placement.id,
          availabilityZone: placement.availabilityZone,
          privateIp: allocatePrivateIp(owner, placement, takenIn(placement, context)),
        }
      );
    });
    const digits = previous
      ? undefined
      : String(parseInt(createHash('sha256').update(id).digest('hex').slice(0, 12), 16)).slice(0, 10);
    const dnsName = previous
      ? String(previous.outputs.dnsName)
      : `${scheme === 'internal' ? 'internal-' : ''}${name}-${digits}${kind === 'network' ? '.elb' : ''}.${REGION}.elb.amazonaws.com`;
    return {
      arn: id,
      dnsName,
      canonicalHostedZoneId: kind === 'application' ? 'Z35SXDOTRQ7X7K' : 'Z26RNL4JYFTOTI',
      vpcId: VPC.id,
      scheme,
      type: kind,
      availabilityZones: zones,
      privateIps: interfaces.map((entry) => entry.privateIp),
      listeners: normalized,
      networkInterfaces: interfaces,
    };
  },
  uses: (resource, context) => {
    const used: SandboxRecord[] = [];
    for (const value of resource.properties.subnets ?? []) {
      const found = findSubnet(value, context)?.record;
      if (found) used.push(found);
    }
    for (const value of resource.properties.securityGroups ?? []) {
      const found = findRecord(SECURITY_GROUP, value, context);
      if (found) used.push(found);
    }
    for (const listener of listenersOf(resource.properties)) {
      for (const [type, value] of [
        [TARGET_GROUP, listener.targetGroupArn],
        [CERTIFICATE, listener.certificateArn],
      ] as const) {
        const found = value ? findRecord(type, value, context) : undefined;
        if (found) used.push(found);
      }
    }
    return used;
  },
});

// ---------------------------------------------------------------------------------------------------------------
// acm:certificate

const certificateSchema = z.strictObject({
  domainName: z.string().optional().describe('e.g. app.example.com or *.example.com'),
  domain: z.string().optional().describe('Same as domainName'),
  subjectAlternativeNames: z.array(z.string()).max(99).optional(),
  validationMethod: z.enum(['DNS', 'EMAIL']).optional().describe('Default DNS'),
  keyAlgorithm: z.enum(['RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1']).optional(),
  tags,
});
type CertificateProperties = z.infer<typeof certificateSchema>;

const certificate = defineType<CertificateProperties>({
  type: CERTIFICATE,
  description:
    'An ACM public certificate. The sandbox validates it at once (status ISSUED) and reports the DNS validation records a real account would need.',
  schema: certificateSchema,
  outputs: [
    'arn',
    'status',
    'domainName',
    'subjectAlternativeNames',
    'domainValidationOptions',
    'notBefore',
    'notAfter',
    'keyAlgorithm',
  ],
  replaceOn: ['domainName', 'domain', 'subjectAlternativeNames', 'validationMethod', 'keyAlgorithm'],
  newId: (context) => `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/${context.uuid()}`,
  realize({ id, name, properties, previous }, context) {
    const owner = `acm:certificate "${name}"`;
    if (properties.domainName && properties.domain && properties.domainName !== properties.domain) {
      throw new SandboxError('invalid-properties', `${owner}: give domainName or domain, not both.`);
    }
    const domainName = (properties.domainName ?? properties.domain)?.toLowerCase();
    if (!domainName)
      throw new SandboxError('invalid-properties', `${owner}: domainName is required, e.g. app.example.com.`);
    const names = [
      ...new Set([
        domainName,
        ...(properties.subjectAlternativeNames ?? []).map((entry) => entry.toLowerCase()),
      ]),
    ];
    for (const entry of names) {
      if (!isHostname(entry) || !entry.includes('.')) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: '${entry}' is not a fully qualified domain name.`,
        );
      }
      if (isPrivateDomain(entry)) {
        throw new SandboxError(
          'invalid-properties',
          `${owner}: ACM issues public certificates only, and '${entry}' is not a public domain. Use the certs server's internal issuer for it.`,
        );
      }
    }
    const issued = previous ? new Date(String(previous.outputs.notBefore)) : context.now();
    const expires = new Date(issued);
    expires.setUTCMonth(expires.getUTCMonth() + 13);
    const method = properties.validationMethod ?? 'DNS';
    return {
      arn: id,
      status: 'ISSUED',
      domainName,
      subjectAlternativeNames: names,
      domainValidationOptions: names.map((entry) => {
        const digest = createHash('sha256').update(`${id}:${entry}`).digest('hex');
        const base = entry.replace(/^\*\./, '');
        return method === 'DNS'
          ? {
              domainName: entry,
              validationMethod: 'DNS',
              validationStatus: 'SUCCESS',
              resourceRecord: {
                name: `_${digest.slice(0, 32)}.${base}.`,
                type: 'CNAME',
                value: `_${digest.slice(32, 64)}.${digest.slice(0, 10)}.acm-validations.aws.`,
              },
            }
          : {
              domainName: entry,
              validationMethod: 'EMAIL',
              validationStatus: 'SUCCESS',
              validationEmails: [`admin@${base}`],
            };
      }),
      notBefore: issued.toISOString(),
      notAfter: expires.toISOString(),
      keyAlgorithm: properties.keyAlgorithm ?? 'RSA_2048',
    };
  },
});

export const awsProvider: SandboxProvider = {
  name: 'aws',
  description: `A simulated AWS account ${ACCOUNT} in ${REGION}: VPC ${VPC.id} (${VPC.cidr}), default subnets ${DEFAULT_SUBNETS.map((entry) => `${entry.id} (${formatCidr(entry.cidr)}, ${entry.availabilityZone})`).join(' and ')}, a ${VCPU_QUOTA} vCPU quota.`,
  types: [
    instance,
    launchTemplate,
    securityGroup,
    subnet,
    autoscalingGroup,
    targetGroup,
    loadBalancer,
    certificate,
  ],
};

/** For tests: the subnets instances land in when none is named. */
export const AWS_DEFAULT_SUBNETS = DEFAULT_SUBNETS.map((entry) => ({
  id: entry.id,
  cidr: formatCidr(entry.cidr),
  availabilityZone: entry.availabilityZone,
}));
