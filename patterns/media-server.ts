// A media server (Jellyfin, Plex, Emby) with a storage volume, a DNS name, and optional remote access through HAProxy.
import { z } from 'zod';
import { definePattern } from '../src/agent/pattern.js';

export default definePattern({
  name: 'media-server',
  description:
    'A media server (Jellyfin, Plex or Emby) in a container with a storage volume for the library and a DNS name, optionally reachable from outside through HAProxy with TLS.',
  examples: [
    'set up jellyfin with 2TB of storage',
    'deploy a plex server I can reach from outside',
    'media server for movies on vlan 60',
  ],
  keywords: ['media', 'media server', 'movies', 'tv shows', 'music', 'streaming', 'jellyfin', 'plex', 'emby'],
  params: z.object({
    app: z.enum(['jellyfin', 'plex', 'emby']).default('jellyfin').describe('Which media server.'),
    storageGb: z.number().int().min(1).max(100000).default(500).describe('Storage for the library in GB.'),
    vlanTag: z
      .number()
      .int()
      .min(1)
      .max(4094)
      .optional()
      .describe('VLAN tag of a network of its own; on the default LAN when not given.'),
    remoteAccess: z
      .boolean()
      .default(false)
      .describe('Reachable from the internet through HAProxy with TLS.'),
    hostname: z.string().optional().describe('DNS name; <app>.home.arpa when not given.'),
  }),
  hints: {
    app: { synonyms: { jellyfin: ['jelly fin'], plex: ['plex media server'], emby: ['emby'] } },
    storageGb: { words: ['storage', 'disk', 'space', 'library'], format: 'storage-gb' },
    vlanTag: { words: ['vlan'], format: 'vlan' },
    remoteAccess: {
      whenTrue: [
        'remote access',
        'from outside',
        'from anywhere',
        'remotely',
        'from the internet',
        'away from home',
      ],
      whenFalse: ['lan only', 'local only', 'no remote access', 'only at home', 'private'],
    },
    hostname: { format: 'hostname' },
  },
  derive: (params) => ({ ...params, hostname: params.hostname ?? `${params.app}.home.arpa` }),
  generate: () => {
    throw new Error('media-server: generate is not written yet');
  },
});
