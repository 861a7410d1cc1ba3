// An IoT network: a VLAN with DHCP, isolated from the LAN, optionally with internet access and an MQTT broker.
import { z } from 'zod';
import { definePattern, type PatternDeployment } from '../src/agent/pattern.js';
import { HOME_ZONE, prefixed } from './parts/names.js';
import { containerAddress, dnsRecord, type PatternResource, vlanNetwork } from './parts/network.js';

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
        'off the internet',
        'off from the internet',
      ],
    },
    mqtt: { whenTrue: ['mqtt', 'mosquitto', 'broker'], whenFalse: ['no mqtt', 'without mqtt'] },
  },
  generate: (params) => generateIotNetwork(params),
});

/** The private address ranges (RFC 1918): "the LAN" and every other internal network an isolated device may not reach. */
const PRIVATE_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** The MQTT broker's fixed address (DHCP hands out .50-.250). */
const BROKER_HOST = 10;

interface IotNetworkParams {
  name: string;
  vlanTag: number;
  isolate: boolean;
  internetAccess: boolean;
  mqtt: boolean;
}

/**
 * A VLAN with a large DHCP pool, and rules on its interface, in evaluation order: DNS to the firewall; then the other
 * internal networks blocked (isolate) or passed; then the internet passed or blocked. With mqtt, a Mosquitto broker in a
 * container on the VLAN, so devices reach it without leaving their network.
 */
function generateIotNetwork(params: IotNetworkParams): PatternDeployment {
  const name = prefixed('iot', params.name);
  const zone = `${name}.${HOME_ZONE}`;
  const network = vlanNetwork({
    prefix: name,
    tag: params.vlanTag,
    purpose: `IoT network ${name}`,
    dhcp: { from: 50, to: 250, domain: zone },
    docker: params.mqtt,
  });
  const { subnet, device } = network;
  const resources: PatternResource[] = [...network.resources];
  const rule = (
    ruleName: string,
    properties: Record<string, unknown>,
    after: string | undefined,
  ): PatternResource => ({
    server: 'opnsense',
    type: 'firewall:rule',
    name: ruleName,
    properties: { interface: device, source: subnet.cidr, ...properties },
    // Created one after the other, so they are evaluated in this order: the first matching rule wins.
    dependsOn: after ? [after] : [],
  });

  const dns = `${name}-allow-dns`;
  resources.push(
    rule(
      dns,
      {
        action: 'pass',
        protocol: 'tcp/udp',
        destination: subnet.gateway,
        destinationPort: 53,
        description: `${name}: DNS from the firewall`,
      },
      undefined,
    ),
  );

  const internal = params.isolate ? `${name}-block-lan` : `${name}-allow-lan`;
  if (params.isolate) {
    // OPNsense alias names take letters, digits and underscores only.
    const alias = `${name.replaceAll('-', '_')}_private_networks`;
    resources.push(
      {
        server: 'opnsense',
        type: 'firewall:alias',
        name: alias,
        properties: {
          type: 'network',
          content: PRIVATE_NETWORKS,
          description: 'Private networks (RFC 1918)',
        },
      },
      {
        ...rule(
          internal,
          {
            action: 'block',
            protocol: 'any',
            destination: alias,
            log: true,
            description: `${name}: isolated from the LAN`,
          },
          dns,
        ),
        dependsOn: [dns, alias],
      },
    );
  } else {
    resources.push(
      rule(
        internal,
        { action: 'pass', protocol: 'any', destination: 'lannet', description: `${name}: may reach the LAN` },
        dns,
      ),
    );
  }

  resources.push(
    params.internetAccess
      ? rule(
          `${name}-allow-internet`,
          { action: 'pass', protocol: 'any', destination: 'any', description: `${name}: internet access` },
          internal,
        )
      : rule(
          `${name}-block-internet`,
          {
            action: 'block',
            protocol: 'any',
            destination: 'any',
            log: true,
            description: `${name}: no internet access`,
          },
          internal,
        ),
  );

  if (params.mqtt) {
    const broker = `${name}-mqtt`;
    const volume = `${broker}-data`;
    resources.push(
      {
        server: 'docker',
        type: 'volume',
        name: volume,
        properties: { labels: { purpose: 'MQTT broker data' } },
      },
      {
        server: 'docker',
        type: 'container',
        name: broker,
        properties: {
          image: 'eclipse-mosquitto:2',
          // The image's own configuration that listens on 1883 for every address (the default is local only).
          command: ['mosquitto', '-c', '/mosquitto-no-auth.conf'],
          network: network.dockerNetwork,
          ipAddress: subnet.host(BROKER_HOST),
          ports: ['1883:1883/tcp'],
          volumes: [`${volume}:/mosquitto/data`],
          restart: 'unless-stopped',
        },
        dependsOn: [network.dockerNetwork!, volume],
      },
      dnsRecord(`${broker}-dns`, `mqtt.${zone}`, containerAddress(broker), `MQTT broker of ${name}`),
    );
  }

  const traits = [
    params.isolate ? 'isolated from the LAN' : 'with LAN access',
    params.internetAccess ? 'with internet access' : 'without internet access',
    ...(params.mqtt ? ['with an MQTT broker'] : []),
  ];
  return {
    name,
    description: `IoT network ${name} on VLAN ${params.vlanTag}, ${traits.join(', ')}`,
    resources,
  };
}
