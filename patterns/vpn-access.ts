// Remote access over WireGuard: a server on the firewall, peers, and the rules to reach it (and the LAN).
import { z } from 'zod';
import { definePattern } from '../src/agent/pattern.js';

export default definePattern({
  name: 'vpn-access',
  description:
    'Remote access to the home network over WireGuard: a WireGuard server on OPNsense, one peer per device, a firewall rule for the VPN port, and optionally access to the LAN.',
  examples: [
    'set up a wireguard vpn for my phone and laptop',
    'I want remote access to my network with 3 devices',
    'vpn on port 51821 using 10.9.0.0/24, no LAN access',
  ],
  keywords: ['vpn', 'wireguard', 'wg', 'remote access', 'tunnel', 'access from outside', 'peers'],
  params: z.object({
    peers: z.number().int().min(1).max(50).default(1).describe('Number of devices (peers) to create.'),
    port: z.number().int().min(1).max(65535).default(51820).describe('UDP port WireGuard listens on.'),
    tunnelNetwork: z.string().default('10.8.0.0/24').describe('Address range inside the tunnel (CIDR).'),
    lanAccess: z.boolean().default(true).describe('Let VPN clients reach the LAN.'),
  }),
  hints: {
    peers: { words: ['peers', 'peer', 'devices', 'device', 'clients', 'users', 'people'], format: 'count' },
    port: { words: ['port'], format: 'port' },
    tunnelNetwork: { words: ['tunnel', 'network', 'subnet', 'using'], format: 'cidr' },
    lanAccess: {
      whenTrue: ['lan access', 'access to the lan', 'reach the lan', 'reach my network', 'full access'],
      whenFalse: ['no lan access', 'no lan', 'internet only', 'without lan access', 'not the lan'],
    },
  },
  generate: () => {
    throw new Error('vpn-access: generate is not written yet');
  },
});
