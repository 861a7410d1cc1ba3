// A media server (Jellyfin, Plex, Emby) with a storage volume, a DNS name, and optional remote access through HAProxy.
import { z } from 'zod';
import { definePattern, type PatternDeployment } from '../src/agent/pattern.js';
import { fullyQualified } from './parts/names.js';
import { containerAddress, dnsRecord, type PatternResource, vlanNetwork } from './parts/network.js';
import { publishThroughHaproxy } from './parts/publish.js';

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
        'on the internet',
        'over the internet',
        'outside the house',
        'outside my home',
        'from work',
        'from the office',
        'from my parents',
        'while traveling',
        'while travelling',
        'on the go',
      ],
      whenFalse: [
        'lan only',
        'local only',
        'no remote access',
        'only at home',
        'private',
        'off the internet',
        'home network',
      ],
    },
    hostname: { format: 'hostname' },
  },
  derive: (params) => ({ ...params, hostname: params.hostname ?? `${params.app}.home.arpa` }),
  generate: (params) => generateMediaServer(params),
});

type App = 'jellyfin' | 'plex' | 'emby';

interface AppImage {
  title: string;
  image: string;
  /** The web UI and streaming port. */
  port: number;
  configPath: string;
  mediaPath: string;
  /** What HAProxy checks: an endpoint that answers 200 without a login. */
  healthPath: string;
}

const APPS: Readonly<Record<App, AppImage>> = {
  jellyfin: {
    title: 'Jellyfin',
    image: 'jellyfin/jellyfin:latest',
    port: 8096,
    configPath: '/config',
    mediaPath: '/media',
    healthPath: '/health',
  },
  plex: {
    title: 'Plex',
    image: 'plexinc/pms-docker:latest',
    port: 32400,
    configPath: '/config',
    mediaPath: '/data',
    healthPath: '/identity',
  },
  emby: {
    title: 'Emby',
    image: 'emby/embyserver:latest',
    port: 8096,
    configPath: '/config',
    mediaPath: '/mnt/media',
    healthPath: '/emby/System/Ping',
  },
};

/** The server's fixed address on a VLAN of its own. */
const SERVER_HOST = 10;

interface MediaServerParams {
  app: App;
  storageGb: number;
  vlanTag?: number;
  remoteAccess: boolean;
  hostname?: string;
}

/**
 * A container with a library volume (labelled with the storage it is meant to have: local Docker volumes cannot be
 * sized) and a config volume. On a VLAN of its own when vlanTag is given; otherwise on the Docker host's network, as
 * media servers prefer (clients discover them on the LAN). A DNS record for the hostname; with remoteAccess, HAProxy
 * with TLS in front, the WAN rule for 443, the public record pointing at the firewall and an Unbound override that
 * keeps LAN clients on the direct address.
 */
function generateMediaServer(params: MediaServerParams): PatternDeployment {
  const spec = APPS[params.app];
  const name = params.app;
  const hostname = fullyQualified(params.hostname ?? `${params.app}.home.arpa`);
  const resources: PatternResource[] = [];
  const network =
    params.vlanTag === undefined
      ? undefined
      : vlanNetwork({
          prefix: name,
          tag: params.vlanTag,
          purpose: `${spec.title} media server`,
          docker: true,
        });
  if (network) resources.push(...network.resources);

  const media = `${name}-media`;
  const config = `${name}-config`;
  resources.push(
    {
      server: 'docker',
      type: 'volume',
      name: media,
      properties: { labels: { purpose: `${spec.title} library`, size: `${params.storageGb}G` } },
    },
    {
      server: 'docker',
      type: 'volume',
      name: config,
      properties: { labels: { purpose: `${spec.title} configuration` } },
    },
    {
      server: 'docker',
      type: 'container',
      name,
      properties: {
        image: spec.image,
        ...(network
          ? {
              network: network.dockerNetwork,
              ipAddress: network.subnet.host(SERVER_HOST),
              ports: [`${spec.port}:${spec.port}/tcp`],
            }
          : { network: 'host' }),
        volumes: [`${config}:${spec.configPath}`, `${media}:${spec.mediaPath}`],
        env: { TZ: 'Etc/UTC' },
        restart: 'unless-stopped',
      },
      dependsOn: [...(network ? [network.dockerNetwork!] : []), media, config],
    },
  );

  const address = containerAddress(name);
  if (!params.remoteAccess) {
    resources.push(dnsRecord(`${name}-dns`, hostname, address, `${spec.title} media server`));
  } else {
    const published = publishThroughHaproxy({
      prefix: name,
      hostname,
      servers: [`${address}:${spec.port}`],
      healthPath: spec.healthPath,
      tls: true,
      public: true,
      purpose: `${spec.title} media server`,
      balance: 'source',
    });
    const [label, ...domain] = hostname.split('.');
    resources.push(
      ...published.resources,
      dnsRecord(`${name}-dns`, hostname, published.frontendAddress, `${spec.title} media server (HAProxy)`),
      {
        server: 'opnsense',
        type: 'dns:host-override',
        name: `${name}-lan-dns`,
        properties: {
          hostname: label,
          domain: domain.join('.'),
          type: 'A',
          address,
          description: `${spec.title}: LAN clients connect directly`,
        },
      },
    );
  }
  return {
    name,
    description: `${spec.title} media server with ${params.storageGb} GB of storage at ${hostname}${network ? ` on VLAN ${params.vlanTag}` : ''}${params.remoteAccess ? ', reachable from outside over HTTPS' : ''}`,
    resources,
  };
}
