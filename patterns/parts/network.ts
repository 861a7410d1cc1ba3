// A network of its own for a pattern: an OPNsense VLAN with its interface address, optionally a DHCP range on it, and
// optionally a Docker macvlan network on the VLAN so containers get addresses in it. Addresses follow the home-lab
// convention the sandbox's Proxmox uses too: VLAN n is 10.n.0.0/24 with the firewall at .1.
import type { PatternDeployment } from '../../src/agent/pattern.js';

export type PatternResource = PatternDeployment['resources'][number];

/** The NIC that carries the tagged VLANs: the LAN port, as in a router-on-a-stick home lab. */
export const VLAN_PARENT = 'igc1';

export interface Subnet {
  /** `10.20.0.0/24` */
  cidr: string;
  /** The firewall's address on the VLAN, the gateway and DNS server of its hosts: `10.20.0.1`. */
  gateway: string;
  /** `10.20.0.1/24`, as the VLAN interface is configured. */
  interfaceAddress: string;
  /** `host(10)` → `10.20.0.10`. */
  host(number: number): string;
}

/**
 * The /24 of a VLAN. Tags up to 255 give 10.<tag>.0.0/24; higher tags (up to 4094) give 10.<tag mod 256>.<tag / 256>.0/24,
 * whose third octet is never 0, so no two tags share a network.
 */
export function vlanSubnet(tag: number): Subnet {
  if (!Number.isInteger(tag) || tag < 1 || tag > 4094) throw new Error(`VLAN tag ${tag} is not 1-4094`);
  const base = tag <= 255 ? `10.${tag}.0` : `10.${tag % 256}.${Math.floor(tag / 256)}`;
  return {
    cidr: `${base}.0/24`,
    gateway: `${base}.1`,
    interfaceAddress: `${base}.1/24`,
    host: (number) => `${base}.${number}`,
  };
}

export interface VlanNetworkOptions {
  /** Resource names start with it: `<prefix>-vlan`, `<prefix>-dhcp`, `<prefix>-net`. */
  prefix: string;
  tag: number;
  /** What the network is for, e.g. "Minecraft server". */
  purpose: string;
  /** Host numbers of a DHCP pool (e.g. 100-200); none when absent. */
  dhcp?: { from: number; to: number; domain?: string };
  /** A Docker macvlan network on the VLAN, for containers with addresses in it. */
  docker?: boolean;
}

export interface VlanNetwork {
  subnet: Subnet;
  resources: PatternResource[];
  /** `${opnsense:network:vlan:<prefix>-vlan.device}`: the interface rules and DHCP name (vlan01, ...). */
  device: string;
  vlanName: string;
  /** The Docker network's name, when there is one. */
  dockerNetwork?: string;
}

export function vlanNetwork(options: VlanNetworkOptions): VlanNetwork {
  const subnet = vlanSubnet(options.tag);
  const vlanName = `${options.prefix}-vlan`;
  const device = `\${opnsense:network:vlan:${vlanName}.device}`;
  const resources: PatternResource[] = [
    {
      server: 'opnsense',
      type: 'network:vlan',
      name: vlanName,
      properties: {
        tag: options.tag,
        interface: VLAN_PARENT,
        description: `${options.purpose} (VLAN ${options.tag})`,
        address: subnet.interfaceAddress,
      },
    },
  ];
  if (options.dhcp) {
    resources.push({
      server: 'opnsense',
      type: 'dhcp:range',
      name: `${options.prefix}-dhcp`,
      properties: {
        interface: device,
        from: subnet.host(options.dhcp.from),
        to: subnet.host(options.dhcp.to),
        gateway: subnet.gateway,
        dnsServers: [subnet.gateway],
        ...(options.dhcp.domain ? { domain: options.dhcp.domain } : {}),
        description: `${options.purpose} clients`,
      },
    });
  }
  let dockerNetwork: string | undefined;
  if (options.docker) {
    dockerNetwork = `${options.prefix}-net`;
    resources.push({
      server: 'docker',
      type: 'network',
      name: dockerNetwork,
      properties: { driver: 'macvlan', parent: device, subnet: subnet.cidr, gateway: subnet.gateway },
    });
  }
  return { subnet, resources, device, vlanName, ...(dockerNetwork ? { dockerNetwork } : {}) };
}

/** A reference to a container's address: known at plan time when the container has a fixed ipAddress. */
export function containerAddress(container: string): string {
  return `\${docker:container:${container}.ipAddress}`;
}

/** An A record on the DNS server. */
export function dnsRecord(name: string, fqdn: string, value: string, comment: string): PatternResource {
  return {
    server: 'dns',
    type: 'record',
    name,
    properties: { name: fqdn, type: 'A', value, ttl: 300, comment: comment.slice(0, 100) },
  };
}
