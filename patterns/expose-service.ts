// Publish a service that already runs somewhere on the network: HAProxy backend and frontend, TLS, DNS, firewall.
import { z } from 'zod';
import { definePattern } from '../src/agent/pattern.js';

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
      whenFalse: ['internal', 'internal only', 'lan only', 'private', 'not public'],
    },
  },
  generate: () => {
    throw new Error('expose-service: generate is not written yet');
  },
});
