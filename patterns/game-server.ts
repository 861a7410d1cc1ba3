// A game server on its own VLAN: VLAN, DHCP range, a container sized for the players, a NAT port forward and firewall
// rule when public, and a DNS record, across opnsense, docker and dns.
import { z } from 'zod';
import { definePattern, type PatternDeployment } from '../src/agent/pattern.js';
import { dockerMemory, fullyQualified, placeholderSecret } from './parts/names.js';
import { containerAddress, dnsRecord, type PatternResource, vlanNetwork } from './parts/network.js';

const GAMES = ['minecraft', 'valheim', 'factorio', 'terraria', 'satisfactory'] as const;

export default definePattern({
  name: 'game-server',
  description:
    'A dedicated game server (Minecraft, Valheim, Factorio, Terraria, Satisfactory) on its own VLAN, with DHCP, a container sized for the number of players, a DNS name, and a port forward from the internet when public.',
  examples: [
    'deploy a Minecraft server for 10 players on VLAN 20',
    'set up a valheim server for me and 4 friends',
    'I want a private factorio server, LAN only',
    'spin up terraria for 8 players with 4 GB of RAM',
  ],
  keywords: ['game', 'gaming', 'game server', 'players', 'multiplayer', ...GAMES],
  params: z.object({
    game: z.enum(GAMES).describe('Which game the server runs.'),
    players: z.number().int().min(1).max(200).default(10).describe('How many players at once.'),
    memoryGb: z
      .number()
      .min(1)
      .max(64)
      .optional()
      .describe('Memory for the server in GB; derived from the game and the players when not given.'),
    vlanTag: z.number().int().min(1).max(4094).default(20).describe('VLAN tag of the game network.'),
    public: z
      .boolean()
      .default(true)
      .describe('Reachable from the internet (port forward and firewall rule).'),
    hostname: z.string().optional().describe('DNS name; <game>.home.arpa when not given.'),
  }),
  hints: {
    game: { synonyms: { minecraft: ['mc', 'mine craft'], satisfactory: ['satisfactory game'] } },
    players: { words: ['players', 'player', 'people', 'slots', 'friends', 'users'], format: 'count' },
    memoryGb: { words: ['ram', 'memory', 'gb', 'gigs'], format: 'memory-gb' },
    vlanTag: { words: ['vlan'], format: 'vlan' },
    public: {
      whenTrue: [
        'public',
        'from the internet',
        'on the internet',
        'internet facing',
        'open to the internet',
        'friends outside',
      ],
      whenFalse: [
        'private',
        'lan only',
        'local only',
        'internal',
        'not public',
        'no port forward',
        'only on my lan',
        'off the internet',
        'on my lan',
        'on the lan',
        'local network',
        'home network',
      ],
    },
    hostname: { format: 'hostname' },
  },
  derive: (params) => ({
    ...params,
    hostname: params.hostname ?? `${params.game}.home.arpa`,
    memoryGb: params.memoryGb ?? memoryFor(params.game, params.players),
  }),
  generate: (params) =>
    generateGameServer({ ...params, memoryGb: params.memoryGb ?? memoryFor(params.game, params.players) }),
});

/** Memory a game needs for a number of players, in GB. */
export function memoryFor(game: (typeof GAMES)[number], players: number): number {
  const base = { minecraft: 2, valheim: 4, factorio: 2, terraria: 1, satisfactory: 8 }[game];
  const perPlayer = { minecraft: 0.2, valheim: 0.25, factorio: 0.1, terraria: 0.1, satisfactory: 0.5 }[game];
  return Math.min(64, Math.ceil(base + perPlayer * players));
}

type Game = (typeof GAMES)[number];

interface PortSpec {
  protocol: 'tcp' | 'udp';
  from: number;
  to?: number;
}

interface GameImage {
  title: string;
  image: string;
  /** What players connect to. */
  ports: PortSpec[];
  /** Where the world lives in the container: a volume keeps it across replacements. */
  dataPath: string;
  env?: (players: number, isPublic: boolean) => Record<string, string | number>;
  command?: (players: number) => string[];
  /** Env entries that hold secrets. */
  secrets?: string[];
}

const GAME_IMAGES: Readonly<Record<Game, GameImage>> = {
  minecraft: {
    title: 'Minecraft',
    image: 'itzg/minecraft-server:latest',
    ports: [{ protocol: 'tcp', from: 25565 }],
    dataPath: '/data',
    // The heap follows the container's memory limit, so a change of memory is an in-place update, not a new container.
    env: (players) => ({
      EULA: 'TRUE',
      MAX_PLAYERS: players,
      MEMORY: '',
      JVM_XX_OPTS: '-XX:MaxRAMPercentage=75',
    }),
  },
  valheim: {
    title: 'Valheim',
    image: 'lloesche/valheim-server:latest',
    ports: [{ protocol: 'udp', from: 2456, to: 2457 }],
    dataPath: '/config',
    env: (_players, isPublic) => ({
      SERVER_NAME: 'Valheim',
      WORLD_NAME: 'Dedicated',
      SERVER_PASS: placeholderSecret('valheim-password'),
      SERVER_PUBLIC: isPublic ? 'true' : 'false',
    }),
    secrets: ['SERVER_PASS'],
  },
  factorio: {
    title: 'Factorio',
    image: 'factoriotools/factorio:stable',
    ports: [{ protocol: 'udp', from: 34197 }],
    dataPath: '/factorio',
  },
  terraria: {
    title: 'Terraria',
    image: 'ryshe/terraria:latest',
    ports: [{ protocol: 'tcp', from: 7777 }],
    dataPath: '/root/.local/share/Terraria/Worlds',
    command: (players) => [
      '-autocreate',
      '2',
      '-world',
      '/root/.local/share/Terraria/Worlds/world.wld',
      '-maxplayers',
      String(players),
    ],
  },
  satisfactory: {
    title: 'Satisfactory',
    image: 'wolveix/satisfactory-server:latest',
    ports: [
      { protocol: 'tcp', from: 7777 },
      { protocol: 'udp', from: 7777 },
      { protocol: 'tcp', from: 8888 },
    ],
    dataPath: '/config',
    env: (players) => ({ MAXPLAYERS: players }),
  },
};

/** The server's fixed address on its VLAN (DHCP hands out .100-.200). */
const SERVER_HOST = 10;

interface GameParams {
  game: Game;
  players: number;
  memoryGb: number;
  vlanTag: number;
  public: boolean;
  hostname?: string;
}

function generateGameServer(params: GameParams): PatternDeployment {
  const spec = GAME_IMAGES[params.game];
  const name = params.game;
  const network = vlanNetwork({
    prefix: name,
    tag: params.vlanTag,
    purpose: `${spec.title} server`,
    dhcp: { from: 100, to: 200 },
    docker: true,
  });
  const volume = `${name}-data`;
  const address = containerAddress(name);
  const env = spec.env?.(params.players, params.public);
  const resources: PatternResource[] = [
    ...network.resources,
    {
      server: 'docker',
      type: 'volume',
      name: volume,
      properties: { labels: { purpose: `${spec.title} world` } },
    },
    {
      server: 'docker',
      type: 'container',
      name,
      properties: {
        image: spec.image,
        memory: dockerMemory(params.memoryGb),
        network: network.dockerNetwork,
        ipAddress: network.subnet.host(SERVER_HOST),
        ports: spec.ports.flatMap(containerPorts),
        volumes: [`${volume}:${spec.dataPath}`],
        ...(env ? { env } : {}),
        ...(spec.command ? { command: spec.command(params.players) } : {}),
        restart: 'unless-stopped',
      },
      dependsOn: [network.dockerNetwork!, volume],
      ...(spec.secrets ? { sensitive: spec.secrets.map((key) => `env.${key}`) } : {}),
    },
  ];
  if (params.public) {
    const groups = portGroups(spec.ports);
    for (const group of groups) {
      const suffix = groups.length > 1 ? `-${group.from}` : '';
      const ports = group.to === undefined ? group.from : `${group.from}-${group.to}`;
      const forward = `${name}-forward${suffix}`;
      resources.push(
        {
          server: 'opnsense',
          type: 'firewall:nat',
          name: forward,
          properties: {
            interface: 'wan',
            protocol: group.protocol,
            destinationPort: ports,
            target: address,
            targetPort: ports,
            // The explicit rule below is the filter rule; OPNsense must not add another.
            filterRule: 'none',
            description: `${spec.title} from the internet`,
          },
        },
        {
          server: 'opnsense',
          type: 'firewall:rule',
          name: `${name}-allow${suffix}`,
          properties: {
            interface: 'wan',
            action: 'pass',
            protocol: group.protocol,
            source: 'any',
            destination: address,
            destinationPort: ports,
            description: `Allow ${spec.title} players (${group.protocol} ${ports})`,
          },
          dependsOn: [forward],
        },
      );
    }
  }
  resources.push(
    dnsRecord(
      `${name}-dns`,
      fullyQualified(params.hostname ?? `${params.game}.home.arpa`),
      address,
      `${spec.title} server`,
    ),
  );
  return {
    name,
    description: `${spec.title} server for ${params.players} players on VLAN ${params.vlanTag}${params.public ? ', reachable from the internet' : ', LAN only'}`,
    resources,
  };
}

/** Docker publishes single ports: a range becomes one mapping per port. */
function containerPorts(spec: PortSpec): string[] {
  const ports: string[] = [];
  for (let port = spec.from; port <= (spec.to ?? spec.from); port++)
    ports.push(`${port}:${port}/${spec.protocol}`);
  return ports;
}

/** One forward per port range: the same range over TCP and UDP becomes one tcp/udp forward. */
function portGroups(
  specs: readonly PortSpec[],
): Array<{ protocol: 'tcp' | 'udp' | 'tcp/udp'; from: number; to?: number }> {
  const groups: Array<{ protocol: 'tcp' | 'udp' | 'tcp/udp'; from: number; to?: number }> = [];
  for (const spec of specs) {
    const same = groups.find((group) => group.from === spec.from && group.to === spec.to);
    if (same) same.protocol = same.protocol === spec.protocol ? same.protocol : 'tcp/udp';
    else
      groups.push({
        protocol: spec.protocol,
        from: spec.from,
        ...(spec.to !== undefined ? { to: spec.to } : {}),
      });
  }
  return groups;
}
