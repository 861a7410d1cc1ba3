// Publish a service that already runs somewhere on the network: HAProxy backend and frontend, TLS, DNS, firewall.
import { z } from 'zod';
import { definePattern, type PatternDeployment } from '../src/agent/pattern.js';
import { fullyQualified, slug } from './parts/names.js';
import { dnsRecord } from './parts/network.js';
import { publishThroughHaproxy } from './parts/publish.js';

export default definePattern({
  name: 'expose-service',
  description:
    'Publish a service that already runs on the network under a hostname: an HAProxy backend and frontend on OPNsense, a TLS certificate, a DNS record, and a firewall rule when public.',
  examples: [
    'expose 192.168.1.50:8123 as ha.example.com',
    'make my nas at 10.0.0.20 port 5000 reachable at nas.example.org',
    'publish grafana on 10.0.0.5:3000 as grafana.home.arpa, internal only, no tls',
  ],
  keywords: ['expose', 'publish', 'reverse proxy', 'proxy', 'make reachable', 'port forward to', 'haproxy'],
  params: z.object({
    hostname: z.string().min(3).describe('The name the service is reached at.'),
    targetHost: z.string().min(1).describe('Address or hostname of the machine running the service.'),
    targetPort: z.number().int().min(1).max(65535).describe('Port of the service on that machine.'),
    tls: z.boolean().default(true).describe('Serve HTTPS with a certificate.'),
    public: z.boolean().default(true).describe('Reachable from the internet.'),
  }),
  hints: {
    hostname: { words: ['as', 'at', 'hostname', 'domain'], format: 'hostname' },
    targetHost: { words: ['host', 'server', 'machine', 'at', 'on'], format: 'ip' },
    targetPort: { words: ['port'], format: 'port' },
    tls: {
      whenTrue: ['tls', 'https', 'ssl', 'certificate'],
      whenFalse: ['no tls', 'without tls', 'http only', 'plain http', 'no https'],
    },
    public: {
      whenTrue: ['public', 'from the internet', 'from outside', 'publicly'],
      whenFalse: ['internal', 'internal only', 'lan only', 'private', 'not public', 'off the internet'],
    },
  },
  generate: (params) => generateExposeService(params),
});

interface ExposeServiceParams {
  hostname: string;
  targetHost: string;
  targetPort: number;
  tls: boolean;
  public: boolean;
}

/**
 * HAProxy on the firewall in front of a service that already runs: a backend with the target, a frontend on 443 with a
 * certificate (Let's Encrypt for a public name when the service is public, the internal CA otherwise) or on 80 without
 * TLS, a WAN rule when public, and a DNS record for the hostname at the frontend's address.
 */
function generateExposeService(params: ExposeServiceParams): PatternDeployment {
  const hostname = fullyQualified(params.hostname);
  const name = `expose-${slug(hostname, 'service', 56)}`;
  const target = `${params.targetHost.trim()}:${params.targetPort}`;
  const purpose = `${hostname} (${target})`;
  const published = publishThroughHaproxy({
    prefix: name,
    hostname,
    servers: [target],
    tls: params.tls,
    public: params.public,
    purpose,
  });
  return {
    name,
    description: `${params.tls ? 'https' : 'http'}://${hostname} in front of ${target}${params.public ? ', public' : ', internal only'}`,
    resources: [
      ...published.resources,
      dnsRecord(`${name}-dns`, hostname, published.frontendAddress, `Published ${target}`),
    ],
  };
}
