// Remote access over WireGuard: a server on the firewall, peers, and the rules to reach it (and the LAN).
import { z } from 'zod';
import { definePattern, type PatternDeployment } from '../src/agent/pattern.js';
import type { PatternResource } from './parts/network.js';

export default definePattern({
  name: 'vpn-access',
  description:
    'Remote access to the home network over WireGuard: a WireGuard server on OPNsense, one peer per device, a firewall rule for the VPN port, and optionally access to the LAN.',
  examples: [
    'set up a wireguard vpn for my phone and laptop',
    'I want remote access to my network with 3 devices',
    'vpn on port 51821 using 10.9.0.0/24, no LAN access',
  ],
  keywords: [
    'vpn',
    'wireguard',
    'wg',
    'remote access',
    'tunnel',
    'access from outside',
    'peers',
    'traveling',
    'travelling',
    'on the road',
    'away from home',
  ],
  params: z.object({
    peers: z.number().int().min(1).max(50).default(1).describe('Number of devices (peers) to create.'),
    port: z.number().int().min(1).max(65535).default(51820).describe('UDP port WireGuard listens on.'),
    tunnelNetwork: z.cidrv4().default('10.8.0.0/24').describe('Address range inside the tunnel (CIDR).'),
    lanAccess: z.boolean().default(true).describe('Let VPN clients reach the LAN.'),
  }),
  hints: {
    peers: {
      words: [
        'peers',
        'peer',
        'devices',
        'device',
        'clients',
        'users',
        'people',
        'phones',
        'phone',
        'laptops',
        'laptop',
        'tablets',
        'tablet',
        'computers',
        'computer',
      ],
      format: 'count',
    },
    port: { words: ['port'], format: 'port' },
    tunnelNetwork: { words: ['tunnel', 'network', 'subnet', 'using'], format: 'cidr' },
    lanAccess: {
      whenTrue: ['lan access', 'access to the lan', 'reach the lan', 'reach my network', 'full access'],
      whenFalse: ['no lan access', 'no lan', 'internet only', 'without lan access', 'not the lan'],
    },
  },
  generate: (params) => generateVpnAccess(params),
});

interface VpnAccessParams {
  peers: number;
  port: number;
  tunnelNetwork: string;
  lanAccess: boolean;
}

/**
 * A WireGuard server on the firewall at the tunnel network's first address, one peer per device at the next ones (the
 * server generates each peer's key pair and client config, which state keeps as secrets), a WAN rule for the UDP
 * port, and a rule for the tunnel's traffic into the LAN: pass with lanAccess, block without. The sandbox firewall
 * has no rules on WireGuard interfaces, so that rule filters on the LAN interface, outbound.
 */
function generateVpnAccess(params: VpnAccessParams): PatternDeployment {
  const tunnel = parseNetwork(params.tunnelNetwork);
  const capacity = 2 ** (32 - tunnel.prefix) - 3;
  if (params.peers > capacity) {
    throw new Error(
      `the tunnel network ${tunnel.cidr} has room for ${capacity} peers, not ${params.peers}; use a larger network such as a /24`,
    );
  }
  const server = 'vpn-server';
  const resources: PatternResource[] = [
    {
      server: 'opnsense',
      type: 'service:wireguard:server',
      name: server,
      properties: {
        listenPort: params.port,
        tunnelAddress: `${formatIpv4(tunnel.network + 1)}/${tunnel.prefix}`,
        description: 'Remote access (Conductor vpn-access)',
      },
    },
  ];
  for (let peer = 1; peer <= params.peers; peer++) {
    resources.push({
      server: 'opnsense',
      type: 'service:wireguard:peer',
      name: `vpn-peer-${peer}`,
      properties: {
        server,
        tunnelAddress: `${formatIpv4(tunnel.network + 1 + peer)}/32`,
        keepalive: 25,
        description: `Device ${peer}`,
      },
      dependsOn: [server],
    });
  }
  resources.push(
    {
      server: 'opnsense',
      type: 'firewall:rule',
      name: 'vpn-wan',
      properties: {
        interface: 'wan',
        action: 'pass',
        protocol: 'udp',
        source: 'any',
        destination: 'wanip',
        destinationPort: params.port,
        description: `WireGuard on UDP ${params.port}`,
      },
      dependsOn: [server],
    },
    {
      server: 'opnsense',
      type: 'firewall:rule',
      name: 'vpn-lan',
      properties: {
        interface: 'lan',
        direction: 'out',
        action: params.lanAccess ? 'pass' : 'block',
        protocol: 'any',
        source: tunnel.cidr,
        destination: 'lannet',
        description: params.lanAccess ? 'VPN clients may reach the LAN' : 'VPN clients may not reach the LAN',
      },
      dependsOn: [server],
    },
  );
  return {
    name: 'vpn',
    description: `WireGuard on UDP ${params.port} with ${params.peers} peer${params.peers === 1 ? '' : 's'} in ${tunnel.cidr}, ${params.lanAccess ? 'with' : 'without'} LAN access`,
    resources,
  };
}

/** `10.8.0.5/24` → the network 10.8.0.0/24 (host bits cleared), as a number and a prefix. */
function parseNetwork(text: string): { network: number; prefix: number; cidr: string } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = match ? Number(match[5]) : Number.NaN;
  if (!match || octets.some((octet) => octet > 255) || prefix < 8 || prefix > 30) {
    throw new Error(
      `tunnelNetwork "${text}" is not an IPv4 network with a prefix of /8 to /30, such as 10.8.0.0/24`,
    );
  }
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const network = address - (address % size);
  return { network, prefix, cidr: `${formatIpv4(network)}/${prefix}` };
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
