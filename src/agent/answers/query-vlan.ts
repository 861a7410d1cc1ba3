// "What runs on VLAN 20?": the VLAN, what sits on its device (DHCP, rules), Docker networks on it and their
// containers, guests tagged with it, and whatever points into its addresses (port forwards, rules, DNS records).
import { groupByDeployment, type KnownResource, type KnownWorld } from './known-resources.js';
import {
  blockOf,
  blocksOverlap,
  type Ipv4Block,
  ipv4Mentions,
  ownAddresses,
  rangeBlock,
} from './network-facts.js';
import {
  finish,
  groupedLines,
  type QueryAnswer,
  resourceFact,
  resourceLine,
  sourceNotes,
} from './query-answer.js';

/** Blocks wider than a /8 (`0.0.0.0/0`, `any` written as a block) say nothing about one VLAN. */
const WIDEST_RELEVANT_BLOCK = 2 ** 24;

export function vlansTagged(world: KnownWorld, tag: number): KnownResource[] {
  return world.resources.filter(
    (resource) =>
      resource.type === 'network:vlan' &&
      (Number(resource.properties.tag) === tag || Number(resource.outputs.tag) === tag),
  );
}

export function answerVlan(world: KnownWorld, tag: number): QueryAnswer {
  const vlans = vlansTagged(world, tag);
  if (vlans.length === 0) {
    const known = [
      ...new Set(
        world.resources
          .filter((resource) => resource.type === 'network:vlan')
          .map((resource) => Number(resource.properties.tag ?? resource.outputs.tag))
          .filter((value) => Number.isInteger(value)),
      ),
    ].sort((a, b) => a - b);
    const where = world.inventoryRead ? 'State and the servers know' : 'State knows';
    return {
      form: 'vlan',
      text: finish([
        `No VLAN with tag ${tag} is known. ${where} ${known.length > 0 ? `VLAN${known.length > 1 ? 's' : ''} ${known.join(', ')}` : 'no VLANs at all'}.`,
        ...sourceNotes(world),
      ]),
      facts: [],
    };
  }
  const members = vlanMembers(world, tag, vlans);
  const lines: string[] = [];
  for (const vlan of vlans) {
    const owner = vlan.deployment ? `deployment ${vlan.deployment}` : 'not managed by Conductor';
    const device = typeof vlan.outputs.device === 'string' ? `, device ${vlan.outputs.device}` : '';
    lines.push(`VLAN ${tag} is ${vlan.server} network:vlan ${vlan.name}${device} (${owner}).`);
  }
  const others = members.filter((resource) => !vlans.includes(resource));
  if (others.length === 0) lines.push('Nothing else runs on it.');
  else {
    lines.push(`On it, by deployment:`);
    lines.push(...groupedLines(groupByDeployment(members)));
  }
  lines.push(...sourceNotes(world));
  return {
    form: 'vlan',
    text: finish(lines),
    facts: members.map((resource) => resourceFact(resource, { vlan: tag })),
  };
}

/** Everything on or pointing into the VLANs, the VLANs included, in the world's order. */
export function vlanMembers(
  world: KnownWorld,
  tag: number,
  vlans: readonly KnownResource[],
): KnownResource[] {
  const members = new Set<KnownResource>(vlans);
  const blocks: Ipv4Block[] = [];
  const devices = new Set<string>();
  for (const vlan of vlans) {
    if (typeof vlan.outputs.device === 'string') devices.add(vlan.outputs.device);
    const address = blockOf(vlan.properties.address ?? vlan.outputs.address);
    if (address) blocks.push(address);
  }
  const onDevice = (value: unknown) =>
    typeof value === 'string' &&
    (devices.has(value) || [...devices].some((device) => value.startsWith(`${device}.`)));
  // Interfaces of the VLAN's own firewall, Docker networks on its device, guests tagged with it.
  for (const resource of world.resources) {
    const { properties, outputs } = resource;
    const firewallSide =
      vlans.some((vlan) => vlan.server === resource.server) && onDevice(properties.interface);
    const dockerSide =
      resource.type === 'network' &&
      (onDevice(properties.parent) ||
        onDevice(outputs.parent) ||
        new RegExp(`\\.${tag}$`).test(String(properties.parent ?? '')));
    const guestSide = (resource.type === 'vm' || resource.type === 'lxc') && Number(properties.vlan) === tag;
    if (!firewallSide && !dockerSide && !guestSide) continue;
    members.add(resource);
    if (resource.type === 'dhcp:range') {
      const range = rangeBlock(properties.from, properties.to);
      if (range) blocks.push(range);
    }
    if (resource.type === 'network') {
      const subnet = blockOf(outputs.subnet ?? properties.subnet);
      if (subnet) blocks.push(subnet);
    }
  }
  // Containers attached to those networks.
  const networks = [...members].filter((resource) => resource.type === 'network');
  for (const resource of world.resources) {
    if (resource.type !== 'container') continue;
    const network = resource.outputs.network ?? resource.properties.network;
    if (networks.some((item) => item.server === resource.server && item.name === network))
      members.add(resource);
  }
  for (const resource of members) {
    for (const address of ownAddresses(resource))
      blocks.push({ ...blockOf(`${address}/32`)!, text: address });
  }
  // Whatever points into the VLAN's addresses: forwards, rules, DNS records, load balancer backends.
  if (blocks.length > 0) {
    for (const resource of world.resources) {
      if (members.has(resource) || resource.type === 'network:vlan') continue;
      const mentions = ipv4Mentions([resource.properties, resource.outputs]).filter(
        (mention) => mention.to - mention.from < WIDEST_RELEVANT_BLOCK,
      );
      if (mentions.some((mention) => blocks.some((block) => blocksOverlap(block, mention))))
        members.add(resource);
    }
  }
  return world.resources.filter((resource) => members.has(resource));
}

export function answerVlanList(world: KnownWorld): QueryAnswer {
  const vlans = world.resources.filter((resource) => resource.type === 'network:vlan');
  if (vlans.length === 0)
    return {
      form: 'vlans',
      text: finish([`No VLANs are known${world.inventoryRead ? ' to state or the servers' : ''}.`]),
      facts: [],
    };
  const lines = [`${vlans.length} VLAN${vlans.length > 1 ? 's' : ''}:`];
  for (const vlan of vlans)
    lines.push(
      `${resourceLine(vlan)} (${vlan.deployment ? `deployment ${vlan.deployment}` : 'not managed by Conductor'})`,
    );
  lines.push(...sourceNotes(world));
  return { form: 'vlans', text: finish(lines), facts: vlans.map((vlan) => resourceFact(vlan)) };
}
