// Pattern deployments whose parameters change what the sandbox servers are asked to do (UDP port ranges, VLAN tags
// above 255, AWS instead of Docker, many replicas, split DNS...), applied by the compiled CLI and destroyed again.
import { describe, it } from 'vitest';
import { applyAndDestroy, CLI_TIMEOUT } from './sandbox-cli.js';
import { generate } from './support.js';

const VARIANTS: ReadonlyArray<{ pattern: string; params: Record<string, unknown> }> = [
  { pattern: 'game-server', params: { game: 'valheim', public: false } },
  { pattern: 'game-server', params: { game: 'satisfactory', vlanTag: 300 } },
  {
    pattern: 'web-app',
    params: { appName: 'shop', domain: 'shop.example.com', platform: 'aws', minInstances: 5 },
  },
  { pattern: 'dev-environment', params: { databases: ['mysql', 'mongodb', 'postgres'], cache: false } },
  { pattern: 'database-cluster', params: { engine: 'mongodb', replicas: 5, allowFrom: ['192.168.1.0/24'] } },
  { pattern: 'iot-network', params: { isolate: false, internetAccess: false, mqtt: true } },
  { pattern: 'vpn-access', params: { peers: 3, lanAccess: false } },
  {
    pattern: 'media-server',
    params: { app: 'plex', vlanTag: 60, remoteAccess: true, hostname: 'plex.example.com' },
  },
  // Its defaults (public, TLS): the side-by-side scenario cannot include it beside web-app (one HAProxy port 443).
  {
    pattern: 'expose-service',
    params: { hostname: 'ha.example.com', targetHost: '192.168.1.50', targetPort: 8123 },
  },
  {
    pattern: 'expose-service',
    params: {
      hostname: 'grafana.home.arpa',
      targetHost: '10.0.0.5',
      targetPort: 3000,
      tls: false,
      public: false,
    },
  },
];

describe('deployments with other parameters on the sandbox servers', () => {
  it.each(VARIANTS.map((entry) => [`${entry.pattern} ${JSON.stringify(entry.params)}`, entry] as const))(
    '%s is applied with every reference resolved, then destroyed',
    (_label, entry) => applyAndDestroy(generate(entry.pattern, entry.params)),
    CLI_TIMEOUT,
  );
});
