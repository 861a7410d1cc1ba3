// A game server on its own VLAN: VLAN, DHCP range, a container sized for the players, a NAT port forward and firewall
// rule when public, and a DNS record, across opnsense, docker and dns.
import { z } from 'zod';
import { definePattern } from '../src/agent/pattern.js';

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
      whenTrue: ['public', 'from the internet', 'internet facing', 'open to the internet', 'friends outside'],
      whenFalse: [
        'private',
        'lan only',
        'local only',
        'internal',
        'not public',
        'no port forward',
        'only on my lan',
      ],
    },
    hostname: { format: 'hostname' },
  },
  derive: (params) => ({
    ...params,
    hostname: params.hostname ?? `${params.game}.home.arpa`,
    memoryGb: params.memoryGb ?? memoryFor(params.game, params.players),
  }),
  generate: () => {
    throw new Error('game-server: generate is not written yet');
  },
});

/** Memory a game needs for a number of players, in GB. */
export function memoryFor(game: (typeof GAMES)[number], players: number): number {
  const base = { minecraft: 2, valheim: 4, factorio: 2, terraria: 1, satisfactory: 8 }[game];
  const perPlayer = { minecraft: 0.2, valheim: 0.25, factorio: 0.1, terraria: 0.1, satisfactory: 0.5 }[game];
  return Math.min(64, Math.ceil(base + perPlayer * players));
}
