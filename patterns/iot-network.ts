// An IoT network: a VLAN with DHCP, isolated from the LAN, optionally with internet access and an MQTT broker.
import { z } from 'zod';
import { definePattern } from '../src/agent/pattern.js';

export default definePattern({
  name: 'iot-network',
  description:
    'A separate network for smart-home and IoT devices: a VLAN with DHCP, isolated from the rest of the LAN by firewall rules, with or without internet access, optionally with an MQTT broker.',
  examples: [
    'create an isolated network for my smart home devices',
    'set up an IoT VLAN 35 with no internet access',
    'iot network with an mqtt broker',
  ],
  keywords: ['iot', 'smart home', 'smart-home', 'devices', 'cameras', 'sensors', 'home assistant', 'mqtt'],
  params: z.object({
    name: z.string().min(1).max(40).default('iot').describe('Name of the network.'),
    vlanTag: z.number().int().min(1).max(4094).default(30).describe('VLAN tag of the IoT network.'),
    isolate: z.boolean().default(true).describe('Block traffic from the IoT network to the LAN.'),
    internetAccess: z.boolean().default(true).describe('Let devices reach the internet.'),
    mqtt: z.boolean().default(false).describe('Run an MQTT broker (Mosquitto) on the network.'),
  }),
  hints: {
    name: { words: ['called', 'named'], format: 'name' },
    vlanTag: { words: ['vlan'], format: 'vlan' },
    isolate: {
      whenTrue: [
        'isolated',
        'isolate',
        'separate',
        'segmented',
        'cannot reach the lan',
        "can't reach my lan",
      ],
      whenFalse: ['not isolated', 'can reach the lan', 'access to the lan', 'talk to the lan'],
    },
    internetAccess: {
      whenTrue: ['internet access', 'with internet', 'can reach the internet'],
      whenFalse: [
        'no internet',
        'without internet',
        'offline',
        'no internet access',
        'block internet',
        'local only',
      ],
    },
    mqtt: { whenTrue: ['mqtt', 'mosquitto', 'broker'], whenFalse: ['no mqtt', 'without mqtt'] },
  },
  generate: () => {
    throw new Error('iot-network: generate is not written yet');
  },
});
